import { BulwarkError } from '../../src/errors.js';
import { defineGenerator, type FileIntent, type GeneratorContext } from '../../src/generator.js';
import { addConfigParts, addMigrations, addMutatedFiles, addPublishedValues, addServiceTables, addToBuildApp, addToPackageJson } from '../module.js';
import { registerTables, tablesEntry } from '../drizzle-tables.js';
import { authOptions, type NormalizedAuthOptions } from './schema.js';
import { AUTH_TABLES, PASSKEY_TABLES } from './tables.js';

/** Test-only values written into test/setup-env.ts: public, so refused outside development and test. */
const TEST_CLIENT_SECRET = 'test-client-secret-0123456789';

const TEMPLATES = [
  'drizzle/auth/0000_sessions.sql',
  'drizzle/auth/0001_sign_in.sql',
  'drizzle/auth/0002_organisations.sql',
  'drizzle/auth/0003_keep_revoked.sql',
  'drizzle/auth/0004_scopes.sql',
  'drizzle/auth/meta/_journal.json',
  'scripts/dev-idp.ts',
  'scripts/dev.ts',
  'src/auth/back-channel-logout.ts',
  'src/auth/bearer-auth.ts',
  'src/auth/bearer.ts',
  'src/auth/config.ts',
  'src/auth/keys.ts',
  'src/auth/organisations.ts',
  'src/auth/role-source.ts',
  'src/auth/routes.ts',
  'src/auth/sessions.ts',
  'src/auth/sign-in-config.ts',
  'src/auth/sign-in.ts',
  'src/auth/step-up.ts',
  'src/auth/tables.ts',
  'src/auth/tokens.ts',
  'test/auth/bearer.security.test.ts',
  'test/auth/browser.e2e.test.ts',
  'test/auth/config.test.ts',
  'test/auth/gate.security.test.ts',
  'test/auth/organisations.security.test.ts',
  'test/auth/role-holders.ts',
  'test/auth/roles.security.test.ts',
  'test/auth/sessions.security.test.ts',
  'test/auth/sign-in.security.test.ts',
  'test/auth/step-up.security.test.ts',
  'test/auth/tokens.security.test.ts',
] as const;

/** Written only with `passkeys: true`. */
const PASSKEY_TEMPLATES = [
  'drizzle/auth-passkeys/0000_passkeys.sql',
  'drizzle/auth-passkeys/0001_scopes.sql',
  'drizzle/auth-passkeys/meta/_journal.json',
  'src/auth/passkey-routes.ts',
  'src/auth/passkey-tables.ts',
  'src/auth/passkeys.ts',
  'test/auth/passkeys.security.test.ts',
  'test/auth/software-authenticator.ts',
] as const;

/** Written only with `impersonation: true`. */
const IMPERSONATION_TEMPLATES = [
  'src/auth/impersonation.ts',
  'test/auth/impersonation.security.test.ts',
] as const;

