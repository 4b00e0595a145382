import { BulwarkError, type ErrorIssue } from '../../src/errors.js';
import { defineGenerator, type FileIntent } from '../../src/generator.js';
import { registerTables, tablesEntry } from '../drizzle-tables.js';
import { addConfigParts, addLibrarySchemas, addMigrations, addMutatedFiles, addPublishedValues, addServiceTables, addToBuildApp, addToPackageJson } from '../module.js';
import { webhooksOptions, type WebhookSource, type WebhooksOptions } from './schema.js';
import { WEBHOOK_TABLES } from './tables.js';

const TEMPLATES = [
  'drizzle/webhooks/0000_webhooks.sql',
  'drizzle/webhooks/0001_endpoints.sql',
  'drizzle/webhooks/0002_pg_boss.sql',
  'drizzle/webhooks/0003_replay_keys.sql',
  'drizzle/webhooks/0004_scopes.sql',
  'drizzle/webhooks/meta/_journal.json',
  'src/jobs/boss.ts',
  'src/jobs/queues.ts',
  'src/jobs/workers.ts',
  'src/webhooks/config.ts',
  'src/webhooks/endpoints.ts',
  'src/webhooks/handlers.ts',
  'src/webhooks/outbound.ts',
  'src/webhooks/queue.ts',
  'src/webhooks/routes.ts',
  'src/webhooks/sources.ts',
  'src/webhooks/tables.ts',
  'src/webhooks/verify.ts',
  'src/worker.ts',
  'test/webhooks/endpoints.security.test.ts',
  'test/webhooks/eventually.ts',
  'test/webhooks/outbound.test.ts',
  'test/webhooks/queue.test.ts',
  'test/webhooks/queue.security.test.ts',
  'test/webhooks/worker-process.test.ts',
  'test/webhooks/worker-process.ts',
  'test/webhooks/routes.security.test.ts',
  'test/webhooks/signing.ts',
  'test/webhooks/verify.test.ts',
] as const;

const DEPENDENCIES = ['pg-boss', 'pino'] as const;
const DEV_DEPENDENCIES = ['fast-check', 'standardwebhooks', 'stripe'] as const;

/** The test-only secret every source gets in test/setup-env.ts (the Standard Webhooks test vector's). */
const TEST_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

