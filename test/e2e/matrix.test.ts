import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/package-root.js';
import { plan } from '../../src/index.js';
import { snapshot, tempDir } from '../helpers/fs.js';

/**
 * The end-to-end matrix: the real CLI, headless, writes each combination to
 * disk; then the generated repository's own type check, lint, tests and
 * build must pass, the tests on embedded PGlite and on PostgreSQL with Redis. It runs once per test run (this file only), on
 * bulwark's own pinned node_modules, so it needs no network.
 */
const MATRIX = [
  { label: 'app', modules: [], depth: 'full' },
  // The full stack, billing included: billing builds on rbac and webhooks and adds no route of its own yet,
  // so one combination holds every module's code without adding a run.
  { label: 'app + rbac + webhooks + auth (with passkeys and impersonation) + billing', modules: ['rbac', 'webhooks', 'auth', 'billing'], depth: 'full' },
  // A module without the others: what it writes must not lean on a module that is absent.
  { label: 'app + auth (without rbac)', modules: ['auth'], depth: 'seams' },
  { label: 'app + webhooks', modules: ['webhooks'], depth: 'seams' },
] as const satisfies readonly { label: string; modules: readonly string[]; depth: Depth }[];

/**
 * `full`: every check below. `seams`: generation, type check, lint and the
 * tests on PostgreSQL, the production engine. The checks that do not depend
 * on which modules are present together (re-runs, build, seeded lint, a bad
 * config, the worker process) and the second engine (PGlite) run on the full
 * combinations only, which hold every module's code: CI stays well under 20
 * minutes on two cores.
 */
type Depth = 'full' | 'seams';

/** Options a module gets in the matrix: every optional part on, so that all of it is checked. */
const MODULE_ARGS: Readonly<Record<string, readonly string[]>> = {
  auth: ['--set', 'passkeys=true', '--set', 'impersonation=true'],
  // One source of each signature preset, so that every preset's routes and replay rules are tested.
  webhooks: ['--set', 'sources=[{"name":"stripe","preset":"stripe"},{"name":"github","preset":"github"},{"name":"partner","preset":"standard-webhooks"}]'],
};

const BIN = path.join(PACKAGE_ROOT, 'bin', 'bulwark.js');
/** Debian's chromium: CI installs it; the generated browser test skips without it. */
const CHROMIUM = '/usr/bin/chromium';

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

interface ExecOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** Text written to stdin, then closed; default: closed at once. */
  readonly stdin?: string;
  /** Leave stdin a pipe that nobody writes to nor closes. */
  readonly stdinOpen?: boolean;
}

/** Runs a command without a terminal, as CI and platforms do. */
function exec(command: string, args: string[], cwd: string, options: ExecOptions = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...options.env }, stdio: ['pipe', 'pipe', 'pipe'], timeout: 420_000 });
    if (options.stdinOpen !== true) child.stdin.end(options.stdin ?? '');
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}

function expectSuccess(r: Result, what: string): void {
  expect(r.code, `${what} failed:\n${r.stdout}\n${r.stderr}`).toBe(0);
}