export const auth = defineGenerator({
  name: 'auth',
  description: 'Sign-in with an OpenID Connect provider (PKCE, server-side sessions, token rotation, MFA by role, step-up), verified bearer tokens, and organisation access by verified email domain, in an existing service.',
  options: authOptions,
  // Every optional part on, so that the example plan uses every template.
  example: { passkeys: true, impersonation: true },
  normalize: (parsed, context): NormalizedAuthOptions => {
    const rbac = hasRbac(context);
    if (parsed.roleSource === 'assignments' && !rbac) {
      throw new BulwarkError('E_SPEC_INVALID', 'roleSource "assignments" needs the rbac module, which keeps the role assignments.', {
        option: 'roleSource',
        fix: 'Run `bulwark generate rbac` in the service first, or choose roleSource "claims".',
      });
    }
    // An empty list adds no second list (it is what the prompt offers next to rbac).
    if (parsed.mfaRoles !== undefined && parsed.mfaRoles.length > 0 && rbac) {
      throw new BulwarkError('E_SPEC_INVALID', 'With the rbac module, the roles that need MFA are the permission spec\'s sensitive roles: one list, not two.', {
        option: 'mfaRoles',
        fix: 'Mark those roles `sensitive: true` in the permission spec and leave mfaRoles out.',
      });
    }
    return {
      ...parsed,
      rbac,
      roleSource: parsed.roleSource ?? (rbac ? 'assignments' : 'claims'),
      mfaRoles: parsed.mfaRoles ?? ['admin', 'finance'],
      tables: tablesEntry(
        context,
        'auth',
        ['drizzle/auth', ...(parsed.passkeys ? ['drizzle/auth-passkeys'] : [])],
        { ...AUTH_TABLES, ...(parsed.passkeys ? PASSKEY_TABLES : {}) },
      ),
    };
  },

  // Prompts offer what normalize would choose: with rbac, its assignments and no MFA list of auth's own.
  promptDefaults: (context) =>
    hasRbac(context) ? { roleSource: 'assignments', mfaRoles: [] } : { roleSource: 'claims', mfaRoles: ['admin', 'finance'] },

  files: (options): FileIntent[] => [
    ...[
      ...TEMPLATES,
      ...(options.passkeys ? PASSKEY_TEMPLATES : []),
      ...(options.impersonation ? IMPERSONATION_TEMPLATES : []),
    ].map((template): FileIntent => ({
      kind: 'template',
      path: template,
      template: `auth/${template}.hbs`,
      data: {
        defaults: {
          algorithms: options.algorithms,
          maxTokenLifetimeSeconds: options.maxTokenLifetimeSeconds,
          untypedAccessTokens: options.untypedAccessTokens,
          tenantClaim: options.tenantClaim,
          rolesClaim: options.rolesClaim,
          mfaAcrValues: options.mfaAcrValues,
        },
        signInDefaults: { mfaAcrValues: options.mfaAcrValues },
        rbac: options.rbac,
        assignments: options.roleSource === 'assignments',
        roleSettings: { source: options.roleSource },
        mfaRoles: options.mfaRoles,
        tenantClaim: options.tenantClaim,
        rolesClaim: options.rolesClaim,
        // The development provider signs with the first algorithm the service accepts.
        devAlgorithm: options.algorithms[0],
        passkeys: options.passkeys,
        impersonatorRoles: ['admin'],
      },
    })),
    addToPackageJson({
      dependencies: ['jose', 'openid-client', ...(options.passkeys ? ['@simplewebauthn/server'] : [])],
      devDependencies: ['oidc-provider', '@types/oidc-provider', 'playwright-core'],
      scripts: { dev: 'tsx scripts/dev.ts' },
    }),
    addToBuildApp(
      [
        { from: './auth/bearer-auth.js', named: ['installBearerAuth'] },
        { from: './auth/sessions.js', named: ['installSessionAuth'] },
        { from: './auth/routes.js', named: ['installSignIn'] },
        { from: './auth/step-up.js', named: ['installStepUp'] },
        ...(options.passkeys
          ? [{ from: './auth/passkey-routes.js', named: ['passkeyRoutes'] }]
          : []),
        ...(options.impersonation ? [{ from: './auth/impersonation.js', named: ['installImpersonationMarker'] }] : []),
      ],
      [
        'installBearerAuth(app, config.auth, options.database?.db);',
        'installSessionAuth(app, options.database?.db);',
        'installSignIn(app, options.database?.db, config.auth, config.signIn);',
        ...(options.passkeys ? ['await passkeyRoutes(app, { config: config.passkeys, database: options.database });'] : []),
        ...(options.impersonation ? ['installImpersonationMarker(app);'] : []),
      ],
      // Decides `access.stepUp` in the route gate: before any route that uses it is registered.
      ['installStepUp(app);'],
    ),
    // What test/setup-env.ts and scripts/dev.ts hold: refused as secrets outside development and test.
    addPublishedValues([
      TEST_CLIENT_SECRET,
      // scripts/dev.ts (the development SEALING_KEYS key)
      'development-client-secret-0000',
      'ZGV2ZWxvcG1lbnQtb25seS10b2tlbi1rZXktMzJieXQ=',
    ]),
    addConfigParts([
      { from: './auth/config.js', field: 'auth', load: 'loadAuthConfig' },
      { from: './auth/sign-in-config.js', field: 'signIn', load: 'loadSignInConfig' },
      ...(options.passkeys ? [{ from: './auth/passkeys.js', field: 'passkeys', load: 'loadPasskeyConfig' }] : []),
    ]),
    // Passkeys keep their own migrations, so turning the option on later still applies them.
    addMigrations([
      { folder: 'drizzle/auth', table: '__drizzle_migrations_auth' },
      ...(options.passkeys ? [{ folder: 'drizzle/auth-passkeys', table: '__drizzle_migrations_auth_passkeys' }] : []),
    ]),
    addServiceTables(['public.auth_sessions', 'public.auth_sign_ins', 'public.auth_logout_tokens']),
    addMutatedFiles([
      { file: 'src/auth/tokens.ts', break: 90 },
      { file: 'src/auth/bearer.ts', break: 90 },
      { file: 'src/auth/sessions.ts', break: 80 },
    ]),
    ...registerTables(['src/auth/tables.ts', ...(options.passkeys ? ['src/auth/passkey-tables.ts'] : [])], options.tables),
    {
      kind: 'block',
      path: 'test/setup-env.ts',
      id: 'auth',
      comment: 'slash',
      content: [
        "process.env.OIDC_ISSUER ??= 'https://id.example.test/';",
        "process.env.OIDC_JWKS_URI ??= 'https://id.example.test/jwks';",
        "process.env.OIDC_AUDIENCE ??= 'https://api.example.test';",
        "process.env.OIDC_CLIENT_ID ??= 'test-service';",
        `process.env.OIDC_CLIENT_SECRET ??= '${TEST_CLIENT_SECRET}';`,
        "process.env.OIDC_REDIRECT_URI ??= 'http://127.0.0.1:3000/auth/callback';",
        ...(options.passkeys
          ? ["process.env.PASSKEY_RP_ID ??= 'example.test';", "process.env.PASSKEY_ORIGIN ??= 'https://app.example.test';"]
          : []),
      ].join('\n'),
    },
    { kind: 'block', path: '.env.example', id: 'auth', comment: 'hash', content: ENV_EXAMPLE(options) },
    {
      kind: 'block',
      path: 'THREAT_MODEL.md',
      id: 'auth',
      comment: 'markdown',
      content: THREAT_MODEL + (options.passkeys ? PASSKEY_THREATS : '') + (options.impersonation ? IMPERSONATION_THREATS : ''),
    },
    { kind: 'block', path: 'README.md', id: 'auth', comment: 'markdown', content: README(options) + (options.passkeys ? PASSKEY_README : '') + (options.impersonation ? IMPERSONATION_README : '') },
    {
      kind: 'block',
      path: '.github/CODEOWNERS',
      id: 'auth',
      comment: 'hash',
      content: '# Authentication needs a security review.\n/src/auth/ @your-org/security\n',
    },
  ],
});

