import { z } from 'zod';
import { catalogSpec, type CatalogSpec } from './catalog.js';

export const billingOptions = z.strictObject({
  catalogPath: z
    .string()
    .regex(/^[\w./-]+\.ya?ml$/, { error: 'must be a relative path ending in .yaml or .yml' })
    .default('billing.yaml')
    .describe('Where the billing catalogue lives in the service. bulwark reads it when it exists and no `catalog` is given.'),
  catalog: catalogSpec
    .optional()
    .describe('The catalogue itself (products, prices by lookup key, entitlements). Given, bulwark writes it to `catalogPath`; a catalogue you edited is then a conflict unless --force.'),
  currency: z
    .string()
    .regex(/^[a-z]{3}$/, { error: 'must be a lower-case ISO 4217 code, such as "eur"' })
    .default('usd')
    .describe('For a new catalogue only (no `catalog`, no catalogue file yet): the currency of the starter prices.'),
  financeRole: z
    .string()
    .regex(/^[a-z][a-zA-Z0-9]{0,47}$/, { error: 'must be a camelCase role name, such as "finance"' })
    .default('finance')
    .describe('The role of the permission spec that manages the subscription and reads invoices; bulwark adds it (or its grants) and marks it sensitive: its holders must sign in with MFA.'),
});

export interface BillingOptions {
  readonly catalogPath: string;
  /** The catalogue as written (hashed into src/billing/catalog.ts), and validated. */
  readonly written: unknown;
  readonly catalog: CatalogSpec;
  /** The catalogue file's text, when bulwark writes it (new catalogue, or `catalog` given). */
  readonly catalogText: string | undefined;
  readonly financeRole: string;
  /** The permission spec's path, and what billing adds to it. */
  readonly specPath: string;
  readonly specAdditions: Readonly<Record<string, unknown>>;
  /** The permission spec as it will be, with billing's additions: rbac's files are compiled from it. */
  readonly specWritten: unknown;
}