export const webhooks = defineGenerator({
  name: 'webhooks',
  description: 'Verified, replay-safe, exactly-once inbound webhook routes with pg-boss queues and workers, in an existing service.',
  options: webhooksOptions,
  example: {},

  normalize: (parsed, context): WebhooksOptions => {
    const sources: WebhookSource[] = parsed.sources.map((s) => ({
      name: s.name,
      preset: s.preset,
      path: s.path ?? `/webhooks/${s.name}`,
      secretEnv: s.secretEnv ?? `WEBHOOK_SECRET_${s.name.toUpperCase().replace(/-/g, '_')}`,
    }));
    const issues: ErrorIssue[] = [];
    for (const key of ['name', 'path', 'secretEnv'] as const) {
      const seen = new Set<string>();
      sources.forEach((s, index) => {
        if (seen.has(s[key])) issues.push({ option: `sources.${String(index)}.${key}`, message: `repeats ${JSON.stringify(s[key])}: each source needs its own` });
        seen.add(s[key]);
      });
    }
    if (issues.length > 0) {
      throw new BulwarkError('E_SPEC_INVALID', `Invalid options for "webhooks": ${issues.map((i) => `${i.option}: ${i.message}`).join('; ')}.`, {
        option: issues[0]?.option ?? 'sources',
        issues,
        fix: 'Give each source a distinct name, path and secret variable.',
      });
    }
    return {
      sources,
      toleranceSeconds: parsed.toleranceSeconds,
      queue: parsed.queue,
      tables: tablesEntry(context, 'webhooks', ['drizzle/webhooks'], WEBHOOK_TABLES),
    };
  },

  files: (options): FileIntent[] => [
    ...TEMPLATES.map((template): FileIntent => ({
      kind: 'template',
      path: template,
      template: `webhooks/${template}.hbs`,
      data: {
        sources: options.sources,
        queues: options.sources.map((s) => `webhooks.${s.name}`),
        toleranceSeconds: options.toleranceSeconds,
      },
    })),
    {
      kind: 'template',
      path: '.github/workflows/webhooks-fuzz.yml',
      template: 'webhooks/github/workflows/webhooks-fuzz.yml.hbs',
      data: {},
    },
    addToPackageJson({
      dependencies: DEPENDENCIES,
      devDependencies: DEV_DEPENDENCIES,
      scripts: { worker: 'node dist/worker.js', 'worker:dev': 'tsx watch --liftoff-only --max-semi-space-size=8 src/worker.ts' },
    }),
    addToBuildApp(
      [
        { from: './webhooks/routes.js', named: ['webhookRoutes'] },
        { from: './jobs/workers.js', named: ['registerJobs'] },
      ],
      [
        'const boss = await registerJobs(app, { ...config.jobs, database: options.database });',
        'await webhookRoutes(app, { config: config.webhooks, database: options.database, boss });',
      ],
    ),
    addConfigParts([
      { from: './webhooks/config.js', field: 'webhooks', load: 'loadWebhookConfig' },
      { from: './jobs/workers.js', field: 'jobs', load: 'loadJobsConfig' },
    ]),
    // src/worker.ts is an entry point: it reads process.env and hands on what it read.
    { kind: 'edit', path: 'eslint.config.js', edits: [{ op: 'ensure-array-element', variable: 'ENTRY_POINTS', element: "'src/worker.ts'" }] },
    // The test secret is the Standard Webhooks test vector's: public twice over.
    addPublishedValues([TEST_SECRET]),
    addMigrations(
      [{ folder: 'drizzle/webhooks', table: '__drizzle_migrations_webhooks' }],
      [{ from: '../jobs/boss.js', name: 'migrateQueues' }],
    ),
    addServiceTables(['public.webhook_inbox', 'public.webhook_dead_letters', 'pgboss.*']),
    addMutatedFiles([{ file: 'src/webhooks/verify.ts', break: 90 }]),
    ...registerTables(['src/webhooks/tables.ts'], options.tables),
    addLibrarySchemas(['pgboss']),
    {
      kind: 'block',
      path: 'test/setup-env.ts',
      id: 'webhooks',
      comment: 'slash',
      content: [
        ...options.sources.map((s) => `process.env.${s.secretEnv} ??= ${JSON.stringify(TEST_SECRET)};`),
        '// Tests start the workers they need themselves.',
        "process.env.JOBS_WORKER ??= 'off';",
      ].join('\n'),
    },
    { kind: 'block', path: '.env.example', id: 'webhooks', comment: 'hash', content: envExample(options) },
    { kind: 'block', path: 'THREAT_MODEL.md', id: 'webhooks', comment: 'markdown', content: THREAT_MODEL },
    { kind: 'block', path: 'README.md', id: 'webhooks', comment: 'markdown', content: readme(options) },
    {
      kind: 'block',
      path: '.github/CODEOWNERS',
      id: 'webhooks',
      comment: 'hash',
      content: '# Webhook verification and the queue need a security review.\n/src/webhooks/ @your-org/security\n/src/jobs/ @your-org/security\n',
    },
  ],
});

function envExample(options: WebhooksOptions): string {
  const lines = options.sources.flatMap((s) => [
    `# ${s.name} (${s.preset}) webhook secrets, comma-separated while rotating. Required: the service will not start without.`,
    `${s.secretEnv}=`,
  ]);
  return [
    ...lines,
    '# Seconds a signed timestamp may be from now, either way (1 to 3600).',
    `WEBHOOK_TOLERANCE_SECONDS=${String(options.toleranceSeconds)}`,
    "# Deliveries a minute each source's route takes from one address: providers send in bursts,",
    '# from few addresses. Deliveries that fail verification also count against the address.',
    'WEBHOOK_RATE_LIMIT_MAX=6000',
    '# The signing secrets of customer webhook endpoints are sealed at rest with SEALING_KEYS (above):',
    '# required with this module.',
    '# Where queued jobs run: inline (in the HTTP process, the default; PGlite needs it) or off',
    '# (run `npm run worker` as a process of its own, on PostgreSQL).',
    'JOBS_WORKER=inline',
    '',
  ].join('\n');
}

