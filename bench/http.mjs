// The generated request path side by side with what a user would write
// instead, in one run, each server in its own process, each measured with
// the same keep-alive load over loopback: a bare Fastify 5 app with no
// guard; bare Fastify with the obvious hand-written guard (jose `jwtVerify`
// and a CASL ability built per request); the generated full service's
// `/health` with its request log on at the default level; and a route of
// the generated service declared `access: { resource: 'document', action:
// 'read' }` (bearer token + rbac): in a second generated service whose auth
// takes roles from the token's claim (`roleSource: 'claims'`: the route
// touches no database), and in the first, where auth's default role source
// reads the user's role assignments from the database on every request (on
// PGlite and on PostgreSQL). Then a record
// read (`GET /api/records/document/:id`: bearer, rbac, a tenant transaction
// with its signed scope and row-level security, the owner check) on PGlite and
// on PostgreSQL, side by side with the same hand-written guard followed by a
// hand-written `SELECT ... WHERE tenant_id = $1 AND id = $2` (no RLS, no scope)
// on the same database engine. On PostgreSQL the generated service logs in as
// a role that can only become app_user and app_service (docs/app.md).
// Usage: npm run build && node bench/http.mjs [--seconds 5] [--rounds 3] [--connections 10]
//   [--service <dir of a generated full service>] [--service-claims <the same, roleSource claims>] [--cpu-prof <dir>] [--only health,guarded]
//   [--database-url postgres://postgres@127.0.0.1:5432/test]   (an owner's URL; a database is made and dropped)
import { execFileSync, fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const self = fileURLToPath(import.meta.url);
const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '10' },
    service: { type: 'string' },
    // The same for the service with roles from the token's claim (made with auth's roleSource: 'claims').
    'service-claims': { type: 'string' },
    'cpu-prof': { type: 'string' },
    // Some of the keys below (comma-separated), to measure or profile some paths alone.
    only: { type: 'string', default: 'bare,jose-casl,health,guarded-claims,guarded,record-pglite,hand-pglite,guarded-pg,record-pg,hand-pg' },
    'database-url': { type: 'string', default: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test' },
    // Internal: this file is also each server and the load generator.
    serve: { type: 'string' },
    load: { type: 'string' },
  },
});

const ISSUER = 'https://127.0.0.1/issuer/';
const AUDIENCE = 'https://api.bench.test';
const TENANT = '00000000-0000-4000-8000-0000000000b1';
/** A role of the starter permission spec that reads documents, without MFA. */
const ROLE = 'member';
const OK_SCHEMA = { response: { 200: { type: 'object', properties: { ok: { type: 'boolean' } } } } };
/** The record every record read asks for, owned by the token's subject in TENANT. */
const RECORD_ID = '00000000-0000-4000-8000-0000000000d1';
const SUBJECT = 'bench-user';

if (values.serve !== undefined) await serve(values.serve);
else if (values.load !== undefined) await load(JSON.parse(values.load));
else await orchestrate();

// --- The servers ------------------------------------------------------------

