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
  rolesClaim: claim.default('roles').describe('The claim holding the role names.'),
  mfaAcrValues: z
    .array(z.string().min(1).max(200))
    .default([])
    .describe('acr values your provider uses for multi-factor sign-in (amr values such as otp or hwk count anyway).'),
  mfaRoles: z
    .array(z.string().regex(/^[a-z][a-z0-9_-]{0,62}$/, { error: 'must be a role name from the permission spec' }))
    .default(['admin', 'finance'])
    .describe('Roles whose holders must sign in with MFA; keep in step with `sensitive: true` in permissions.yaml.'),
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