function readme(options: WebhooksOptions): string {
  const rows = options.sources.map((s) => `| \`${s.name}\` | ${s.preset} | \`POST ${s.path}\` | \`${s.secretEnv}\` |`);
  return `## Webhooks

| source | signature | route | secrets |
| --- | --- | --- | --- |
${rows.join('\n')}

Each route verifies the raw bytes before parsing them (\`src/webhooks/verify.ts\`, plain \`node:crypto\`,
constant-time comparison), refuses timestamps more than \`WEBHOOK_TOLERANCE_SECONDS\` away in either
direction, accepts any active secret (list several while rotating), records the event id once in
\`webhook_inbox\` (for GitHub, which signs neither its delivery id nor a time, also the SHA-256 of the body,
so a replay under a new id is a duplicate) and queues it in pg-boss in the same transaction, and answers
at once: 202 when queued, 200 for a duplicate, 401 for a bad signature (counted, logged without the body, audited, and
alerted past a threshold), 413 for a body over 256 KiB. A missing or placeholder secret stops the service.

The work happens in a worker, never in the request. Verified events wait in pg-boss queues, one per
source (\`webhooks.<source>\`, each with a dead-letter queue \`webhooks.<source>.dead\`), in the database's
\`pgboss\` schema: the same code on PGlite and PostgreSQL. Register what to do per event type in
\`src/webhooks/handlers.ts\`; an event type without a handler is acknowledged and logged, never retried.
A handler runs at most once per event: the worker locks the inbox row, marks it processed and runs the
handler in one transaction, so a job delivered twice (a worker that died after committing, two workers
racing) changes nothing the second time. Write tenant data through \`context.inTenant(tenantId, tx => ...)\`
(row-level security as \`app_user\`), and compare \`event.occurredAt\` before overwriting state
(\`isNewer\`), so an old event cannot undo a newer one. A handler that throws is rolled back and retried
with exponential backoff and jitter; after the last retry the event moves to the dead letters, the inbox
row gets \`failed_at\` and the dead-letter alert fires once (\`src/jobs/workers.ts\`: replace the log line
with your pager). A handler gets \`context.signal\`, aborted when it runs out of time (\`timeoutSeconds\`,
30 s): its transaction is then rolled back and the event retried, so one hanging call to a provider never
stops the queue (on PGlite it holds the database until then: keep handlers short there). Concurrency,
retries, backoff, the handler timeout and the time after which a lost job is retried are set per queue in
\`src/jobs/queues.ts\`.

Where the workers run is \`JOBS_WORKER\`: \`inline\` (the default, and what \`npm run dev\` does) runs them
in the HTTP process; \`off\` leaves them to \`npm run worker\` (\`src/worker.ts\`, after \`npm run build\`;
\`npm run worker:dev\` in development), a process of its own that you can deploy and scale apart. Run
it on PostgreSQL: PGlite's files belong to one process. On SIGTERM a worker finishes the jobs in hand
(up to 30 s) and hands the rest back to the queue. pg-boss's schema is installed and upgraded with the
migrations, by the role that runs them; \`app_user\` (every tenant transaction) has no privilege on it, the
inbox or the dead letters.

To send webhooks to customers, use \`src/webhooks/endpoints.ts\` with \`sealer\`, \`config.webhooks.sealer\` (the service config buildApp was given):
\`createEndpoint(db, tenantId, { url, events }, { sealer })\` checks the URL (https, public addresses only) and
returns \`{ id, secret }\`: show the \`whsec_\` secret to the customer then, it is never readable again. The
table \`webhook_endpoints\` holds it only sealed by \`src/crypto/seal.ts\` (AES-256-GCM under \`SEALING_KEYS\`), bound to
the tenant and endpoint ids. \`deliverEvent(db, tenantId, { type, payload }, { sealer })\` sends an event to every
enabled endpoint of the tenant subscribed to its type, signed per Standard Webhooks, through \`safeFetch\`
(no private, loopback or metadata addresses; HTTPS only unless you pass
\`fetch: { allowInsecureHttp: config.NODE_ENV === 'development' }\`), retried with backoff and jitter, and
records every attempt in \`webhook_deliveries\` (status or error kind and duration; never the secret or the
response body; append-only). \`rotateEndpointSecret(..., { sealer, graceSeconds })\` returns a new secret once;
during the grace period (default 0, at most 7 days) deliveries carry a signature with the old and the new
secret. \`listEndpoints\` and \`disableEndpoint\` never show a secret. Both tables are tenant-owned:
row-level security, forced, and \`app_user\` may not delete endpoints, move them between tenants, or change
the delivery log. An endpoint whose secret does not open (another key, a moved or changed row) is reported
as \`WEBHOOK_SECRET_UNREADABLE\` and gets nothing: alert on it. Keep \`SEALING_KEYS\` out of
database backups; a lost key means issuing every endpoint a new secret. To rotate it, put a new key first and
keep the old one listed until every endpoint secret has been rotated (\`rotateEndpointSecret\` seals with the new key).

\`WEBHOOK_FUZZ_RUNS\` sets how many random inputs the fuzz tests try (default 2000; \`.github/workflows/webhooks-fuzz.yml\` runs 100000 every night).
`;
}

