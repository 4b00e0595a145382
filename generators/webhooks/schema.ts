import type { TablesEntry } from '../drizzle-tables.js';
import { z } from 'zod';

const source = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,30}$/, { error: 'must be a lower-case kebab name, such as "stripe" or "partner-api"' })
    .describe('Names the source in its route, logs, inbox and handler.'),
  preset: z.enum(['standard-webhooks', 'stripe', 'github']).describe('How the provider signs: Standard Webhooks (v1 HMAC, v1a Ed25519), Stripe or GitHub.'),
  path: z
    .string()
    .regex(/^\/[a-z0-9/_-]{1,100}$/, { error: 'must be a path such as /webhooks/stripe' })
    .optional()
    .describe('The route the provider posts to. Default: /webhooks/<name>.'),
  secretEnv: z
    .string()
    .regex(/^[A-Z][A-Z0-9_]{2,60}$/, { error: 'must be an environment variable name such as STRIPE_WEBHOOK_SECRET' })
    .optional()
    .describe('The variable holding the active secrets, comma-separated during a rotation. Default: WEBHOOK_SECRET_<NAME>.'),
});

export const webhooksOptions = z.strictObject({
  sources: z.array(source).min(1).max(20).default([{ name: 'stripe', preset: 'stripe' }]).describe('The providers that send webhooks to this service.'),
  toleranceSeconds: z
    .number()
    .int()
    .min(1, { error: 'must be at least 1: a tolerance of 0 or less would turn the replay check off' })
    .max(3600)
    .default(300)
    .describe('How far a signed timestamp may be from now, in either direction.'),
  queue: z
    .enum(['pg-boss'], { error: 'must be "pg-boss": the hand-written "postgres-table" queue was replaced by pg-boss 12' })
    .default('pg-boss')
    .describe('Where verified events wait for the worker: pg-boss queues (one per source, with dead letters), the same code on PGlite and PostgreSQL.'),
});

export interface WebhookSource {
  readonly name: string;
  readonly preset: 'standard-webhooks' | 'stripe' | 'github';
  readonly path: string;
  readonly secretEnv: string;
}

export interface WebhooksOptions {
  readonly sources: readonly WebhookSource[];
  readonly toleranceSeconds: number;
  readonly queue: 'pg-boss';
  /** What drizzle/ gets so that drizzle-kit knows the module's tables; undefined when it knows them already. */
  readonly tables: TablesEntry | undefined;
}
