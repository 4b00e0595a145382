import { describe, expect, it } from 'vitest';
import { BulwarkError } from '../../src/errors.js';
import { plan } from '../../src/index.js';
import { memoryService, type MemoryService } from '../helpers/generators.js';

const service = memoryService;

describe('auth generator (in memory)', () => {
  it('writes bearer verification with the chosen algorithms and claims, and installs it in buildApp', async () => {
    const options = { algorithms: ['ES256'], tenantClaim: 'https://example.test/tenant', maxTokenLifetimeSeconds: 300 };
    const p = await plan('auth', options, await service());
    const content = (name: string) => p.files.find((f) => f.path === name)?.content ?? '';
    expect(content('src/auth/config.ts')).toContain("algorithms: ['ES256']");
    expect(content('src/auth/config.ts')).toContain("tenantClaim: 'https://example.test/tenant'");
    expect(content('src/app.ts')).toContain('installBearerAuth(app, config.auth, options.database?.db);');
    // Its settings are fields of the one service config, read from the env the entry point passes.
    expect(content('src/environment.ts')).toMatch(/const MODULES = \{\s*auth: loadAuthConfig,\s*signIn: loadSignInConfig,?\s*\}/);
    expect(content('src/app.ts')).not.toContain('(process.env)');
    // Step-up is decided in the route gate: registered right after it, before any route.
    expect(content('src/app.ts')).toContain('installGate(app, rateLimits);\n  installStepUp(app);');
    expect(content('src/app.ts')).not.toContain('require-sign-in');
    expect(JSON.parse(content('package.json'))).toMatchObject({ dependencies: { jose: expect.any(String) as string } });
    expect(content('.env.example')).toContain('AUTH_MAX_TOKEN_LIFETIME_SECONDS=300');
  });

  it('writes passkeys only when the option is on', async () => {
    const passkeyFiles = ['drizzle/auth-passkeys/0000_passkeys.sql', 'drizzle/auth-passkeys/meta/_journal.json', 'src/auth/passkey-routes.ts', 'src/auth/passkeys.ts', 'test/auth/passkeys.security.test.ts', 'test/auth/software-authenticator.ts'];
    const off = await plan('auth', {}, await service());
    const on = await plan('auth', { passkeys: true }, await service());
    const paths = (p: typeof off) => p.files.map((f) => f.path);
    const content = (p: typeof off, name: string) => p.files.find((f) => f.path === name)?.content ?? '';
    expect(paths(off).filter((path) => passkeyFiles.includes(path))).toEqual([]);
    expect(paths(on)).toEqual(expect.arrayContaining(passkeyFiles));
    for (const [p, present] of [[off, false], [on, true]] as const) {
      expect(content(p, 'src/db/client.ts').includes("'__drizzle_migrations_auth_passkeys'")).toBe(present);
      expect(content(p, 'src/app.ts').includes('await passkeyRoutes(app, { config: config.passkeys')).toBe(present);
      expect(content(p, 'src/environment.ts').includes('passkeys: loadPasskeyConfig')).toBe(present);
      expect(content(p, 'package.json').includes('"@simplewebauthn/server"')).toBe(present);
      expect(content(p, '.env.example').includes('PASSKEY_RP_ID=')).toBe(present);
      expect(content(p, 'test/setup-env.ts').includes('PASSKEY_ORIGIN')).toBe(present);
      expect(content(p, 'THREAT_MODEL.md').includes('test/auth/passkeys.security.test.ts')).toBe(present);
    }
    // Their own migration folder: turned on after other auth migrations ran, they still apply.
    expect(JSON.parse(content(on, 'drizzle/auth-passkeys/meta/_journal.json'))).toMatchObject({ entries: [{ idx: 0, tag: '0000_passkeys' }, { idx: 1, tag: '0001_scopes' }] });
    expect(content(on, 'drizzle/auth/meta/_journal.json')).toBe(content(off, 'drizzle/auth/meta/_journal.json'));
    expect(JSON.parse(content(on, 'package.json'))).toMatchObject({ dependencies: { '@simplewebauthn/server': '14.0.3' } });
  });

  it('writes impersonation only when asked for, with the response marker', async () => {
    const off = await plan('auth', {}, await service());
    const on = await plan('auth', { impersonation: true }, await service());
    const has = (p: typeof off, name: string) => p.files.some((f) => f.path === name);
    const content = (p: typeof off, name: string) => p.files.find((f) => f.path === name)?.content ?? '';
    for (const [p, present] of [[off, false], [on, true]] as const) {
      expect(has(p, 'src/auth/impersonation.ts')).toBe(present);
      expect(content(p, 'src/app.ts').includes('installImpersonationMarker(app);')).toBe(present);
    }
  });

  it('writes organisation access, with its migration listed after sign-in', async () => {
    const p = await plan('auth', {}, await service());
    const paths = p.files.map((f) => f.path);
    for (const path of ['src/auth/organisations.ts', 'drizzle/auth/0002_organisations.sql', 'test/auth/organisations.security.test.ts']) {
      expect(paths).toContain(path);
    }
    const journal = JSON.parse(p.files.find((f) => f.path === 'drizzle/auth/meta/_journal.json')?.content ?? '{}') as {
      entries: { idx: number; tag: string; when: number }[];
    };
    expect(journal.entries.map((e) => [e.idx, e.tag])).toStrictEqual([
      [0, '0000_sessions'],
      [1, '0001_sign_in'],
      [2, '0002_organisations'],
      [3, '0003_keep_revoked'],
      [4, '0004_scopes'],
    ]);
    // drizzle's migrator applies entries in order and skips any whose "when" is not after the last applied one.
    const when = journal.entries.map((e) => e.when);
    expect(when).toStrictEqual([...when].sort((a, b) => a - b));
    for (const entry of journal.entries) expect(paths).toContain(`drizzle/auth/${entry.tag}.sql`);
  });

  const content = (p: Awaited<ReturnType<typeof plan>>, name: string) => p.files.find((f) => f.path === name)?.content ?? '';
  const refusal = (options: Record<string, unknown>, svc: MemoryService) => plan('auth', options, svc).catch((e: unknown) => e);

  it('takes roles from the provider’s claims and MFA roles from its own option without rbac; refuses assignments there', async () => {
    const svc = await service();
    const alone = await plan('auth', { mfaRoles: ['owner'] }, svc);
    expect(content(alone, 'src/auth/role-source.ts')).toContain("{ source: 'claims' }");
    expect(content(alone, 'src/auth/role-source.ts')).toContain("MFA_ROLES: readonly string[] = ['owner']");
    expect(content(alone, 'src/auth/role-source.ts')).not.toContain('../authz/');
    expect(content(alone, 'test/auth/roles.security.test.ts')).not.toContain('roles from role assignments');
    // Assignments nobody keeps.
    const nobody = await refusal({ roleSource: 'assignments' }, svc);
    expect(nobody).toBeInstanceOf(BulwarkError);
    expect((nobody as BulwarkError).code).toBe('E_SPEC_INVALID');
    expect((nobody as BulwarkError).details.option).toBe('roleSource');
  });

  it('takes roles from rbac’s assignments by default next to rbac, and the spec’s sensitive roles as the one MFA list', async () => {
    const withRbac = await service();
    withRbac.apply(await plan('rbac', {}, withRbac));
    const assignments = await plan('auth', {}, withRbac);
    expect(content(assignments, 'src/auth/role-source.ts')).toContain("{ source: 'assignments' }");
    expect(content(assignments, 'src/auth/role-source.ts')).toContain('MFA_ROLES: readonly string[] = SENSITIVE_ROLES');
    expect(content(assignments, 'src/auth/sign-in-config.ts')).not.toContain('mfaRoles');
    expect(content(assignments, 'test/auth/roles.security.test.ts')).toContain('roles from role assignments');
    const claims = await plan('auth', { roleSource: 'claims', mfaRoles: [] }, withRbac);
    expect(content(claims, 'src/auth/role-source.ts')).toContain("{ source: 'claims' }");
    expect(content(claims, 'src/auth/role-source.ts')).toContain('MFA_ROLES: readonly string[] = SENSITIVE_ROLES');
    // A second list of sensitive roles is refused (an empty one, what the prompt offers, is none).
    const twoLists = await refusal({ mfaRoles: ['admin'] }, withRbac);
    expect(twoLists).toBeInstanceOf(BulwarkError);
    expect((twoLists as BulwarkError).details.option).toBe('mfaRoles');
  });

  it.each([
    ['a symmetric algorithm', { algorithms: ['HS256'] }, 'algorithms.0'],
    ['alg none', { algorithms: ['none'] }, 'algorithms.0'],
    ['a token lifetime over an hour', { maxTokenLifetimeSeconds: 86400 }, 'maxTokenLifetimeSeconds'],
    ['a claim name with spaces', { tenantClaim: 'tenant id' }, 'tenantClaim'],
  ])('refuses %s with E_SPEC_INVALID', async (_what, options, option) => {
    const error = await plan('auth', options, await service()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BulwarkError);
    expect((error as BulwarkError).details.option).toBe(option);
  });
});
