import { describe, expect, it } from 'vitest';
import { BulwarkError } from '../../src/errors.js';
import { plan } from '../../src/index.js';
import { memoryService } from '../helpers/generators.js';

const service = memoryService;

describe('webhooks generator (in memory)', () => {
  it('writes a route per source with its path and secret variable, and wires it into the service', async () => {
    const sources = [
      { name: 'stripe', preset: 'stripe' },
      { name: 'partner-api', preset: 'standard-webhooks', path: '/hooks/partner' },
    ];
    const p = await plan('webhooks', { sources, toleranceSeconds: 120 }, await service());
    const content = (name: string) => p.files.find((f) => f.path === name)?.content ?? '';
    expect(content('src/webhooks/sources.ts')).toContain("path: '/webhooks/stripe'");
    expect(content('src/webhooks/sources.ts')).toContain("secretEnv: 'WEBHOOK_SECRET_PARTNER_API'");
    expect(content('src/webhooks/sources.ts')).toContain("path: '/hooks/partner'");
    expect(content('src/webhooks/sources.ts')).toContain('DEFAULT_TOLERANCE_SECONDS = 120;');
    expect(content('src/app.ts')).toContain('await webhookRoutes(app, { config: config.webhooks, database: options.database, boss });');
    expect(content('test/setup-env.ts')).toContain('process.env.WEBHOOK_SECRET_PARTNER_API ??=');
    expect(content('.env.example')).toContain('WEBHOOK_SECRET_STRIPE=');
    // Providers' bursts get their own budget, declared in the route gate.
    expect(content('.env.example')).toContain('WEBHOOK_RATE_LIMIT_MAX=6000');
    expect(content('src/webhooks/routes.ts')).toContain('config: { access: { public: true, rateLimit } }');
    expect(content('src/db/client.ts')).toContain("'../../drizzle/webhooks'");
    // Its settings join the one service config (and its one start-up report of every module's).
    expect(content('src/environment.ts')).toMatch(/const MODULES = \{\s*webhooks: loadWebhookConfig,\s*jobs: loadJobsConfig,?\s*\}/);
    // The worker is an entry point: the one other file that may read process.env.
    expect(content('eslint.config.js')).toMatch(/const ENTRY_POINTS = \['src\/server\.ts', 'src\/worker\.ts'\]/);
  });

  it('stores customer endpoints with sealed secrets and a delivery log, in a migration of its own', async () => {
    const p = await plan('webhooks', {}, await service());
    const content = (name: string) => p.files.find((f) => f.path === name)?.content ?? '';
    const migration = content('drizzle/webhooks/0001_endpoints.sql');
    for (const table of ['webhook_endpoints', 'webhook_deliveries']) {
      expect(migration).toContain(`ALTER TABLE "${table}" FORCE ROW LEVEL SECURITY;`);
    }
    // Declared again on the signed tenant, the one way the app's migration 0003 offers.
    for (const table of ['webhook_endpoints', 'webhook_deliveries']) {
      expect(content('drizzle/webhooks/0004_scopes.sql')).toContain(`SELECT app_private.tenant_table('public.${table}');`);
    }
    expect(migration).not.toMatch(/GRANT[^;]*(UPDATE|DELETE)[^;]*ON TABLE "webhook_deliveries"/);
    expect(migration).not.toMatch(/GRANT[^;]*DELETE[^;]*ON TABLE "webhook_endpoints"/);
    const journal = JSON.parse(content('drizzle/webhooks/meta/_journal.json')) as { entries: { idx: number; tag: string }[] };
    expect(journal.entries.map((e) => [e.idx, e.tag])).toStrictEqual([
      [0, '0000_webhooks'],
      [1, '0001_endpoints'],
      [2, '0002_pg_boss'],
      [3, '0003_replay_keys'],
      [4, '0004_scopes'],
    ]);
    // Sealed by the service's one sealing helper, not a copy of its own.
    expect(content('src/webhooks/endpoints.ts')).toContain("from '../crypto/seal.js'");
    expect(content('src/webhooks/endpoints.ts')).not.toContain('createCipheriv');
    expect(content('test/webhooks/endpoints.security.test.ts')).not.toBe('');
    expect(content('test/setup-env.ts')).toMatch(/process\.env\.SEALING_KEYS \?\?= 'test-1:[A-Za-z0-9+/]{43}=';/);
    expect(content('.env.example')).toMatch(/^SEALING_KEYS=$/m);
    expect(content('.env.example')).not.toContain('WEBHOOK_ENDPOINT_KEY');
    expect(content('THREAT_MODEL.md')).toContain('`test/webhooks/endpoints.security.test.ts`');
  });

  it.each([
    ['a tolerance of 0', { toleranceSeconds: 0 }, 'toleranceSeconds'],
    ['an unknown preset', { sources: [{ name: 'x', preset: 'paypal' }] }, 'sources.0.preset'],
    ['two sources with one name', { sources: [{ name: 'a', preset: 'stripe' }, { name: 'a', preset: 'github' }] }, 'sources.1.name'],
    ['a path that leaves the webhook routes', { sources: [{ name: 'a', preset: 'stripe', path: '../admin' }] }, 'sources.0.path'],
  ])('refuses %s with E_SPEC_INVALID naming the option', async (_what, options, option) => {
    const error = await plan('webhooks', options, await service()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BulwarkError);
    expect((error as BulwarkError).code).toBe('E_SPEC_INVALID');
    expect((error as BulwarkError).details.option).toBe(option);
  });

  it('changes nothing when run again with the same options', async () => {
    const svc = await service();
    svc.apply(await plan('webhooks', {}, svc));
    const again = await plan('webhooks', {}, svc);
    expect(again.files.filter((f) => f.status !== 'unchanged').map((f) => f.path)).toStrictEqual([]);
  });
});