async function serve(kind) {
  const listen = async (app, onClose = () => undefined) => {
    // A clean exit, so that --cpu-prof writes its profile.
    process.once('SIGTERM', () => {
      void app.close().then(onClose).then(() => process.exit(0));
    });
    // The parent asks for the CPU time this process has used, before and after each measurement.
    process.on('message', (message) => {
      if (message === 'cpu') process.send({ cpu: process.cpuUsage() });
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    process.send({ port: app.server.address().port });
  };
  if (kind === 'bare') {
    const { fastify } = await import('fastify');
    const app = fastify();
    app.get('/bench', { schema: OK_SCHEMA }, () => ({ ok: true }));
    return listen(app);
  }
  if (kind === 'jose-casl' || kind === 'hand-pglite' || kind === 'hand-pg') {
    // The obvious hand-written guard: verify the token, build the user's ability, ask it.
    const { fastify } = await import('fastify');
    const { createRemoteJWKSet, jwtVerify } = await import('jose');
    const { AbilityBuilder, createMongoAbility } = await import('@casl/ability');
    const keys = createRemoteJWKSet(new URL(process.env.OIDC_JWKS_URI));
    const grants = { member: [['read', 'Document'], ['create', 'Document']], auditor: [['read', 'Document']] };
    const app = fastify();
    app.addHook('onRequest', async (request, reply) => {
      const match = /^Bearer (.+)$/.exec(request.headers.authorization ?? '');
      if (match === null) return reply.code(401).send({ error: 'UNAUTHORIZED' });
      let payload;
      try {
        ({ payload } = await jwtVerify(match[1], keys, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['RS256'] }));
      } catch {
        return reply.code(401).send({ error: 'UNAUTHORIZED' });
      }
      const { can, build } = new AbilityBuilder(createMongoAbility);
      for (const role of payload.roles ?? []) for (const [action, subject] of grants[role] ?? []) can(action, subject);
      if (!build().can('read', 'Document')) return reply.code(403).send({ error: 'FORBIDDEN' });
    });
    if (kind === 'jose-casl') {
      app.get('/bench', { schema: OK_SCHEMA }, () => ({ ok: true }));
      return listen(app);
    }
    // Then the obvious hand-written read: the tenant in the WHERE clause, nothing else.
    const query = await handWrittenDatabase(kind);
    const RECORD_SCHEMA = { response: { 200: { type: 'object', properties: { id: { type: 'string' }, title: { type: 'string' } } } } };
    app.get('/bench/record/:id', { schema: RECORD_SCHEMA }, async (request, reply) => {
      const rows = await query.read(TENANT, request.params.id);
      if (rows.length === 0) return reply.code(404).send({ error: 'NOT_FOUND' });
      return rows[0];
    });
    return listen(app, query.close);
  }
  if (kind === 'generated' || kind === 'generated-pg' || kind === 'generated-claims') {
    // The generated service as src/server.ts starts it (database included), plus one
    // guarded route that touches no database, declared as a user would declare it.
    const { tsImport } = await import('tsx/esm/api');
    const service = kind === 'generated-claims' ? process.env.BENCH_SERVICE_CLAIMS : process.env.BENCH_SERVICE;
    const { buildApp, loadConfigOrExit, openDatabase, withTenant, documentRecords, assignRole } = await tsImport(path.join(service, 'src/bench-entry.ts'), import.meta.url);
    const env = kind === 'generated-pg' ? await serviceLogin(openDatabase, loadConfigOrExit) : process.env;
    const config = loadConfigOrExit(env);
    const database = await openDatabase(config, { requireSafeLogin: kind === 'generated-pg' });
    await withTenant(database.db, TENANT, (tx) =>
      tx.insert(documentRecords).values({ id: RECORD_ID, tenantId: TENANT, ownerId: SUBJECT, title: 'bench', internalNote: 'bench' }),
    );
    // The token's user holds its role where the service reads roles (rbac's assignments).
    await assignRole(database.db, TENANT, SUBJECT, ROLE);
    const app = await buildApp(config, { database });
    app.get('/bench/guarded', { config: { access: { resource: 'document', action: 'read' } }, schema: OK_SCHEMA }, () => ({ ok: true }));
    return listen(app, () => database.close());
  }
  throw new Error(`unknown server ${kind}`);
}

/**
 * The production set-up of docs/app.md, "Database logins": migrate as the
 * owner, then a login that can only become app_user and app_service.
 */
async function serviceLogin(openDatabase, loadConfigOrExit) {
  const ownerUrl = process.env.BENCH_PG_URL;
  const owner = await openDatabase(loadConfigOrExit({ ...process.env, DATABASE_URL: ownerUrl, DATABASE_MIGRATION_URL: ownerUrl }));
  await owner.close();
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  const login = process.env.BENCH_PG_LOGIN;
  await client.query(`CREATE ROLE ${login} LOGIN NOINHERIT`);
  await client.query(`GRANT app_user, app_service TO ${login}`);
  await client.end();
  const loginUrl = new URL(ownerUrl);
  loginUrl.username = login;
  return { ...process.env, DATABASE_URL: loginUrl.href, DATABASE_MIGRATION_URL: ownerUrl };
}

/** A table and one row for the hand-written read, on PGlite in memory or the bench's PostgreSQL database. */
async function handWrittenDatabase(kind) {
  const ddl = 'CREATE TABLE documents (id uuid PRIMARY KEY, tenant_id uuid NOT NULL, owner_id text NOT NULL, title text NOT NULL)';
  const row = [RECORD_ID, TENANT, SUBJECT, 'bench'];
  const select = 'SELECT id, title FROM documents WHERE tenant_id = $1 AND id = $2';
  if (kind === 'hand-pglite') {
    const { PGlite } = await import('@electric-sql/pglite');
    const db = await PGlite.create();
    await db.exec(ddl);
    await db.query('INSERT INTO documents VALUES ($1, $2, $3, $4)', row);
    return { read: async (tenant, id) => (await db.query(select, [tenant, id])).rows, close: () => db.close() };
  }
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: process.env.BENCH_PG_URL, max: 10 });
  await pool.query(ddl);
  await pool.query('INSERT INTO documents VALUES ($1, $2, $3, $4)', row);
  return { read: async (tenant, id) => (await pool.query(select, [tenant, id])).rows, close: () => pool.end() };
}

