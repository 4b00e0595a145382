import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { ErrorIssue } from '../../src/errors.js';
import { CURRENCIES } from './currencies.js';

/**
 * The billing catalogue: what a service's `billing.yaml` holds. Products,
 * their prices (each picked by its lookup key, the only name a client may
 * send), and what each product's plan entitles a tenant to. Amounts are
 * integers in Stripe's minor units of the price's currency, never decimals.
 */
const camel = (what: string) =>
  z.string().regex(/^[a-z][a-zA-Z0-9]{0,47}$/, { error: `must be a camelCase ${what} name, such as "pro" or "apiAccess"` });

/** Lower case only: an environment variable's name (upper case by custom) can never be a lookup key. */
export const LOOKUP_KEY = /^[a-z0-9][a-z0-9_.-]{2,99}$/;

const price = z.strictObject({
  lookupKey: z
    .string()
    .regex(LOOKUP_KEY, { error: 'must be 3 to 100 lower-case letters, digits, "_", "." or "-", such as "pro_monthly_eur"' })
    .describe('The name a client picks this price by, and the Stripe price\'s lookup_key.'),
  currency: z
    .string()
    .regex(/^[a-z]{3}$/, { error: 'must be a lower-case ISO 4217 code, such as "eur"' })
    .describe('ISO 4217 code in lower case, as Stripe writes it.'),
  amount: z
    .number()
    .int({ error: 'must be an integer number of minor units (cents), never a decimal' })
    .min(0)
    .max(99_999_999, { error: 'must be at most 99999999 minor units, the most Stripe takes in one amount' })
    .describe('In Stripe\'s minor units of the currency: 1900 is 19.00 EUR, 1900 is 1900 JPY.'),
  interval: z.enum(['day', 'week', 'month', 'year', 'once']).describe('How often it is charged; "once" is a one-off payment.'),
  intervalCount: z.number().int().min(1).max(12).default(1).describe('Intervals between charges (3 with "month" is quarterly).'),
  trialDays: z.number().int().min(0).max(730).default(0).describe('Free days before the first charge (recurring prices only).'),
});

const entitlements = z.strictObject({
  features: z.array(camel('feature')).default([]).describe('Features the plan turns on; a route declares `entitlement: \'<feature>\'`.'),
  limits: z
    .record(camel('limit'), z.number().int().min(0).max(Number.MAX_SAFE_INTEGER))
    .default({})
    .describe('Numeric limits (seats, projects); a limit a plan does not name is 0 for it.'),
});

const product = z.strictObject({
  name: z.string().min(1).max(100).describe('Shown at checkout.'),
  description: z.string().max(500).optional(),
  prices: z.array(price).min(1),
  entitlements: entitlements.default({ features: [], limits: {} }),
});

export const catalogSpec = z
  .strictObject({
    version: z.literal(1),
    products: z.record(camel('product'), product),
  })
  .describe('The billing catalogue: products, their prices by lookup key, and the entitlements each grants.');

export type CatalogSpecInput = z.input<typeof catalogSpec>;
export type CatalogSpec = z.output<typeof catalogSpec>;

/** What zod cannot say: known currencies, amounts Stripe takes, one product per lookup key, trials only where something recurs. */
export function catalogIssues(spec: CatalogSpec): ErrorIssue[] {
  const issues: ErrorIssue[] = [];
  const products = Object.entries(spec.products);
  if (products.length === 0) issues.push({ option: 'products', message: 'declares no product' });
  const keys = new Map<string, string>();
  for (const [id, p] of products) {
    p.prices.forEach((pr, index) => {
      const at = `products.${id}.prices.${String(index)}`;
      const other = keys.get(pr.lookupKey);
      if (other !== undefined) issues.push({ option: `${at}.lookupKey`, message: `repeats "${pr.lookupKey}" of ${other}: a lookup key names one price` });
      keys.set(pr.lookupKey, at);
      const currency = Object.hasOwn(CURRENCIES, pr.currency) ? CURRENCIES[pr.currency] : undefined;
      if (currency === undefined) {
        issues.push({ option: `${at}.currency`, message: `"${pr.currency}" is not an ISO 4217 currency` });
      } else if (pr.amount % currency.chargeStep !== 0) {
        issues.push({
          option: `${at}.amount`,
          message: `${String(pr.amount)} ${pr.currency.toUpperCase()} is refused by Stripe: amounts in ${pr.currency.toUpperCase()} must be a multiple of ${String(currency.chargeStep)} minor units`,
        });
      }
      if (pr.interval === 'once' && pr.trialDays > 0) issues.push({ option: `${at}.trialDays`, message: 'a one-off price has no trial; trials are for recurring prices' });
      if (pr.interval === 'once' && pr.intervalCount !== 1) issues.push({ option: `${at}.intervalCount`, message: 'a one-off price has no interval count' });
    });
  }
  return issues;
}

/** The catalogue bulwark writes for a new service: a free plan, and one paid plan monthly and yearly with a trial. */
export function starterCatalog(currency: string): CatalogSpecInput {
  const step = CURRENCIES[currency]?.stripe ?? 2;
  const unit = 10 ** step;
  return {
    version: 1,
    products: {
      pro: {
        name: 'Pro',
        description: 'Everything in the service, for a team.',
        prices: [
          { lookupKey: `pro_monthly_${currency}`, currency, amount: 19 * unit, interval: 'month', trialDays: 14 },
          { lookupKey: `pro_yearly_${currency}`, currency, amount: 190 * unit, interval: 'year', trialDays: 14 },
        ],
        entitlements: { features: ['apiAccess', 'exports'], limits: { seats: 10, projects: 100 } },
      },
      team: {
        name: 'Team',
        description: 'For larger teams: single sign-on and more seats.',
        prices: [{ lookupKey: `team_monthly_${currency}`, currency, amount: 49 * unit, interval: 'month' }],
        entitlements: { features: ['apiAccess', 'exports', 'sso'], limits: { seats: 50, projects: 1000 } },
      },
    },
  };
}

