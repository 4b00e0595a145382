import type { TablesEntry } from '../drizzle-tables.js';
import { z } from 'zod';

const claim = z.string().regex(/^[a-zA-Z_][\w:/.-]{0,99}$/, { error: 'must be a JWT claim name, such as "tenant_id"' });

export const authOptions = z.strictObject({
  algorithms: z
    .array(z.enum(['RS256', 'PS256', 'ES256', 'EdDSA']))
    .min(1)
    .default(['RS256', 'ES256'])
    .describe('Signing algorithms accepted on access, ID and logout tokens: asymmetric only (never none or HS*); the development provider signs with the first.'),
  maxTokenLifetimeSeconds: z
    .number()
    .int()
    .min(60)
    .max(3600)
    .default(600)
    .describe('Access, ID and logout tokens that would live longer from now (exp - min(iat, now)) are refused; AUTH_MAX_TOKEN_LIFETIME_SECONDS overrides it.'),
  untypedAccessTokens: z
    .boolean()
    .default(false)
    .describe('Also accept access tokens whose typ is JWT or missing, for providers that do not type them at+jwt (RFC 9068); ID and logout tokens are still refused by their claims. AUTH_UNTYPED_ACCESS_TOKENS overrides it.'),
  tenantClaim: claim.default('tenant_id').describe('The claim holding the tenant id (a UUID).'),
  rolesClaim: claim.default('roles').describe('The claim holding the role names (read only when roleSource is claims).'),
  roleSource: z
    .enum(['assignments', 'claims'])
    .optional()
    .describe(
      "Where roles come from, for bearer tokens, sign-in sessions, passkeys and impersonation alike: assignments (the rbac module's role assignments in the database; a token's roles claim is ignored) or claims (the provider's roles claim). Default: assignments when the service has the rbac module, claims otherwise; assignments without rbac is refused.",
    ),
  mfaAcrValues: z
    .array(z.string().min(1).max(200))
    .default([])
    .describe('acr values your provider uses for multi-factor sign-in (amr values such as otp or hwk count anyway).'),
  mfaRoles: z
    .array(z.string().regex(/^[a-z][a-z0-9_-]{0,62}$/, { error: 'must be a role name' }))
    .optional()
    .describe(
      'Without the rbac module only: roles whose holders must sign in with MFA (default ["admin", "finance"]). With rbac, the roles marked `sensitive: true` in the permission spec are the one list, and a non-empty mfaRoles is refused.',
    ),
  passkeys: z
    .boolean()
    .default(false)
    .describe('Also write passkey (WebAuthn) registration and sign-in with @simplewebauthn/server; needs PASSKEY_RP_ID and PASSKEY_ORIGIN.'),
  impersonation: z
    .boolean()
    .default(false)
    .describe('Let admins (with MFA, signed in within 10 minutes) act as a user of their tenant: time-limited, marked, audited. Off unless asked for.'),
});

export type AuthOptions = z.output<typeof authOptions>;

/** The options once the service is known: the role source and MFA roles decided. */
export interface NormalizedAuthOptions extends Omit<AuthOptions, 'roleSource' | 'mfaRoles'> {
  /** The service has the rbac module (src/authz/permissions.ts). */
  readonly rbac: boolean;
  readonly roleSource: 'assignments' | 'claims';
  /** Without rbac: the MFA roles; with rbac, the spec's sensitive roles are used instead. */
  readonly mfaRoles: readonly string[];
  /** What drizzle/ gets so that drizzle-kit knows the module's tables; undefined when it knows them already. */
  readonly tables: TablesEntry | undefined;
}