/** The service has the rbac module: its permission spec compiled, its role assignments. */
const hasRbac = (context: GeneratorContext): boolean => context.workspace.exists('src/authz/permissions.ts');

const ENV_EXAMPLE = (options: NormalizedAuthOptions) => `# The identity provider: its issuer exactly as in the tokens' iss, and its key set (https).
OIDC_ISSUER=
OIDC_JWKS_URI=
# This API's identifier, as in the tokens' aud.
OIDC_AUDIENCE=
# Access, ID and logout tokens that would live longer than this from now are refused (60 to 3600):
# keep it above your provider's token lifetimes, plus a few seconds for its clock.
AUTH_MAX_TOKEN_LIFETIME_SECONDS=${String(options.maxTokenLifetimeSeconds)}
# Access tokens must be typed at+jwt (RFC 9068); true also takes typ JWT or none, for providers that do not set it.
AUTH_UNTYPED_ACCESS_TOKENS=${String(options.untypedAccessTokens)}
# This service as a client of the provider; the redirect URI exactly as registered there.
OIDC_CLIENT_ID=
OIDC_CLIENT_SECRET=
OIDC_REDIRECT_URI=https://your-service.example/auth/callback
OIDC_POST_LOGOUT_REDIRECT_URI=
# The provider's tokens are sealed in the sessions table with SEALING_KEYS (above): required with this module.
${options.passkeys ? PASSKEY_ENV : ''}`;