/** JSON with object keys sorted at every depth: the catalogue's hash does not depend on key order or formatting. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export const catalogSha256 = (written: unknown): string => createHash('sha256').update(canonicalJson(written)).digest('hex');

const HEADER = (file: string, sha: string) =>
  `Generated by bulwark from ${file} (catalogue sha256 ${sha}). Edit ${file} and run \`npx bulwark generate billing\`; do not edit this file.`;

const union = (names: readonly string[]) => (names.length === 0 ? 'never' : names.map((n) => JSON.stringify(n)).join(' | '));

/** The catalogue as the service's typed src/billing/catalog.ts. */
export function catalogModule(file: string, spec: CatalogSpec, written: unknown): string {
  const sha = catalogSha256(written);
  const products = Object.entries(spec.products);
  const features = [...new Set(products.flatMap(([, p]) => p.entitlements.features))].sort();
  const limits = [...new Set(products.flatMap(([, p]) => Object.keys(p.entitlements.limits)))].sort();
  const prices = products.flatMap(([id, p]) => p.prices.map((pr) => ({ id, pr })));
  const lines = [
    `// ${HEADER(file, sha)}`,
    '',
    "import type { CurrencyCode } from './currencies.js';",
    '',
    `export const CATALOG_SHA256 = ${JSON.stringify(sha)};`,
    '',
    `export type ProductId = ${union(products.map(([id]) => id))};`,
    `export type LookupKey = ${union(prices.map(({ pr }) => pr.lookupKey))};`,
    `export type Feature = ${union(features)};`,
    `export type Limit = ${union(limits)};`,
    '',
    'export type Interval = \'day\' | \'week\' | \'month\' | \'year\' | \'once\';',
    '',
    '/** What a plan grants: its features, and every limit (0 where the plan names none). */',
    'export interface Entitlements {',
    '  readonly features: readonly Feature[];',
    '  readonly limits: Readonly<Record<Limit, number>>;',
    '}',
    '',
    'export interface Product {',
    '  readonly id: ProductId;',
    '  readonly name: string;',
    '  readonly entitlements: Entitlements;',
    '}',
    '',
    '/** A price of the catalogue. `amount` is in Stripe\'s minor units of `currency`, exact. */',
    'export interface Price {',
    '  readonly lookupKey: LookupKey;',
    '  readonly product: ProductId;',
    '  readonly currency: CurrencyCode;',
    '  readonly amount: bigint;',
    '  readonly interval: Interval;',
    '  readonly intervalCount: number;',
    '  readonly trialDays: number;',
    '}',
    '',
    'export const FEATURES: readonly Feature[] = Object.freeze(' + JSON.stringify(features) + ');',
    'export const LIMITS: readonly Limit[] = Object.freeze(' + JSON.stringify(limits) + ');',
    '',
    'export const PRODUCTS: Readonly<Record<ProductId, Product>> = Object.freeze({',
    ...products.map(([id, p]) => {
      const allLimits = limits.map((l) => `${JSON.stringify(l)}: ${String(p.entitlements.limits[l] ?? 0)}`).join(', ');
      return `  ${JSON.stringify(id)}: { id: ${JSON.stringify(id)}, name: ${JSON.stringify(p.name)}, entitlements: { features: ${JSON.stringify([...p.entitlements.features].sort())}, limits: { ${allLimits} } } },`;
    }),
    '});',
    '',
    'export const PRICES: Readonly<Record<LookupKey, Price>> = Object.freeze({',
    ...prices.map(
      ({ id, pr }) =>
        `  ${JSON.stringify(pr.lookupKey)}: { lookupKey: ${JSON.stringify(pr.lookupKey)}, product: ${JSON.stringify(id)}, currency: ${JSON.stringify(pr.currency)}, amount: ${String(pr.amount)}n, interval: ${JSON.stringify(pr.interval)}, intervalCount: ${String(pr.intervalCount)}, trialDays: ${String(pr.trialDays)} },`,
    ),
    '});',
    '',
    'const BY_LOOKUP_KEY: ReadonlyMap<string, Price> = new Map(Object.values(PRICES).map((price) => [price.lookupKey, price]));',
    '',
    '/**',
    ' * The price a client names by its lookup key, or undefined for anything',
    ' * else. The only way a request picks a price: never a Stripe price id, an',
    ' * environment variable or a configuration key, and only the catalogue\'s',
    ' * own keys (`constructor`, `__proto__` and `toString` find nothing).',
    ' */',
    'export function priceByLookupKey(key: string): Price | undefined {',
    '  return BY_LOOKUP_KEY.get(key);',
    '}',
    '',
    '/** What a tenant without a plan in force gets: no feature, every limit 0. */',
    'export const NO_ENTITLEMENTS: Entitlements = Object.freeze({',
    '  features: Object.freeze([]),',
    `  limits: Object.freeze({ ${limits.map((l) => `${JSON.stringify(l)}: 0`).join(', ')} }),`,
    '});',
    '',
  ];
  return lines.join('\n');
}

/** The catalogue file as bulwark writes it for a new service (or from the `catalog` option). */
export function catalogText(yaml: string): string {
  return [
    '# The billing catalogue: bulwark compiles it into src/billing/catalog.ts.',
    "# Amounts are integers in Stripe's minor units (1900 in eur is 19.00 EUR; 1900 in jpy is 1900 JPY).",
    '# Clients pick a price only by its lookupKey. Edit it, then run: npx bulwark generate billing',
    yaml,
  ].join('\n');
}