/** PostgreSQL for the matrix; these machines and CI run one on 127.0.0.1:5432 (trust auth). */
const POSTGRES_URL = process.env['BULWARK_E2E_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
/** Redis for the shared rate-limit counters, on the same machines. */
const REDIS_URL = process.env['BULWARK_E2E_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

// The generated repository's own scripts must not see bulwark's test settings.
const CLEAN_ENV = { NODE_ENV: '', VITEST: '', VITEST_WORKER_ID: '', VITEST_POOL_ID: '', TEST: '' };

/** One violation of each security lint rule the generated repository enables. */
const SEEDED_RULES = [
  'local/require-route-authz',
  'local/no-allow-all-policy',
  'local/no-timing-unsafe-compare',
  'local/no-raw-card-data',
  'local/no-secret-in-prompt-or-log',
  'security/detect-non-literal-regexp',
] as const;
const SEEDED_VIOLATIONS = `import { fastify } from 'fastify';
const app = fastify();
app.get('/admin/users', () => []);
export function canDeleteOrder(_actorId: string): boolean {
  return true;
}
export function verify(signature: string, expected: string): boolean {
  return signature === expected;
}
export interface ChargeBody {
  readonly amount: number;
  readonly cardNumber: string;
}
export function connect(password: string): void {
  console.info(\`connecting with \${password}\`);
}
export function matcher(pattern: string): RegExp {
  return new RegExp(pattern);
}
`;

/** GET /health's schema with a new required query parameter: a breaking change to the contract. */
const SEEDED_REQUIRED_PARAMETER =
  "schema: { querystring: { type: 'object', required: ['probe'], properties: { probe: { type: 'string' } } }, response: { 200: healthResponse } }";

/**
 * Each combination is a describe block whose steps are tests of their own,
 * run in order on one generated repository: a failing step names itself, and
 * the steps after it still run (those that need what failed say so).
 */
describe.each(MATRIX)('end to end: $label', ({ modules, depth }) => {
  const argv = (dir: string) => ['new', dir, '--json'];
  const full = depth === 'full';
  let generatedDir: string | undefined;
  let built = false;
  /** The repository the first step generated; a step after a failed generation fails saying so. */
  const repo = (): string => {
    if (generatedDir === undefined) throw new Error('the repository was not generated: see the first step of this combination');
    return generatedDir;
  };
  const onPostgres = { ...CLEAN_ENV, DATABASE_URL: POSTGRES_URL, REDIS_URL };

  it('generates headlessly, app then each module (full combinations: a re-run writes nothing)', { timeout: 300_000 }, async () => {
    const dir = path.join(await tempDir('bulwark-e2e-'), 'demo-service');
    const generated = await exec(process.execPath, [BIN, ...argv(dir)], PACKAGE_ROOT);
    expectSuccess(generated, 'bulwark new');
    const report = JSON.parse(generated.stdout) as { ok: boolean; files: { path: string; status: string }[] };
    expect(report.ok).toBe(true);
    expect(report.files.length).toBeGreaterThan(10);

    const pkg = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as { name: string };
    expect(pkg.name).toBe('demo-service');

    // The CLI formats in a warm worker thread; the API in-process: both must write the same bytes.
    const inProcess = await plan('app', {}, { cwd: dir });
    expect(inProcess.files.filter((f) => f.status !== 'unchanged').map((f) => f.path)).toEqual([]);

    if (full) {
      const before = await snapshot(dir);
      const again = await exec(process.execPath, [BIN, ...argv(dir)], PACKAGE_ROOT);
      expectSuccess(again, 'second bulwark new');
      expect((JSON.parse(again.stdout) as typeof report).files.every((f) => f.status === 'unchanged')).toBe(true);
      expect(await snapshot(dir)).toEqual(before);
    }

    // Feature modules join the service, headless, each with its example spec; a re-run changes nothing.
    for (const module of modules) {
      const args = ['generate', module, '--cwd', dir, '--json', ...(MODULE_ARGS[module] ?? [])];
      const added = await exec(process.execPath, [BIN, ...args], PACKAGE_ROOT);
      expectSuccess(added, `bulwark generate ${module}`);
      if (!full) continue;
      const rerun = await exec(process.execPath, [BIN, ...args], PACKAGE_ROOT);
      expectSuccess(rerun, `second bulwark generate ${module}`);
      expect((JSON.parse(rerun.stdout) as typeof report).files.filter((f) => f.status !== 'unchanged')).toEqual([]);
    }

    // Dependencies come from bulwark's own pinned devDependencies: the
    // versions written into the generated package.json are the ones tested.
    await symlink(path.join(PACKAGE_ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    generatedDir = dir;
  });

  // bulwark cannot run the routes it writes, so the service records its own contract from them:
  // outside CI its first test run does, and this step does it explicitly, as CI=true refuses a missing file.
  it('records its API contract from its routes (npm run contract:update)', { timeout: 300_000 }, async () => {
    const dir = repo();
    expectSuccess(await exec('npm', ['run', 'contract:update'], dir, { env: CLEAN_ENV }), 'npm run contract:update');
    const contract = JSON.parse(await readFile(path.join(dir, 'openapi.json'), 'utf8')) as { openapi: string; paths: Record<string, unknown> };
    expect(contract.openapi).toBe('3.1.0');
    expect(Object.keys(contract.paths)).toContain('/health');
    // The first contract is the first promise.
    expect(await readFile(path.join(dir, 'contract.lock'), 'utf8')).toBe(await readFile(path.join(dir, 'openapi.json'), 'utf8'));
  });

  it('type checks (npm run typecheck)', { timeout: 300_000 }, async () => {
    expectSuccess(await exec('npm', ['run', 'typecheck'], repo(), { env: CLEAN_ENV }), 'npm run typecheck');
  });

  it('lints (npm run lint: ESLint and prettier --check)', { timeout: 300_000 }, async () => {
    expectSuccess(await exec('npm', ['run', 'lint'], repo(), { env: CLEAN_ENV }), 'npm run lint');
  });

  if (full) {
    it('passes its tests on embedded PGlite (npm test)', { timeout: 900_000 }, async () => {
      expectSuccess(await exec('npm', ['test'], repo(), { env: CLEAN_ENV }), 'npm test (embedded PGlite)');
    });

    it('the contract check is armed: a seeded breaking change fails it unless the major version is raised', { timeout: 600_000 }, async () => {
      const dir = repo();
      const files = ['src/routes/health.ts', 'openapi.json', 'contract.lock'];
      const saved = await Promise.all(files.map((file) => readFile(path.join(dir, file), 'utf8')));
      try {
        // A new required query parameter on GET /health: every existing client's call now fails.
        const health = saved[0] ?? '';
        const seeded = health.replace('schema: { response: { 200: healthResponse } }', SEEDED_REQUIRED_PARAMETER);
        expect(seeded, 'src/routes/health.ts no longer has the schema this step seeds').not.toBe(health);
        await writeFile(path.join(dir, 'src/routes/health.ts'), seeded);
        // openapi.json follows the routes, but the change breaks contract.lock.
        const update = await exec('npm', ['run', 'contract:update'], dir, { env: CLEAN_ENV });
        expect(update.code, update.stdout).not.toBe(0);
        // vitest prints a failure's details on stderr.
        expect(`${update.stdout}${update.stderr}`).toContain('PARAMETER_REQUIRED: GET /health parameters.query:probe');
        expect(await readFile(path.join(dir, 'openapi.json'), 'utf8')).toContain('"probe"');
        const lock = await exec('npm', ['run', 'contract:lock'], dir, { env: CLEAN_ENV });
        expect(lock.code, lock.stdout).toBe(1);
        expect(lock.stderr).toContain('PARAMETER_REQUIRED');
        expect(await readFile(path.join(dir, 'contract.lock'), 'utf8')).toBe(saved[2]);
        // A new major version says it breaks clients: then the lock moves.
        const contract = JSON.parse(await readFile(path.join(dir, 'openapi.json'), 'utf8')) as { info: { version: string } };
        contract.info.version = '2.0.0';
        await writeFile(path.join(dir, 'openapi.json'), `${JSON.stringify(contract, null, 2)}\n`);
        expectSuccess(await exec('npm', ['run', 'contract:lock'], dir, { env: CLEAN_ENV }), 'npm run contract:lock with a new major version');
        expect(await readFile(path.join(dir, 'contract.lock'), 'utf8')).toContain('"version": "2.0.0"');
      } finally {
        await Promise.all(files.map((file, index) => writeFile(path.join(dir, file), saved[index] ?? '')));
      }
    });

    it('builds (npm run build)', { timeout: 300_000 }, async () => {
      expectSuccess(await exec('npm', ['run', 'build'], repo(), { env: CLEAN_ENV }), 'npm run build');
      built = true;
    });

    it('lint is armed: one seeded violation of each security rule fails it', { timeout: 300_000 }, async () => {
      // The generated lint is not only passing but armed.
      const dir = repo();
      const seeded = path.join(dir, 'src', 'seeded-violations.ts');
      await writeFile(seeded, SEEDED_VIOLATIONS);
      const lint = await exec('npx', ['eslint', '--format', 'json', 'src/seeded-violations.ts'], dir, { env: CLEAN_ENV }).finally(() => rm(seeded));
      expect(lint.code, lint.stderr).toBe(1);
      const fired = new Set((JSON.parse(lint.stdout) as { messages: { ruleId: string | null }[] }[]).flatMap((r) => r.messages.map((m) => m.ruleId)));
      expect([...SEEDED_RULES].filter((rule) => !fired.has(rule))).toEqual([]);
    });
  }

  // The same suite on PostgreSQL, and rate limits counted in Redis: the generated tests create
  // and drop a database of their own per run, and use their own Redis key prefix.
  it('passes its tests on PostgreSQL with Redis (npm test, DATABASE_URL and REDIS_URL set)', { timeout: 900_000 }, async () => {
    expectSuccess(await exec('npm', ['test'], repo(), { env: onPostgres }), `npm test on PostgreSQL (${POSTGRES_URL}) and Redis (${REDIS_URL})`);
  });

  if (full && (modules as readonly string[]).includes('auth')) {
    // Where Debian's chromium is installed (CI), the generated browser sign-in test must run, not skip.
    it.runIf(existsSync(CHROMIUM))('runs the headless Chromium sign-in test', { timeout: 300_000 }, async () => {
      const browser = await exec('npx', ['vitest', 'run', '--reporter=verbose', 'test/auth/browser.e2e.test.ts'], repo(), { env: CLEAN_ENV });
      expectSuccess(browser, 'the headless Chromium sign-in test');
      expect(browser.stdout).toContain('reaches a route that needs a session');
      expect(browser.stdout).not.toContain('skipped: no Chromium');
    });
  }

  if (full) {
    const needsBuild = (): string => {
      const dir = repo();
      if (!built) throw new Error('the repository was not built: see the build step of this combination');
      return dir;
    };

    it('the built server refuses a bad config at start, without echoing the value', { timeout: 60_000 }, async () => {
      const badConfig = await exec(process.execPath, ['dist/server.js'], needsBuild(), { env: { ...CLEAN_ENV, PORT: 'not-a-port' } });
      expect(badConfig.code).toBe(1);
      expect(badConfig.stderr).toContain('PORT');
      expect(badConfig.stderr).not.toContain('not-a-port');
    });

    if ((modules as readonly string[]).includes('webhooks')) {
      it('on PGlite, the server queues a signed event and stops, then npm run worker applies it', { timeout: 300_000 }, async () => {
        // One process owns PGlite's files: one after the other.
        const dir = needsBuild();
        await workerProcessesSignedEvent(dir, { PGLITE_DATA_DIR: path.join(dir, '.e2e-pglite') }, 'one after the other');
      });

      it('on PostgreSQL, the server and npm run worker run side by side', { timeout: 300_000 }, async () => {
        const dir = needsBuild();
        await withDatabase(async (url) => {
          await workerProcessesSignedEvent(dir, { DATABASE_URL: url }, 'side by side');
        });
      });
    }
  }
});

interface Running {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

function start(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Running {
  // Its own process group: a signal reaches npm and the node process it runs alike.
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  // 'close': the process and every child holding its output (npm's node) are gone.
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  return { child, output: () => output, exited };
}

async function waitFor(what: string, running: Running, text: string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!running.output().includes(text)) {
    if (Date.now() > deadline || running.child.exitCode !== null) throw new Error(`${what}: no "${text}" in:\n${running.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** SIGTERM, as a process manager stops it: the process must finish its work and exit 0. */
async function stop(what: string, running: Running): Promise<void> {
  if (running.child.pid !== undefined) process.kill(-running.child.pid, 'SIGTERM');
  const code = await running.exited;
  // npm itself dies of the signal; the node process under it must have stopped cleanly.
  if (what.startsWith('npm run worker')) expect(running.output(), `${what} did not stop cleanly`).toContain('"msg":"worker stopped"');
  else expect(code, `${what} did not stop cleanly:\n${running.output()}`).toBe(0);
}

/** A database of its own on the matrix's PostgreSQL, dropped afterwards. */
async function withDatabase(work: (url: string) => Promise<void>): Promise<void> {
  const name = `bulwark_e2e_${randomBytes(6).toString('hex')}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  try {
    const url = new URL(POSTGRES_URL);
    url.pathname = `/${name}`;
    await work(url.href);
  } finally {
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

/**
 * As a user runs it: fresh secrets of their own, development mode (plain
 * HTTP on this machine), the built server with its worker off, and
 * \`npm run worker\`. A Stripe-signed event posted to the route is queued
 * (202) and the worker takes it to the handlers file.
 */
async function workerProcessesSignedEvent(dir: string, database: NodeJS.ProcessEnv, order: 'one after the other' | 'side by side'): Promise<void> {
  const port = 40_000 + Math.floor(Math.random() * 20_000);
  const stripeSecret = `whsec_${randomBytes(32).toString('base64')}`;
  const env: NodeJS.ProcessEnv = {
    ...CLEAN_ENV,
    ...database,
    NODE_ENV: 'development',
    PORT: String(port),
    LOG_LEVEL: 'info',
    JOBS_WORKER: 'off',
    WEBHOOK_SECRET_STRIPE: stripeSecret,
    WEBHOOK_SECRET_GITHUB: randomBytes(32).toString('hex'),
    WEBHOOK_SECRET_PARTNER: `whsec_${randomBytes(32).toString('base64')}`,
    SEALING_KEYS: `e2e-1:${randomBytes(32).toString('base64')}`,
    OIDC_ISSUER: 'https://id.example.test/',
    OIDC_JWKS_URI: 'https://id.example.test/jwks',
    OIDC_AUDIENCE: 'https://api.example.test',
    OIDC_CLIENT_ID: 'e2e-service',
    OIDC_CLIENT_SECRET: randomBytes(24).toString('hex'),
    OIDC_REDIRECT_URI: `http://127.0.0.1:${String(port)}/auth/callback`,
    PASSKEY_RP_ID: 'localhost',
    PASSKEY_ORIGIN: `http://localhost:${String(port)}`,
  };
  const server = start(process.execPath, ['dist/server.js'], dir, env);
  const worker = order === 'side by side' ? start('npm', ['run', 'worker'], dir, env) : undefined;
  try {
    await waitFor('the server', server, 'Server listening');
    if (worker !== undefined) await waitFor('npm run worker', worker, 'worker started');
    const id = `evt_e2e_${randomBytes(6).toString('hex')}`;
    const t = Math.floor(Date.now() / 1000);
    const body = JSON.stringify({ id, type: 'invoice.paid', created: t, data: { object: { id: 'in_e2e' } } });
    const signature = createHmac('sha256', stripeSecret).update(`${String(t)}.${body}`).digest('hex');
    const response = await fetch(`http://127.0.0.1:${String(port)}/webhooks/stripe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': `t=${String(t)},v1=${signature}` },
      body,
    });
    expect(response.status, await response.clone().text()).toBe(202);
    const forged = await fetch(`http://127.0.0.1:${String(port)}/webhooks/stripe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': `t=${String(t)},v1=${'0'.repeat(64)}` },
      body: body.replace(id, `${id}_forged`),
    });
    expect(forged.status).toBe(401);
    if (worker === undefined) await stop('the server', server);
    const running = worker ?? start('npm', ['run', 'worker'], dir, env);
    try {
      await waitFor('npm run worker', running, `"eventId":"${id}"`);
      expect(running.output()).toContain('webhook event has no handler: acknowledged');
      expect(running.output()).not.toContain(`${id}_forged`);
    } finally {
      await stop('npm run worker', running);
    }
  } finally {
    if (server.child.exitCode === null) await stop('the server', server);
  }
}

describe('headless runs never wait for input', () => {
  it('completes without --yes while stdin stays open and is not a terminal', { timeout: 60_000 }, async () => {
    const dir = await tempDir('bulwark-e2e-');
    // stdin is a pipe that is never written to nor closed, as some platforms spawn tools.
    const result = await exec(process.execPath, [BIN, 'new', 'svc'], dir, { stdinOpen: true });
    expectSuccess(result, 'bulwark new without a terminal');
    expect(result.stdout).toContain('created');
    expect(await readFile(path.join(dir, 'svc', 'package.json'), 'utf8')).toContain('"name": "svc"');
  });
});

describe('end to end: generator', () => {
  it('adds a generator to a copy of bulwark that then passes its type check and its tests', { timeout: 300_000 }, async () => {
    const repo = path.join(await tempDir('bulwark-e2e-'), 'bulwark');
    for (const part of ['src', 'generators', 'templates', 'test', 'docs', 'package.json', 'tsconfig.json', 'vitest.config.ts']) {
      await cp(path.join(PACKAGE_ROOT, part), path.join(repo, part), { recursive: true });
    }
    await symlink(path.join(PACKAGE_ROOT, 'node_modules'), path.join(repo, 'node_modules'), 'dir');
    const spec = JSON.stringify({ name: 'audit-log', description: 'Append-only audit log.' });
    const generated = await exec(process.execPath, [BIN, 'generate', 'generator', '--cwd', repo, '--spec', '-', '--json'], repo, { stdin: spec });
    expectSuccess(generated, 'bulwark generate generator');
    expectSuccess(await exec(process.execPath, [path.join(repo, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], repo), 'tsc');
    const vitest = path.join(repo, 'node_modules/vitest/vitest.mjs');
    const tests = await exec(process.execPath, [vitest, 'run', '--reporter=verbose', 'test/registry.test.ts', 'test/generators/audit-log.test.ts'], repo, { env: CLEAN_ENV });
    expectSuccess(tests, 'the new generator\'s tests');
    // eslint-disable-next-line no-control-regex
    const plain = tests.stdout.replace(/\u001b\[[0-9;]*m/g, '');
    expect(plain).toContain('generator audit-log is complete');
    expect(plain).toContain('audit-log generator (in memory)');
  });
});