const PASSKEY_ENV = `# Passkeys: the domain they are bound to, and the exact origin(s) of the pages that use them
# (comma-separated, https; on the RP id or a subdomain of it). PASSKEY_RP_NAME is what authenticators show.
PASSKEY_RP_ID=
PASSKEY_ORIGIN=
PASSKEY_RP_NAME=
`;

const README = (options: NormalizedAuthOptions) => `## Authentication

API requests carry \`Authorization: Bearer <access token>\` from your OpenID Connect provider.
\`installBearerAuth\` (\`src/auth/bearer-auth.ts\`) verifies it against \`OIDC_JWKS_URI\` by the rules of
\`src/auth/tokens.ts\`, the same for access tokens, ID tokens and logout tokens: at most 8 KiB, an explicit
list of asymmetric algorithms (never \`none\` or HMAC), \`typ\` \`at+jwt\` (RFC 9068; see
\`AUTH_UNTYPED_ACCESS_TOKENS\`) and no ID-token claims, the exact \`OIDC_ISSUER\` and \`OIDC_AUDIENCE\`,
\`exp\` and \`nbf\`, \`iat\` and \`auth_time\` not in the future, and a maximum lifetime measured from now.
A valid token sets \`request.user\` (id from \`sub\`, which must be a string; tenant from its claim, in
lower case; MFA from \`amr\`/\`acr\`); a bad one gets 401 at once, never an anonymous request. Keys are fetched over https and
cached (\`src/auth/keys.ts\`); a new \`kid\` at the provider is picked up. Verified tokens are remembered
by their hash until their \`exp\`, and forgotten whenever the provider's keys change.

Browser sessions live in the database (\`src/auth/sessions.ts\`): \`createSession\` after sign-in returns a new
random token for the \`__Host-session\` cookie (only its hash is stored), every request reads the session
afresh (30 minutes idle, 12 hours absolute), and \`revokeUserSessions(db, { tenantId, userId, reason })\`
ends all of a user's sessions at once: pass it to rbac's \`grantRole\`/\`revokeRole\` as \`revokeSessions\`.

Browsers sign in at \`/auth/login?returnTo=/path\` (authorization code flow with PKCE, one-time state and
nonce, the provider's \`iss\` checked, the ID token's signature, size and times checked by the same rules,
\`src/auth/sign-in.ts\`); the provider's tokens stay on the server,
sealed by \`src/crypto/seal.ts\` under \`SEALING_KEYS\` and bound to their kind, tenant and user, and \`SignIn.accessToken(session)\` refreshes them (rotation; a reused
refresh token ends the session). Holders of sensitive roles must sign in with MFA (see below). A risky route declares
\`config: { stepUp: { maxAgeSeconds: 300 } }\` and gets a 401 challenge for stale or single-factor sign-ins.
\`npm run dev\` starts a local identity provider (\`scripts/dev-idp.ts\`) beside the service.

Organisations (tenants) can be joined by email domain (\`src/auth/organisations.ts\`). An administrator calls
\`startDomainVerification(db, tenantId, 'example.com')\` and publishes the returned TXT record at
\`_org-verification.example.com\` (rename \`VERIFICATION_LABEL\` to your service's before going live);
\`checkDomainVerification\` looks it up (only the exact, latest value of that tenant counts; a DNS failure
is "not verified") and marks the domain verified. A domain is verified by one tenant at most.
\`joinOrganisation(db, { tenantId, userId, email, emailVerified }, { correlationId })\` then lets in a user
whose \`email_verified\` claim is exactly \`true\` and whose address is at exactly a verified domain
(\`eng.example.com\` needs its own verification); every refusal and success is audited.

Roles have one source (\`src/auth/role-source.ts\`), the same for bearer tokens, sign-in, passkeys and
impersonation: ${ROLE_SOURCE_README[options.roleSource]} A role the ${options.rbac ? 'permission spec' : 'service'} does not know is dropped.
Holders of ${options.rbac ? 'the roles marked `sensitive: true` in the permission spec' : `the roles ${options.mfaRoles.map((role) => `\`${role}\``).join(', ') || '(none)'}`} must sign in with MFA.
`;