const THREAT_MODEL = `## Webhooks (\`src/webhooks/\`)

| STRIDE                 | Threat                                                                  | Mitigation                                                                                                     | Proved by                                    |
| ---------------------- | ----------------------------------------------------------------------- | -------------------------------------------------------------------------------------------------------------- | -------------------------------------------- |
| Spoofing               | Forged or unsigned deliveries                                            | HMAC or Ed25519 over the raw bytes, constant-time comparison, any active secret: \`src/webhooks/verify.ts\`      | \`test/webhooks/verify.test.ts\`              |
| Spoofing               | The service runs with no secret, accepting anything                      | A missing or placeholder secret stops start-up: \`src/webhooks/config.ts\`                                      | \`test/webhooks/routes.security.test.ts\`     |
| Tampering              | A body changed in transit or re-serialized                               | Verification before parsing, on the exact bytes: \`src/webhooks/routes.ts\`                                     | \`test/webhooks/verify.test.ts\`              |
| Tampering              | A captured delivery replayed, or an old event applied after a newer one  | Timestamp tolerance both ways; event id recorded once, and for GitHub (unsigned delivery id, no signed time) the body's SHA-256; handlers compare event time: \`src/webhooks/queue.ts\`   | \`test/webhooks/queue.test.ts\`, \`test/webhooks/routes.security.test.ts\` |
| Repudiation            | Failed verifications go unnoticed                                        | Counted, logged without the body, audited, alert past a threshold: \`src/webhooks/routes.ts\`                    | \`test/webhooks/routes.security.test.ts\`     |
| Information disclosure | A customer's endpoint URL points inside our network (SSRF)             | Outbound deliveries go through \`safeFetch\`: private, loopback, link-local and metadata addresses refused after DNS resolution, no redirects: \`src/webhooks/outbound.ts\` | \`test/webhooks/outbound.test.ts\`            |
| Information disclosure | A database copy or backup leaks customers' endpoint signing secrets      | Secrets sealed with AES-256-GCM under \`SEALING_KEYS\` by \`src/crypto/seal.ts\` (checked at start-up, keys never logged), shown once: \`src/webhooks/endpoints.ts\` | \`test/webhooks/endpoints.security.test.ts\` |
| Tampering              | A sealed secret copied to another endpoint or tenant to sign as it      | The tenant and endpoint ids are the cipher's associated data: a moved secret does not open and the endpoint gets nothing: \`src/webhooks/endpoints.ts\` | \`test/webhooks/endpoints.security.test.ts\` |
| Information disclosure | One tenant lists, re-keys or receives another tenant's endpoints or log  | \`webhook_endpoints\` and \`webhook_deliveries\` under forced row-level security; column grants: no moving an endpoint: \`drizzle/webhooks/\` | \`test/webhooks/endpoints.security.test.ts\` |
| Repudiation            | A failed or forged delivery leaves no trace, or the trace is rewritten   | Every attempt in \`webhook_deliveries\`, append-only for \`app_user\`, without secret or response body: \`src/webhooks/endpoints.ts\` | \`test/webhooks/endpoints.security.test.ts\` |
| Spoofing               | A leaked endpoint secret keeps signing after the customer rotates it     | \`rotateEndpointSecret\`: no grace period by default; at most 7 days of both signatures: \`src/webhooks/endpoints.ts\` | \`test/webhooks/endpoints.security.test.ts\` |
| Denial of service      | Huge bodies, headers with hundreds of signatures, slow handlers          | 256 KiB limit, at most 16 signatures, work done by the worker, not the request: \`src/webhooks/verify.ts\`      | \`test/webhooks/routes.security.test.ts\`     |
| Tampering              | A redelivered or twice-taken job applies a payment event twice           | The inbox row is locked, checked and marked processed in the handler's transaction: \`src/webhooks/queue.ts\` | \`test/webhooks/queue.test.ts\`, \`test/webhooks/worker-process.test.ts\` |
| Tampering              | A tenant's SQL reads queued payloads or queues a forged event             | pg-boss's schema, the inbox and dead letters are owned by the migrating role; \`app_user\` has no privilege on them: \`src/jobs/\` | \`test/webhooks/queue.security.test.ts\`   |
| Denial of service      | A failing or crashed handler blocks the queue, or retries for ever       | Per-queue retry limit and backoff, dead letters with one alert, lost jobs retried after \`expireInSeconds\`, graceful stop: \`src/worker.ts\` | \`test/webhooks/queue.test.ts\`, \`test/webhooks/worker-process.test.ts\` |
`;