// --- The load generator: keep-alive connections, one request in flight each --

async function load({ port, url, headers, connections, milliseconds }) {
  const request = Buffer.from(
    `GET ${url} HTTP/1.1\r\nHost: 127.0.0.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`,
  );
  const statuses = {};
  let done = 0;
  let stop = false;
  const connection = () =>
    new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.setNoDelay(true);
      let buffer = Buffer.alloc(0);
      socket.on('connect', () => socket.write(request));
      socket.on('data', (chunk) => {
        buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
        for (;;) {
          const end = buffer.indexOf('\r\n\r\n');
          if (end < 0) return;
          const head = buffer.subarray(0, end).toString('latin1');
          const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
          if (buffer.length < end + 4 + length) return;
          const status = head.slice(9, 12);
          statuses[status] = (statuses[status] ?? 0) + 1;
          done += 1;
          buffer = buffer.subarray(end + 4 + length);
          if (stop) {
            socket.end();
            resolve();
            return;
          }
          socket.write(request);
        }
      });
      socket.on('error', reject);
    });
  const started = performance.now();
  setTimeout(() => (stop = true), milliseconds);
  await Promise.all(Array.from({ length: connections }, connection));
  process.send({ perSecond: (done / (performance.now() - started)) * 1000, statuses });
}

// --- The run ------------------------------------------------------------------