const ROLE_SOURCE_README = {
  assignments:
    "the rbac module's role assignments in the database (`grantRole`, `revokeRole`, `rolesOf`). A token's roles claim is ignored; a bearer token's roles are read on every request, so a revoked role stops at the next one, and a role change ends the user's sessions (pass `revokeUserSessions` to `grantRole` and `revokeRole`).",
  claims:
    "the provider's roles claim. A session keeps the roles of its sign-in; a passkey or impersonation session gets the roles of the user's latest sign-in at the provider.",
} as const;

const THREAT_MODEL = `## Authentication (\`src/auth/\`)

| STRIDE                 | Threat                                                                | Mitigation                                                                                                   | Proved by                               |
| ---------------------- | --------------------------------------------------------------------- | ------------------------------------------------------------------------------------------------------------ | --------------------------------------- |
| Spoofing               | A token with \`alg: none\`, or HS256 forged with the public key         | An explicit list of asymmetric algorithms on every verification: \`src/auth/tokens.ts\`                       | \`test/auth/bearer.security.test.ts\`    |
| Spoofing               | A token for another API or from another issuer                         | Exact \`iss\` and \`aud\`: \`src/auth/tokens.ts\`                                                                | \`test/auth/bearer.security.test.ts\`    |
| Spoofing               | A stolen long-lived or expired token                                  | \`exp\`, \`nbf\` and a maximum lifetime measured from now: \`src/auth/tokens.ts\`                                  | \`test/auth/tokens.security.test.ts\`    |
| Spoofing               | A forged or altered ID token at sign-in (unknown key, one byte changed) | Every ID token's signature checked against the provider's key set with \`algorithms\`: \`src/auth/sign-in.ts\`, \`src/auth/tokens.ts\` | \`test/auth/sign-in.security.test.ts\`   |
| Elevation of privilege | \`iat\` or \`auth_time\` in the future makes a sign-in look fresh to step-up and passkey registration | Both refused beyond 30 s of skew, for every kind of token, before anything is stored: \`src/auth/tokens.ts\` | \`test/auth/tokens.security.test.ts\`    |
| Spoofing               | An ID token or a logout token used as an access token, or the reverse    | \`typ\` per kind (\`at+jwt\` for access tokens) and the claims only another kind carries: \`src/auth/tokens.ts\` | \`test/auth/tokens.security.test.ts\`    |
| Elevation of privilege | Two methods of one kind (\`otp\` + \`tel\`) or a malformed \`amr\` counted as MFA | The RFC 8176 factor table, pinned by tests; only arrays of strings count: \`src/auth/tokens.ts\` | \`test/auth/tokens.security.test.ts\`    |
| Denial of service      | Megabyte tokens parsed, stored and logged                             | 8 KiB per token before parsing; 64 KiB per answer of the provider: \`src/auth/tokens.ts\`, \`src/auth/keys.ts\` | \`test/auth/tokens.security.test.ts\`    |
| Spoofing               | A token remembered after its key was withdrawn, or past its \`exp\`   | Remembered tokens expire at \`exp\` and are forgotten when the key set changes; failures never remembered: \`src/auth/bearer.ts\` | \`test/auth/bearer.security.test.ts\`    |
| Tampering              | Signing keys swapped in transit                                       | https only for the issuer and the key set, except a local provider in development: \`src/auth/config.ts\`     | \`test/auth/config.test.ts\`             |
| Spoofing               | A planted session cookie becomes a signed-in session (fixation)        | A new random token at every sign-in; unknown cookies are cleared: \`src/auth/sessions.ts\`                     | \`test/auth/sessions.security.test.ts\`  |
| Elevation of privilege | A revoked or idle session keeps working                              | Sessions read from the database on every request; idle and absolute timeouts; one revocation point: \`src/auth/sessions.ts\` | \`test/auth/sessions.security.test.ts\`  |
| Information disclosure | A copy of the sessions table is used to sign in                      | Only the SHA-256 of each session token is stored: \`drizzle/auth/0000_sessions.sql\`                           | \`test/auth/sessions.security.test.ts\`  |
| Elevation of privilege | A token claims a role the service never granted, or two places disagree on a user's roles | One source of roles for tokens, sessions, passkeys and impersonation; roles the spec does not know dropped: \`src/auth/role-source.ts\` | \`test/auth/roles.security.test.ts\`    |
| Elevation of privilege | A revoked role keeps working until a token or session expires          | With role assignments, bearer roles read on every request and sessions ended on a role change: \`src/auth/bearer-auth.ts\`, \`src/auth/sessions.ts\` | \`test/auth/roles.security.test.ts\`    |
| Tampering              | An upper-case tenant id or a non-string \`sub\` breaks tenant and owner checks | Tenant ids lower-cased at the edge; \`sub\` a string of printable ASCII, else the token is refused: \`src/auth/tokens.ts\` | \`test/auth/roles.security.test.ts\`    |
| Elevation of privilege | A malformed credential treated as an anonymous request                 | Any Authorization header that does not verify gets 401: \`src/auth/bearer-auth.ts\`                               | \`test/auth/bearer.security.test.ts\`    |
| Spoofing               | A forged or replayed callback, login CSRF, a stolen code               | One-time state, nonce and PKCE S256 bound to a \`__Host-\` cookie; \`iss\` checked: \`src/auth/sign-in.ts\`     | \`test/auth/sign-in.security.test.ts\`   |
| Spoofing               | Sign-in redirects the user to an attacker's site                       | \`returnTo\` limited to a path on this site: \`src/auth/sign-in.ts\`                                           | \`test/auth/sign-in.security.test.ts\`   |
| Elevation of privilege | A stolen refresh token keeps working                                   | Rotation on every use; reuse reported by the provider ends the session: \`src/auth/sign-in.ts\`            | \`test/auth/sign-in.security.test.ts\`   |
| Elevation of privilege | An admin account taken over with a password alone                      | MFA required for sensitive roles at sign-in; step-up on risky routes: \`src/auth/step-up.ts\`              | \`test/auth/step-up.security.test.ts\`   |
| Denial of service      | Sign-in flooding by address or against one account                     | 10 a minute per address, 10 sign-ins per account in 15 minutes: \`src/auth/routes.ts\`                      | \`test/auth/sign-in.security.test.ts\`   |
| Repudiation            | A user signed out at the provider keeps a session here                 | Back-channel logout with a verified, single-use logout token: \`src/auth/back-channel-logout.ts\`         | \`test/auth/sign-in.security.test.ts\`   |
| Denial of service      | A logout by \`sub\` ends the same user id's sessions in other tenants  | Only sessions the provider vouched for, in the tenants where it signed that user in: \`src/auth/back-channel-logout.ts\` | \`test/auth/sign-in.security.test.ts\`   |
| Denial of service      | A forged callback (login CSRF) cancels the user's own sign-in          | The pending sign-in is used up only by a callback with its \`state\`: \`src/auth/sign-in.ts\`            | \`test/auth/sign-in.security.test.ts\`   |
| Spoofing               | An unconfirmed email address at a company's domain joins its organisation | Only \`email_verified: true\`, a strictly parsed address, and a verified domain of that tenant: \`src/auth/organisations.ts\` | \`test/auth/organisations.security.test.ts\` |
| Spoofing               | A lookalike domain (\`evil-example.com\`, \`example.com.evil.net\`, a homograph) counts as a verified one | Exact match after IDNA normalisation; input IDNA would silently change is refused: \`src/auth/organisations.ts\` | \`test/auth/organisations.security.test.ts\` |
| Elevation of privilege | A tenant claims a domain it does not own, or one another tenant verified | A random, expiring DNS TXT value per tenant; one tenant per verified domain (a unique index across tenants): \`drizzle/auth/0002_organisations.sql\` | \`test/auth/organisations.security.test.ts\` |
| Information disclosure | A tenant reads another tenant's domains or members                    | Forced row-level security on both tables; no UPDATE of ids, no DELETE for \`app_user\`: \`drizzle/auth/0002_organisations.sql\` | \`test/auth/organisations.security.test.ts\` |
`;

