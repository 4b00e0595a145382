import { defineGenerator, type FileIntent } from '../../src/generator.js';
import { addDependencies, addMigrations, addToBuildApp } from '../module.js';
import { authOptions, type AuthOptions } from './schema.js';

const TEMPLATES = [
  'drizzle/auth/0000_sessions.sql',
  'drizzle/auth/meta/_journal.json',
  'src/auth/bearer.ts',
  'src/auth/config.ts',
  'src/auth/plugin.ts',
  'src/auth/sessions.ts',
  'test/auth/bearer.security.test.ts',
  'test/auth/config.test.ts',
  'test/auth/sessions.security.test.ts',
] as const;

export const auth = defineGenerator({
  name: 'auth',
  description: 'Authentication against an OpenID Connect provider, in an existing service: verified bearer access tokens (first part).',
  options: authOptions,
  example: {},
  normalize: (parsed): AuthOptions => parsed,

  files: (options): FileIntent[] => [
    ...TEMPLATES.map((template): FileIntent => ({
      kind: 'template',
      path: template,
      template: `auth/${template}.hbs`,
      data: {
        defaults: {
          algorithms: options.algorithms,
          maxTokenLifetimeSeconds: options.maxTokenLifetimeSeconds,
          tenantClaim: options.tenantClaim,
          rolesClaim: options.rolesClaim,
          mfaAcrValues: options.mfaAcrValues,
        },
      },
    })),
    addDependencies('dependencies', ['jose']),
    addToBuildApp(
      [
        { from: './auth/plugin.js', named: ['installBearerAuth'] },
        { from: './auth/config.js', named: ['loadAuthConfig'] },
        { from: './auth/sessions.js', named: ['installSessionAuth'] },
      ],
      ['installBearerAuth(app, loadAuthConfig(process.env));', 'installSessionAuth(app, options.database?.db);'],
    ),
    addMigrations([{ folder: 'drizzle/auth', table: '__drizzle_migrations_auth' }]),
    {
      kind: 'block',
      path: 'test/setup-env.ts',
      id: 'auth',
      comment: 'slash',
      content: [
        "process.env.OIDC_ISSUER ??= 'https://id.example.test/';",
        "process.env.OIDC_JWKS_URI ??= 'https://id.example.test/jwks';",
        "process.env.OIDC_AUDIENCE ??= 'https://api.example.test';",
      ].join('\n'),
    },
    { kind: 'block', path: '.env.example', id: 'auth', comment: 'hash', content: ENV_EXAMPLE(options) },
    { kind: 'block', path: 'THREAT_MODEL.md', id: 'auth', comment: 'markdown', content: THREAT_MODEL },
    { kind: 'block', path: 'README.md', id: 'auth', comment: 'markdown', content: README },
    {
      kind: 'block',
      path: '.github/CODEOWNERS',
      id: 'auth',
      comment: 'hash',
      content: '# Authentication needs a security review.\n/src/auth/ @your-org/security\n',
    },
  ],
});

const ENV_EXAMPLE = (options: AuthOptions) => `# The identity provider: its issuer exactly as in the tokens' iss, and its key set (https).
OIDC_ISSUER=
OIDC_JWKS_URI=
# This API's identifier, as in the tokens' aud.
OIDC_AUDIENCE=
# Access tokens that live longer than this are refused (60 to 3600).
AUTH_MAX_TOKEN_LIFETIME_SECONDS=${String(options.maxTokenLifetimeSeconds)}
`;

const README = `## Authentication

API requests carry \`Authorization: Bearer <access token>\` from your OpenID Connect provider.
\`installBearerAuth\` (\`src/auth/plugin.ts\`) verifies it with \`jose\` against \`OIDC_JWKS_URI\`: an explicit
list of asymmetric algorithms (never \`none\` or HMAC), the exact \`OIDC_ISSUER\` and \`OIDC_AUDIENCE\`,
\`exp\` and \`nbf\`, and a maximum lifetime. A valid token sets \`request.user\` (id from \`sub\`, tenant and
roles from their claims, MFA from \`amr\`/\`acr\`); a bad one gets 401 at once, never an anonymous
request. Keys are fetched over https and cached; a new \`kid\` at the provider is picked up.

Browser sessions live in the database (\`src/auth/sessions.ts\`): \`createSession\` after sign-in returns a new
random token for the \`__Host-session\` cookie (only its hash is stored), every request reads the session
afresh (30 minutes idle, 12 hours absolute), and \`revokeUserSessions(db, { tenantId, userId, reason })\`
ends all of a user's sessions at once: pass it to rbac's \`grantRole\`/\`revokeRole\` as \`revokeSessions\`.
`;

const THREAT_MODEL = `## Authentication (\`src/auth/\`)

| STRIDE                 | Threat                                                                | Mitigation                                                                                                   | Proved by                               |
| ---------------------- | --------------------------------------------------------------------- | ------------------------------------------------------------------------------------------------------------ | --------------------------------------- |
| Spoofing               | A token with \`alg: none\`, or HS256 forged with the public key         | An explicit list of asymmetric algorithms on every verification: \`src/auth/bearer.ts\`                       | \`test/auth/bearer.security.test.ts\`    |
| Spoofing               | A token for another API or from another issuer                         | Exact \`iss\` and \`aud\`: \`src/auth/bearer.ts\`                                                                | \`test/auth/bearer.security.test.ts\`    |
| Spoofing               | A stolen long-lived or expired token                                  | \`exp\`, \`nbf\` and a maximum lifetime: \`src/auth/bearer.ts\`                                                   | \`test/auth/bearer.security.test.ts\`    |
| Tampering              | Signing keys swapped in transit                                       | https only for the issuer and the key set, except a local provider in development: \`src/auth/config.ts\`     | \`test/auth/config.test.ts\`             |
| Spoofing               | A planted session cookie becomes a signed-in session (fixation)        | A new random token at every sign-in; unknown cookies are cleared: \`src/auth/sessions.ts\`                     | \`test/auth/sessions.security.test.ts\`  |
| Elevation of privilege | A revoked or idle session keeps working                              | Sessions read from the database on every request; idle and absolute timeouts; one revocation point: \`src/auth/sessions.ts\` | \`test/auth/sessions.security.test.ts\`  |
| Information disclosure | A copy of the sessions table is used to sign in                      | Only the SHA-256 of each session token is stored: \`drizzle/auth/0000_sessions.sql\`                           | \`test/auth/sessions.security.test.ts\`  |
| Elevation of privilege | A malformed credential treated as an anonymous request                 | Any Authorization header that does not verify gets 401: \`src/auth/plugin.ts\`                               | \`test/auth/bearer.security.test.ts\`    |
`;