async function orchestrate() {
  const seconds = Number(values.seconds);
  const rounds = Number(values.rounds);
  const connections = Number(values.connections);
  const work = mkdtempSync(path.join(os.tmpdir(), 'bulwark-bench-http-'));
  const children = [];
  const cleanups = [];
  try {
    // A generated full service (app + rbac + webhooks + auth), and the same service with
    // auth's roles taken from the token's claim (its guarded route touches no database).
    const service = values.service ?? path.join(work, 'svc');
    const claimsService = values['service-claims'] ?? path.join(work, 'svc-claims');
    const { plan, apply } = await import(path.join(root, 'dist/src/index.js'));
    for (const [dir, auth] of [[service, {}], [claimsService, { roleSource: 'claims' }]]) {
      if (dir === values.service || dir === values['service-claims']) continue;
      for (const generator of ['app', 'rbac', 'webhooks', 'auth']) await apply(await plan(generator, generator === 'auth' ? auth : {}, { cwd: dir }));
      symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    }
    for (const dir of [service, claimsService]) writeFileSync(
      path.join(dir, 'src/bench-entry.ts'),
      [
        "export { buildApp } from './app.js';",
        "export { loadServiceConfigOrExit as loadConfigOrExit } from './environment.js';",
        "export { openDatabase } from './db/client.js';",
        "export { documentRecords } from './authz/record-tables.js';",
        "import { roleAssignments } from './authz/roles.js';",
        "import type { Database } from './db/client.js';",
        "import { withTenant } from './db/tenant.js';",
        'export { withTenant };',
        'export const assignRole = (db: Database, tenantId: string, userId: string, role: string) =>',
        "  withTenant(db, tenantId, (tx) => tx.insert(roleAssignments).values({ tenantId, userId, role, grantedBy: 'bench' }).onConflictDoNothing());",
        '',
      ].join('\n'),
    );

    // The identity provider's key set, served over https on this machine (production
    // refuses a plain-http provider); the children trust its self-signed certificate.
    const { SignJWT, exportJWK, generateKeyPair } = await import('jose');
    const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
    const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'bench', alg: 'RS256', use: 'sig' }] });
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', path.join(work, 'key.pem'), '-out', path.join(work, 'cert.pem')], { stdio: 'ignore' });
    const keyServer = createServer({ key: readFileSync(path.join(work, 'key.pem')), cert: readFileSync(path.join(work, 'cert.pem')) }, (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end(jwks);
    });
    await new Promise((resolve) => keyServer.listen(0, '127.0.0.1', resolve));
    const jwksUri = `https://127.0.0.1:${keyServer.address().port}/jwks`;
    const token = async () => {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ tenant_id: TENANT, roles: [ROLE] })
        .setProtectedHeader({ alg: 'RS256', kid: 'bench', typ: 'at+jwt' })
        .setIssuer(ISSUER).setAudience(AUDIENCE).setSubject(SUBJECT)
        .setIssuedAt(now).setExpirationTime(now + 600)
        .sign(privateKey);
    };

    const secret = () => Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64');
    const env = {
      ...process.env,
      NODE_EXTRA_CA_CERTS: path.join(work, 'cert.pem'),
      NODE_ENV: 'production',
      OIDC_ISSUER: ISSUER,
      OIDC_JWKS_URI: jwksUri,
      OIDC_AUDIENCE: AUDIENCE,
      OIDC_CLIENT_ID: 'bench',
      OIDC_CLIENT_SECRET: secret(),
      OIDC_REDIRECT_URI: 'https://app.bench.test/auth/callback',
      // One key ring seals provider tokens and endpoint secrets (src/crypto/seal.ts).
      SEALING_KEYS: `bench:${secret()}`,
      WEBHOOK_SECRET_STRIPE: `whsec_${secret()}`,
      // Read only by a service generated with these sources (the e2e matrix's, say).
      WEBHOOK_SECRET_GITHUB: secret(),
      WEBHOOK_SECRET_PARTNER: `whsec_${secret()}`,
      // Read only by a service generated with passkeys.
      PASSKEY_RP_ID: 'bench.test',
      PASSKEY_ORIGIN: 'https://app.bench.test',
      // Workers run in their own process in production (npm run worker).
      JOBS_WORKER: 'off',
      // Every request of the run comes from one address: the limits would measure themselves.
      RATE_LIMIT_MAX: '1000000',
      BENCH_SERVICE: service,
      BENCH_SERVICE_CLAIMS: claimsService,
    };
    delete env.DATABASE_URL;
    delete env.LOG_LEVEL;

    const start = async (kind) => {
      const execArgv = values['cpu-prof'] === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', path.resolve(values['cpu-prof'], kind)];
      // Logs go where a container's stdout would: written, not read here.
      const child = fork(self, ['--serve', kind], { env, execArgv, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
      children.push(child);
      const { port } = await new Promise((resolve, reject) => {
        child.once('message', resolve);
        child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
      });
      servers[kind] = child;
      return port;
    };
    const servers = {};
    const cpuOf = (kind) =>
      new Promise((resolve) => {
        servers[kind].once('message', ({ cpu }) => resolve(cpu.user + cpu.system));
        servers[kind].send('cpu');
      });
    const only = new Set(values.only.split(','));
    const all = [
      { key: 'bare', name: 'bare Fastify 5, no guard', server: 'bare', url: '/bench', auth: false },
      { key: 'jose-casl', name: 'bare Fastify + jose `jwtVerify` + CASL ability per request', server: 'jose-casl', url: '/bench', auth: true },
      { key: 'health', name: 'generated `/health` (request log on, LOG_LEVEL info)', server: 'generated', url: '/health', auth: false },
      { key: 'guarded-claims', name: "generated guarded route, no database (bearer + rbac, roles from the token's claim)", server: 'generated-claims', url: '/bench/guarded', auth: true },
      { key: 'guarded', name: 'generated guarded route, roles read from the database per request, PGlite', server: 'generated', url: '/bench/guarded', auth: true },
    ];
    const record = `/api/records/document/${RECORD_ID}`;
    all.push(
      { key: 'hand-pglite', name: 'jose + CASL + hand-written SELECT, PGlite', server: 'hand-pglite', url: `/bench/record/${RECORD_ID}`, auth: true },
      { key: 'record-pglite', name: 'generated record read, PGlite', server: 'generated', url: record, auth: true },
      { key: 'hand-pg', name: 'jose + CASL + hand-written SELECT, PostgreSQL', server: 'hand-pg', url: `/bench/record/${RECORD_ID}`, auth: true },
      { key: 'guarded-pg', name: 'generated guarded route, roles read from the database per request, PostgreSQL', server: 'generated-pg', url: '/bench/guarded', auth: true },
      { key: 'record-pg', name: 'generated record read, PostgreSQL', server: 'generated-pg', url: record, auth: true },
    );
    // PostgreSQL: a database of the run's own, and the service's login, both dropped at the end.
    const suffix = crypto.getRandomValues(new Uint8Array(6)).reduce((text, byte) => text + byte.toString(16).padStart(2, '0'), '');
    const pgDatabase = `bulwark_bench_${suffix}`;
    env.BENCH_PG_LOGIN = `bulwark_bench_login_${suffix}`;
    const pgUrl = new URL(values['database-url']);
    const pgAdmin = async (statement) => {
      const { default: pg } = await import('pg');
      const client = new pg.Client({ connectionString: pgUrl.href });
      await client.connect();
      try {
        await client.query(statement);
      } finally {
        await client.end();
      }
    };
    if (['record-pg', 'hand-pg', 'guarded-pg'].some((key) => only.has(key))) {
      await pgAdmin(`CREATE DATABASE ${pgDatabase}`);
      cleanups.push(async () => {
        await pgAdmin(`DROP DATABASE IF EXISTS ${pgDatabase} WITH (FORCE)`);
        await pgAdmin(`DROP ROLE IF EXISTS ${env.BENCH_PG_LOGIN}`);
      });
      const url = new URL(pgUrl);
      url.pathname = `/${pgDatabase}`;
      env.BENCH_PG_URL = url.href;
    }
    const targets = all.filter((target) => only.has(target.key));
    const ports = {};
    for (const target of targets) ports[target.server] ??= await start(target.server);
    for (const target of targets) target.port = ports[target.server];

    const measure = async (target, milliseconds) => {
      const headers = target.auth ? { authorization: `Bearer ${await token()}` } : {};
      const cpuBefore = await cpuOf(target.server);
      const child = fork(self, ['--load', JSON.stringify({ port: target.port, url: target.url, headers, connections, milliseconds })], { stdio: 'inherit' });
      const result = await new Promise((resolve, reject) => {
        child.once('message', resolve);
        child.once('exit', (code) => code !== 0 && reject(new Error(`load generator exited with ${code}`)));
      });
      const cpu = (await cpuOf(target.server)) - cpuBefore;
      const other = Object.keys(result.statuses).filter((status) => status !== '200');
      if (other.length > 0) throw new Error(`${target.name}: answers other than 200: ${JSON.stringify(result.statuses)}`);
      const requests = Object.values(result.statuses).reduce((sum, count) => sum + count, 0);
      return { perSecond: result.perSecond, cpuPerRequest: cpu / requests };
    };

    // One warm-up each (JIT, the key set fetched, pools filled), then interleaved rounds.
    for (const target of targets) await measure(target, 2000);
    const results = targets.map(() => []);
    const cpu = targets.map(() => []);
    for (let round = 0; round < rounds; round += 1) {
      const order = targets.map((_, index) => (index + round) % targets.length);
      for (const index of order) {
        const { perSecond, cpuPerRequest } = await measure(targets[index], seconds * 1000);
        results[index].push(perSecond);
        cpu[index].push(cpuPerRequest);
      }
    }

    const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
    const of = Object.fromEntries(targets.map((target, index) => [target.key, median(results[index])]));
    const cpuOfTarget = Object.fromEntries(targets.map((target, index) => [target.key, median(cpu[index])]));
    const ratio = (value, base) => (base === undefined ? '' : (value / base).toFixed(2));
    const goal = (label, value, base, factor) =>
      value === undefined || base === undefined ? [] : [`${label}: ${(value / base).toFixed(2)}x ${value >= factor * base ? 'met' : 'NOT met'}`];
    const lines = [
      `${rounds} interleaved rounds of ${seconds} s, ${connections} keep-alive connections, one request in flight each; median req/s`,
      '',
      '| route | req/s | × bare Fastify | × jose + CASL | server CPU µs/request |',
      '| --- | ---: | ---: | ---: | ---: |',
      ...targets.map((target) => `| ${target.name} | ${Math.round(of[target.key]).toLocaleString('en-US')} | ${ratio(of[target.key], of.bare)} | ${ratio(of[target.key], of['jose-casl'])} | ${cpuOfTarget[target.key].toFixed(1)} |`),
      '',
      ...goal('guarded route, no database ≥ 2x jose + CASL', of['guarded-claims'], of['jose-casl'], 2),
      ...goal('guarded route, no database ≥ 0.5x bare Fastify', of['guarded-claims'], of.bare, 0.5),
      ...goal('/health ≥ 0.5x bare Fastify', of.health, of.bare, 0.5),
      ...(of['record-pglite'] === undefined || of['hand-pglite'] === undefined ? [] : [`record read, PGlite: ${ratio(of['record-pglite'], of['hand-pglite'])}x the hand-written read`]),
      ...(of['record-pg'] === undefined || of['hand-pg'] === undefined ? [] : [`record read, PostgreSQL: ${ratio(of['record-pg'], of['hand-pg'])}x the hand-written read`]),
    ];
    console.log(lines.join('\n'));
    mkdirSync(path.join(root, '.bench-out'), { recursive: true });
    writeFileSync(path.join(root, '.bench-out/http.json'), `${JSON.stringify({ seconds, rounds, connections, targets: targets.map((t, i) => ({ name: t.name, perSecond: results[i], cpuMicrosecondsPerRequest: cpu[i] })) }, null, 2)}\n`);
    keyServer.close();
  } finally {
    await Promise.all(
      children.map(
        (child) =>
          new Promise((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once('exit', resolve);
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), 5000).unref();
          }),
      ),
    );
    for (const cleanup of cleanups) await cleanup();
    rmSync(work, { recursive: true, force: true });
  }
}