const PASSKEY_README = `
Passkeys (\`src/auth/passkeys.ts\`, routes in \`src/auth/passkey-routes.ts\`) use \`@simplewebauthn/server\`.
A user signed in with MFA in this browser in the last 10 minutes adds one through
\`POST /auth/passkeys/registration/options\` then \`POST /auth/passkeys/registration\`; anyone signs in through
\`POST /auth/passkeys/sign-in/options\` (\`{ tenantId, userId }\`) then \`POST /auth/passkeys/sign-in\`, which sets the
session cookie through \`createSession\` with \`authStrength\` \`mfa\`.
Challenges are stored server-side, bound to the user, single-use and valid 5 minutes; the origin must be one of
\`PASSKEY_ORIGIN\` and the RP id \`PASSKEY_RP_ID\`; user verification is required; a signature counter that
does not move forward (a cloned authenticator) is refused and audited. Sessions from a passkey get their
roles from the service's one source (\`src/auth/role-source.ts\`), never from the request.
`;

const PASSKEY_THREATS = `
| STRIDE                 | Threat                                                                | Mitigation                                                                                                   | Proved by                               |
| ---------------------- | --------------------------------------------------------------------- | ------------------------------------------------------------------------------------------------------------ | --------------------------------------- |
| Spoofing               | A phishing site relays a passkey ceremony                              | Exact expected origins and RP id from the configuration: \`src/auth/passkeys.ts\`                          | \`test/auth/passkeys.security.test.ts\`  |
| Spoofing               | A captured assertion is replayed, or answers another user's challenge  | Server-side challenges bound to one user, deleted on use, valid 5 minutes: \`src/auth/passkeys.ts\`        | \`test/auth/passkeys.security.test.ts\`  |
| Spoofing               | A cloned authenticator signs in                                       | The signature counter must move forward; refusals are audited: \`src/auth/passkeys.ts\`                     | \`test/auth/passkeys.security.test.ts\`  |
| Spoofing               | A device used without its owner (no PIN or biometric)                  | User verification required at registration and sign-in: \`src/auth/passkeys.ts\`                           | \`test/auth/passkeys.security.test.ts\`  |
| Elevation of privilege | A stolen session adds a passkey of its own for lasting access          | Registration only within 10 minutes of a sign-in: \`src/auth/passkeys.ts\`                                  | \`test/auth/passkeys.security.test.ts\`  |
| Information disclosure | Another tenant's passkeys or challenges are read or used               | Tenant-owned tables under forced row-level security: \`drizzle/auth-passkeys/0000_passkeys.sql\`                     | \`test/auth/passkeys.security.test.ts\`  |
| Denial of service      | Sign-in attempts and challenge requests in bulk                        | A per-client limit on every passkey route: \`src/auth/passkey-routes.ts\`                                   | \`test/auth/passkeys.security.test.ts\`  |
`;

