import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { BulwarkError } from '../../src/errors.js';
import { plan } from '../../src/index.js';
import { MANIFEST_PATH } from '../../src/manifest.js';
import { memoryService, type MemoryService } from '../helpers/generators.js';

/** A service with the modules billing builds on. */
async function service(modules: readonly string[] = ['rbac', 'webhooks']): Promise<MemoryService> {
  const svc = await memoryService();
  for (const module of modules) svc.apply(await plan(module, {}, svc));
  return svc;
}

async function refusal(options: unknown, svc?: MemoryService): Promise<BulwarkError> {
  const error = await plan('billing', options, svc ?? (await service())).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(BulwarkError);
  return error as BulwarkError;
}

const PRICE = { lookupKey: 'pro_monthly', currency: 'eur', amount: 1900, interval: 'month' };
const catalog = (prices: readonly unknown[]) => ({ version: 1, products: { pro: { name: 'Pro', prices } } });

describe('billing generator (in memory)', () => {
  it.each([
    ['without rbac and webhooks', [], ['rbac', 'webhooks']],
    ['without webhooks', ['rbac'], ['webhooks']],
    ['without rbac', ['webhooks'], ['rbac']],
  ] as const)('refuses %s with E_MODULE_MISSING, naming each module and the command that adds it', async (_what, modules, missing) => {
    const error = await refusal({}, await service(modules));
    expect(error.code).toBe('E_MODULE_MISSING');
    expect(error.exitCode).toBe(3);
    expect(error.details.issues?.map((i) => i.option)).toStrictEqual(missing);
    for (const module of missing) expect(error.details.fix).toContain(`npx bulwark generate ${module} --cwd`);
  });

  it('writes the starter catalogue, compiles it to a typed module, and adds billing to the permission spec', async () => {
    const svc = await service();
    const p = await plan('billing', { currency: 'eur' }, svc);
    const content = (name: string) => p.files.find((f) => f.path === name)?.content ?? '';
    const written = parse(content('billing.yaml')) as { products: Record<string, { prices: { lookupKey: string; amount: number }[] }> };
    expect(written.products.pro?.prices.map((price) => [price.lookupKey, price.amount])).toStrictEqual([
      ['pro_monthly_eur', 1900],
      ['pro_yearly_eur', 19000],
    ]);
    const compiled = content('src/billing/catalog.ts');
    expect(compiled).toContain("export type LookupKey = 'pro_monthly_eur' | 'pro_yearly_eur' | 'team_monthly_eur';");
    expect(compiled).toContain('amount: 1900n');
    expect(compiled).toContain('return BY_LOOKUP_KEY.get(key);');
    const spec = parse(content('permissions.yaml')) as {
      resources: Record<string, { actions: string[]; records?: boolean }>;
      roles: Record<string, { sensitive?: boolean; grants: { resource: string; actions: string[] }[] }>;
    };
    expect(spec.resources.subscription).toMatchObject({ actions: ['read', 'manage'], records: false });
    expect(spec.resources.invoice).toMatchObject({ actions: ['read'], records: false });
    expect(spec.roles.finance?.sensitive).toBe(true);
    expect(spec.roles.finance?.grants).toContainEqual({ resource: 'subscription', actions: ['read', 'manage'] });
    expect(spec.roles.auditor?.grants).toContainEqual({ resource: 'invoice', actions: ['read'] });
    // The policy follows the spec (its drift test would fail otherwise), as rbac's own output...
    expect(content('src/authz/permissions.ts')).toContain('subscription');
    const manifest = JSON.parse(content(MANIFEST_PATH) || p.manifest.after) as { files: Record<string, { generator: string }> };
    expect(manifest.files['src/authz/permissions.ts']?.generator).toBe('rbac');
    expect(manifest.files['src/billing/catalog.ts']?.generator).toBe('billing');
    // ... with no records table or generic routes: billing keeps that data.
    expect(content('src/authz/record-tables.ts')).not.toMatch(/subscription|invoice/);
    expect(p.files.map((f) => f.path).filter((f) => f.startsWith('drizzle/'))).toStrictEqual([]);
  });

  it('changes nothing when run again, and rbac run afterwards finds its files its own', async () => {
    const svc = await service();
    svc.apply(await plan('billing', {}, svc));
    const again = await plan('billing', {}, svc);
    expect(again.files.filter((f) => f.status !== 'unchanged').map((f) => f.path)).toStrictEqual([]);
    const rbac = await plan('rbac', {}, svc);
    expect(rbac.files.filter((f) => f.status !== 'unchanged').map((f) => f.path)).toStrictEqual([]);
  });

  it('adds to a permission spec the user edited, keeping their roles and comments, without a conflict', async () => {
    const svc = await service();
    const edited = `# reviewed by security\n${svc.read('permissions.yaml') ?? ''}`.replace('roles:\n', 'roles:\n  support:\n    grants: []\n');
    svc.write('permissions.yaml', edited);
    const p = await plan('billing', {}, svc);
    const file = p.files.find((f) => f.path === 'permissions.yaml');
    expect(file?.status).toBe('updated');
    expect(file?.content).toContain('# reviewed by security');
    expect((parse(file?.content ?? '') as { roles: Record<string, unknown> }).roles.support).toStrictEqual({ grants: [] });
  });

  it('compiles the catalogue the service has, and leaves the file as the user wrote it', async () => {
    const svc = await service();
    svc.write('billing.yaml', `# ours\n${stringify(catalog([{ ...PRICE, currency: 'jpy', amount: 2500 }]))}`);
    const p = await plan('billing', {}, svc);
    expect(p.files.some((f) => f.path === 'billing.yaml')).toBe(false);
    expect(p.files.find((f) => f.path === 'src/billing/catalog.ts')?.content).toContain("currency: 'jpy',\n    amount: 2500n");
  });

  it.each([
    ['an amount with decimals', [{ ...PRICE, amount: 19.99 }], 'products.pro.prices.0.amount'],
    ['an unknown currency', [{ ...PRICE, currency: 'xyz' }], 'products.pro.prices.0.currency'],
    ['a three-decimal amount Stripe refuses (must end in 0)', [{ ...PRICE, currency: 'kwd', amount: 1005 }], 'products.pro.prices.0.amount'],
    ['ISK in fractions of a krona', [{ ...PRICE, currency: 'isk', amount: 150 }], 'products.pro.prices.0.amount'],
    ['an upper-case lookup key (an environment variable name)', [{ ...PRICE, lookupKey: 'STRIPE_SECRET_KEY' }], 'products.pro.prices.0.lookupKey'],
    ['a lookup key used twice', [PRICE, { ...PRICE, interval: 'year' }], 'products.pro.prices.1.lookupKey'],
    ['a trial on a one-off price', [{ ...PRICE, interval: 'once', trialDays: 7 }], 'products.pro.prices.0.trialDays'],
    ['a negative amount', [{ ...PRICE, amount: -1 }], 'products.pro.prices.0.amount'],
  ])('refuses a catalogue file with %s (E_CATALOG_INVALID naming the place)', async (_what, prices, option) => {
    const svc = await service();
    svc.write('billing.yaml', stringify(catalog(prices)));
    const error = await refusal({}, svc);
    expect(error.code).toBe('E_CATALOG_INVALID');
    expect(error.details.option).toBe(option);
  });

  it('refuses a catalogue given as an option the same way, before writing anything', async () => {
    const error = await refusal({ catalog: catalog([{ ...PRICE, currency: 'bhd', amount: 1001 }]) });
    expect(error.code).toBe('E_CATALOG_INVALID');
    expect(error.details.path).toBe('catalog');
  });

  it('refuses a finance role the spec marks not sensitive', async () => {
    const svc = await service();
    svc.write('permissions.yaml', (svc.read('permissions.yaml') ?? '').replace('roles:\n', 'roles:\n  finance:\n    sensitive: false\n'));
    const error = await refusal({}, svc);
    expect(error.code).toBe('E_SPEC_INVALID');
    expect(error.details.option).toBe('financeRole');
  });

  it.each([
    ['an unknown key', { plans: [] }, 'plans'],
    ['an unknown currency', { currency: 'xyz' }, 'currency'],
    ['a catalogue path outside YAML', { catalogPath: 'billing.json' }, 'catalogPath'],
  ])('refuses %s with E_SPEC_INVALID naming the option', async (_what, options, option) => {
    const error = await refusal(options);
    expect(error.code).toBe('E_SPEC_INVALID');
    expect(error.details.option).toBe(option);
  });
});
