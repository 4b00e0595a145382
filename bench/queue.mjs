// The generated webhook queue (pg-boss 12) side by side with the hand-written
// queue it replaced (bench/legacy-queue.mjs), on PGlite and on PostgreSQL, in
// one run: events accepted per second (verify + enqueue, no worker) and
// events processed per second end to end (workers running).
// Usage: npm run build && node bench/queue.mjs [--events 2000] [--rounds 3] [--in-flight 10]
//   [--database-url postgres://postgres@127.0.0.1:5432/test] [--no-breakdown]
import { createHmac } from 'node:crypto';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { pino } from 'pino';
import { tsImport } from 'tsx/esm/api';
import { LEGACY_RESET, LEGACY_TABLES, legacyQueue } from './legacy-queue.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '2000' },
    rounds: { type: 'string', default: '3' },
    'in-flight': { type: 'string', default: '10' },
    'database-url': { type: 'string', default: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test' },
    'no-breakdown': { type: 'boolean', default: false },
  },
});
const N = Number(values.events);
const ROUNDS = Number(values.rounds);
const IN_FLIGHT = Number(values['in-flight']);
const ADMIN_URL = values['database-url'];
const startedAt = performance.now();

// A generated service, and one module that re-exports what the bench needs
// (one tsImport, so every file is loaded once).
const { plan, apply } = await import(path.join(root, 'dist/src/index.js'));
const service = path.join(mkdtempSync(path.join(os.tmpdir(), 'bulwark-bench-queue-')), 'svc');
await apply(await plan('app', {}, { cwd: service }));
await apply(await plan('webhooks', { sources: [{ name: 'stripe', preset: 'stripe' }] }, { cwd: service }));
symlinkSync(path.join(root, 'node_modules'), path.join(service, 'node_modules'), 'dir');
writeFileSync(
  path.join(service, 'src/bench-entry.ts'),
  [
    "export { openDatabase } from './db/client.js';",
    "export { withTenant } from './db/tenant.js';",
    "export { createBoss, ensureQueues } from './jobs/boss.js';",
    "export { DEFAULT_POLICY } from './jobs/queues.js';",
    "export { enqueueOnce, startWebhookWorkers, queueFor } from './webhooks/queue.js';",
    "export { verifyStripe } from './webhooks/verify.js';",
    '',
  ].join('\n'),
);
const generated = await tsImport(path.join(service, 'src/bench-entry.ts'), import.meta.url);
const { openDatabase, withTenant, createBoss, ensureQueues, DEFAULT_POLICY, enqueueOnce, startWebhookWorkers, queueFor, verifyStripe } = generated;
const legacy = legacyQueue(withTenant);

const QUEUE = queueFor('stripe');
const CONCURRENCY = DEFAULT_POLICY.concurrency;
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const log = pino({ level: 'silent' });

/** N Stripe-signed ~2 KB deliveries with ids unique to `tag`. */
function deliveries(tag, n = N) {
  const t = Math.floor(Date.now() / 1000);
  return Array.from({ length: n }, (_, i) => {
    const body = Buffer.from(JSON.stringify({ id: `evt_${tag}_${String(i)}`, type: 'invoice.paid', created: t, data: { object: { lines: 'x'.repeat(1900) } } }));
    const signature = createHmac('sha256', SECRET).update(`${String(t)}.`).update(body).digest('hex');
    return { body, header: `t=${String(t)},v1=${signature}` };
  });
}

/** What the route does before queueing: verify, then parse. */
function accept(delivery) {
  const result = verifyStripe({ header: delivery.header, body: delivery.body, secrets: [SECRET], toleranceSeconds: 300, now: Math.floor(Date.now() / 1000) });
  if (!result.ok) throw new Error(`verification failed: ${result.reason}`);
  const payload = JSON.parse(delivery.body.toString('utf8'));
  return { source: 'stripe', id: payload.id, type: payload.type, occurredAt: new Date(), payload };
}

/** Runs `task(i)` for i < n, `limit` at a time. */
async function pool(n, limit, task) {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < n) await task(next++);
    }),
  );
}