const IMPERSONATION_README = `
Impersonation is on (\`src/auth/impersonation.ts\`): \`startImpersonation(db, admin, { target, reason, minutes, correlationId }, rolesOf)\`
opens a session in which an admin acts as a user of the same tenant. Only admins signed in with MFA in the
last 10 minutes, never as a user holding a role the admin lacks or a role that needs MFA, at most 30 minutes, a reason required; every
response of that session carries \`x-impersonated-by\`, and every attempt is in the audit log. Call it from
an admin route of yours: the target's roles are read from the service's one source (\`src/auth/role-source.ts\`),
never taken from the request.
`;

const IMPERSONATION_THREATS = `
| STRIDE                 | Threat                                                                | Mitigation                                                                                                   | Proved by                                   |
| ---------------------- | --------------------------------------------------------------------- | ------------------------------------------------------------------------------------------------------------ | ------------------------------------------- |
| Elevation of privilege | Impersonation used to gain rights, reach another tenant, or chained    | Admins with recent MFA only; target's roles a subset of the admin's; same tenant; no chaining: \`src/auth/impersonation.ts\` | \`test/auth/impersonation.security.test.ts\` |
| Repudiation            | Actions taken while impersonating look like the user's own             | Sessions marked with the admin's id, \`x-impersonated-by\` on every response, every attempt audited: \`src/auth/impersonation.ts\` | \`test/auth/impersonation.security.test.ts\` |
`;