async function count(db, query) {
  const { rows } = await db.execute(query);
  return Number(rows[0].n);
}

const PAUSE_MS = 250;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function admin(statement) {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** One engine's database (a fresh PostgreSQL database, dropped by `close`), pg-boss and both queues. */
async function openEngine(engine) {
  if (engine !== 'PostgreSQL') return setUpEngine(engine, {}, undefined);
  const dbName = `bench_queue_${String(process.pid)}_${String(Date.now())}`;
  await admin(`CREATE DATABASE ${dbName}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${dbName}`;
  try {
    return await setUpEngine(engine, { DATABASE_URL: url.toString() }, dbName);
  } catch (error) {
    await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    throw error;
  }
}

async function setUpEngine(engine, config, dbName) {
  const database = await openDatabase(config);
  for (const statement of LEGACY_TABLES) await database.db.execute(sql.raw(statement));
  // As the worker process runs it: maintenance on.
  const startBoss = async () => {
    const started = createBoss(database.native, { supervise: true });
    started.on('error', (error) => {
      console.error(`pg-boss error (${engine}): ${error.message}`);
    });
    await started.start();
    return started;
  };
  let boss = await startBoss();
  await ensureQueues(boss, { [QUEUE]: DEFAULT_POLICY });
  let handledAt = [];
  const onHandled = () => {
    handledAt.push(performance.now());
  };
  const impls = {
    new: {
      async reset() {
        await database.db.execute(sql`TRUNCATE webhook_inbox`);
        await boss.deleteAllJobs();
      },
      enqueue: (event) => enqueueOnce(database, boss, event),
      async start(options = {}) {
        await startWebhookWorkers(boss, database, {
          handlers: { stripe: { 'invoice.paid': async () => onHandled() } },
          log,
          queues: { [QUEUE]: DEFAULT_POLICY },
          ...options,
        });
        return async () => {
          await boss.offWork(QUEUE);
          await boss.offWork(`${QUEUE}.dead`);
        };
      },
      queued: () => count(database.db, sql`SELECT count(*) AS n FROM pgboss.job WHERE name = ${QUEUE} AND state = 'created'`),
      done: async () => (await count(database.db, sql`SELECT count(*) AS n FROM webhook_inbox WHERE processed_at IS NOT NULL`)) === N,
    },
    old: {
      reset: () => database.db.execute(sql.raw(LEGACY_RESET)),
      enqueue: (event) => legacy.enqueueOnce(database.db, event),
      async start() {
        return legacy.startWorker(database.db, { handlers: { stripe: async () => onHandled() }, concurrency: CONCURRENCY });
      },
      queued: () => count(database.db, sql`SELECT count(*) AS n FROM legacy_webhook_jobs`),
      done: async () => {
        const { rows } = await database.db.execute(
          sql`SELECT (SELECT count(*) FROM legacy_webhook_jobs) AS jobs, (SELECT count(*) FROM legacy_webhook_inbox) AS inbox`,
        );
        return Number(rows[0].jobs) === 0 && Number(rows[0].inbox) === N;
      },
    },
  };
  return {
    engine,
    database,
    get boss() {
      return boss;
    },
    impls,
    handled: () => handledAt.length,
    handledAt: () => handledAt,
    resetHandled: () => {
      handledAt = [];
    },
    async close() {
      await boss.stop({ graceful: false, close: true });
      await database.close();
      if (dbName !== undefined) await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    },
  };
}

/** Events accepted per second: verify + enqueue, IN_FLIGHT at once, no worker. */
async function measureAccept(engine, impl, tag, n = N) {
  const q = engine.impls[impl];
  await q.reset();
  const batch = deliveries(tag, n);
  const start = performance.now();
  await pool(n, IN_FLIGHT, async (i) => {
    const outcome = await q.enqueue(accept(batch[i]));
    if (outcome !== 'queued') throw new Error(`${impl}: event ${String(i)} was ${outcome}`);
  });
  const seconds = (performance.now() - start) / 1000;
  const queued = await q.queued();
  if (queued !== n) throw new Error(`${engine.engine} ${impl}: ${String(queued)} jobs queued, expected ${String(n)}`);
  return n / seconds;
}

/** Events processed per second end to end: from the first enqueue until the last event is done. */
async function measureEndToEnd(engine, impl, tag, workerOptions) {
  const q = engine.impls[impl];
  await q.reset();
  engine.resetHandled();
  const batch = deliveries(tag);
  const stop = await q.start(workerOptions);
  const start = performance.now();
  const producing = pool(N, IN_FLIGHT, async (i) => {
    const outcome = await q.enqueue(accept(batch[i]));
    if (outcome !== 'queued') throw new Error(`${impl}: event ${String(i)} was ${outcome}`);
  });
  let producedMs;
  void producing.then(() => {
    producedMs = performance.now() - start;
  });
  const deadline = start + 120_000;
  for (;;) {
    if (await q.done()) break;
    if (performance.now() > deadline) throw new Error(`${engine.engine} ${impl}: not done after 120 s (${String(engine.handled())} handled)`);
    await sleep(20);
  }
  const totalMs = performance.now() - start;
  // Pauses of the workers: stretches of PAUSE_MS or more in which no event was handled.
  let pausedMs = 0;
  let previous = start;
  for (const at of engine.handledAt()) {
    if (at - previous >= PAUSE_MS) pausedMs += at - previous;
    previous = at;
  }
  const firstHandledMs = engine.handledAt()[0] - start;
  await producing;
  await stop();
  if (engine.handled() !== N) throw new Error(`${engine.engine} ${impl}: ${String(engine.handled())} handler calls, expected ${String(N)}`);
  return { rate: N / (totalMs / 1000), totalMs, firstHandledMs, producedMs, pausedMs };
}

// Where the time goes (PostgreSQL): every statement the `pg` driver runs,
// and every wait for a pooled connection, timed and sorted into pieces by
// its SQL. Off during the measured rounds.
const PIECES = [
  ['bench: completion poll', /AS n FROM webhook_inbox|AS jobs, \(SELECT/],
  ['BEGIN', /^\s*begin\b/i],
  ['COMMIT', /^\s*commit\b/i],
  ['savepoint + release (handler)', /savepoint/i],
  ['withTenant: set tenant, SET LOCAL ROLE', /set_config\('app\.tenant_id'|SET LOCAL ROLE/],
  ['withTenant: scope check', /current_user = /],
  ['inbox insert', /INSERT INTO (legacy_)?webhook_inbox/],
  ['legacy job insert', /INSERT INTO legacy_webhook_jobs/],
  ['legacy fetch (FOR UPDATE SKIP LOCKED)', /FROM legacy_webhook_jobs[\s\S]*SKIP LOCKED/],
  ['legacy job delete', /DELETE FROM legacy_webhook_jobs/],
  ['boss.send (job insert)', /INSERT INTO pgboss\.job/],
  ['pg-boss fetch', /pgboss[\s\S]*SKIP LOCKED/],
  ['pg-boss complete', /state = 'completed'/],
  ['processEvent: lock inbox row', /FROM webhook_inbox[\s\S]*FOR UPDATE/],
  ['processEvent: mark processed', /UPDATE webhook_inbox SET processed_at/],
  ['pg-boss other (maintenance, queue cache)', /pgboss/],
  ['other', /[\s\S]/],
];
const timing = { on: false, pieces: new Map(), unknown: new Set() };
function record(piece, ms) {
  const entry = timing.pieces.get(piece) ?? { count: 0, ms: 0 };
  entry.count += 1;
  entry.ms += ms;
  timing.pieces.set(piece, entry);
}
function pieceOf(text) {
  const [piece] = PIECES.find(([, pattern]) => pattern.test(text));
  if (piece === 'other' && process.env.BENCH_QUEUE_DEBUG) timing.unknown.add(text.slice(0, 120));
  return piece;
}
function timed(piece, start, result) {
  return result.then(
    (value) => {
      record(piece, performance.now() - start);
      return value;
    },
    (error) => {
      record(piece, performance.now() - start);
      throw error;
    },
  );
}
const clientQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function query(config, values, callback) {
  const text = typeof config === 'string' ? config : config?.text;
  if (!timing.on || typeof text !== 'string') return clientQuery.call(this, config, values, callback);
  const piece = pieceOf(text);
  const start = performance.now();
  const cb = typeof values === 'function' ? values : callback;
  if (typeof cb === 'function') {
    const done = (error, result) => {
      record(piece, performance.now() - start);
      cb(error, result);
    };
    return typeof values === 'function' ? clientQuery.call(this, config, done) : clientQuery.call(this, config, values, done);
  }
  return timed(piece, start, clientQuery.call(this, config, values));
};
const poolConnect = pg.Pool.prototype.connect;
pg.Pool.prototype.connect = function connect(cb) {
  if (!timing.on) return poolConnect.call(this, cb);
  const piece = this.options.application_name === 'jobs' ? 'wait for a pg-boss pool connection' : 'wait for a service pool connection';
  const start = performance.now();
  if (typeof cb === 'function') {
    return poolConnect.call(this, (error, client, release) => {
      record(piece, performance.now() - start);
      cb(error, client, release);
    });
  }
  return timed(piece, start, poolConnect.call(this));
};

/** Runs `work` with statement timing on and returns the pieces, per event. */
async function timePieces(work) {
  timing.pieces = new Map();
  timing.on = true;
  let result;
  try {
    result = await work();
  } finally {
    timing.on = false;
  }
  const pieces = [...timing.pieces].map(([piece, { count, ms }]) => ({ piece, perEvent: count / N, msPerEvent: ms / N }));
  return { result, pieces };
}

function printPieces(title, runs) {
  const columns = Object.keys(runs);
  console.log(`\n${title}`);
  console.log(`| piece | ${columns.map((c) => `${c}: statements/event | ${c}: ms/event`).join(' | ')} |`);
  console.log(`| --- |${' ---: | ---: |'.repeat(columns.length)}`);
  const names = PIECES.map(([piece]) => piece).concat(['wait for a service pool connection', 'wait for a pg-boss pool connection']);
  const totals = Object.fromEntries(columns.map((c) => [c, 0]));
  for (const name of names) {
    const cells = columns.map((c) => runs[c].pieces.find((p) => p.piece === name));
    if (cells.every((cell) => cell === undefined || cell.msPerEvent < 0.0005)) continue;
    console.log(`| ${name} | ${cells.map((c) => (c === undefined ? ' | ' : `${c.perEvent.toFixed(2)} | ${c.msPerEvent.toFixed(3)}`)).join(' | ')} |`);
    if (name !== 'bench: completion poll' && !name.startsWith('wait'))
      columns.forEach((c, i) => {
        totals[c] += cells[i]?.msPerEvent ?? 0;
      });
  }
  console.log(`| all statements but the poll | ${columns.map((c) => ` | ${totals[c].toFixed(3)}`).join(' | ')} |`);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ENGINES = ['PGlite', 'PostgreSQL'];
const IMPLS = ['new', 'old'];
const samples = {};
for (const e of ENGINES) for (const m of ['accept', 'e2e']) for (const i of IMPLS) samples[`${e}/${m}/${i}`] = [];

const engines = [];
try {
  for (const name of ENGINES) engines.push(await openEngine(name));
  // Warm-up (not counted): a small batch through each path on each engine.
  for (const engine of engines) {
    for (const impl of IMPLS) {
      await measureAccept(engine, impl, `warm_${impl}`, Math.min(N, 200));
    }
  }
  for (let round = 0; round < ROUNDS; round += 1) {
    const order = round % 2 === 0 ? IMPLS : [...IMPLS].reverse();
    for (const engine of engines) {
      for (const impl of order) samples[`${engine.engine}/accept/${impl}`].push(await measureAccept(engine, impl, `a${String(round)}_${impl}`));
      for (const impl of order) {
        const result = await measureEndToEnd(engine, impl, `e${String(round)}_${impl}`);
        samples[`${engine.engine}/e2e/${impl}`].push(result.rate);
        console.error(
          `round ${String(round + 1)} ${engine.engine} ${impl} end to end: ${result.rate.toFixed(0)} events/s; first handled at ${result.firstHandledMs.toFixed(0)} ms, all queued at ${result.producedMs.toFixed(0)} ms, done at ${result.totalMs.toFixed(0)} ms, workers paused ${result.pausedMs.toFixed(0)} ms`,
        );
      }
    }
  }

  console.log(`${String(N)} events of ${String(deliveries('x')[0].body.length)} bytes, ${String(IN_FLIGHT)} in flight, worker concurrency ${String(CONCURRENCY)}, ${String(ROUNDS)} rounds (medians)`);
  console.log('| engine | measure | pg-boss (new) events/s | hand-written (old) events/s | new/old |');
  console.log('| --- | --- | ---: | ---: | ---: |');
  for (const engine of ENGINES) {
    for (const [measure, label] of [['accept', 'accepted (verify + enqueue)'], ['e2e', 'processed end to end']]) {
      const n = median(samples[`${engine}/${measure}/new`]);
      const o = median(samples[`${engine}/${measure}/old`]);
      console.log(`| ${engine} | ${label} | ${n.toFixed(0)} | ${o.toFixed(0)} | ${(n / o).toFixed(2)} |`);
    }
  }
  const goal = (measure) => {
    const r = median(samples[`PostgreSQL/${measure}/new`]) / median(samples[`PostgreSQL/${measure}/old`]);
    return `${r.toFixed(2)}x ${r >= 0.8 ? 'met' : 'NOT met'}`;
  };
  console.log(`goal: on PostgreSQL, pg-boss at least 0.8x the old queue (accepted ${goal('accept')}; end to end ${goal('e2e')})`);

  if (!values['no-breakdown']) {
    // One more instrumented pass of each measure on PostgreSQL (not in the table above).
    const engine = engines.find((e) => e.engine === 'PostgreSQL');
    const acceptRuns = {};
    const e2eRuns = {};
    for (const impl of IMPLS) acceptRuns[impl] = await timePieces(() => measureAccept(engine, impl, `ba_${impl}`));
    for (const impl of IMPLS) e2eRuns[impl] = await timePieces(() => measureEndToEnd(engine, impl, `be_${impl}`));
    console.log(`\nPostgreSQL breakdown (one instrumented pass; ms/event = summed statement latency / ${String(N)} events, so concurrent statements add up)`);
    printPieces('accepted (verify + enqueue, no worker):', acceptRuns);
    console.log('\nend to end phases (ms from the first enqueue):');
    console.log(`| | first event handled | all events queued | all events done | workers paused (no event handled for ${String(PAUSE_MS)} ms or more) | events/s | events/s without the pauses |`);
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    const phase = (label, r) =>
      console.log(
        `| ${label} | ${r.firstHandledMs.toFixed(0)} | ${r.producedMs.toFixed(0)} | ${r.totalMs.toFixed(0)} | ${r.pausedMs.toFixed(0)} | ${r.rate.toFixed(0)} | ${(N / ((r.totalMs - r.pausedMs) / 1000)).toFixed(0)} |`,
      );
    phase('new (pg-boss)', e2eRuns.new.result);
    phase('old (hand-written)', e2eRuns.old.result);
    // The same new path polling every 2 s, pg-boss's own default (the generated workers poll every 0.5 s).
    e2eRuns['new, poll 2 s'] = await timePieces(() => measureEndToEnd(engine, 'new', 'bp_new', { pollingIntervalSeconds: 2 }));
    phase('new, pollingIntervalSeconds: 2', e2eRuns['new, poll 2 s'].result);
    printPieces("end to end (workers running); the last column is the new path polling every 2 s, pg-boss's default:", e2eRuns);
    if (timing.unknown.size > 0) console.log([...timing.unknown].join('\n'));
  }
} finally {
  for (const engine of engines) await engine.close();
}
console.log(`total ${((performance.now() - startedAt) / 1000).toFixed(0)} s`);
