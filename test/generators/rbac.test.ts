import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { compile, permissionsHtml, permissionsJson, permissionsMarkdown } from '../../generators/rbac/compile.js';
import { permissionSpec, starterSpec, type PermissionSpecInput } from '../../generators/rbac/spec.js';
import { BulwarkError } from '../../src/errors.js';
import { plan } from '../../src/index.js';
import { memoryService } from '../helpers/generators.js';

const service = memoryService;

const INVOICES: PermissionSpecInput = {
  version: 1,
  resources: {
    invoice: { attributes: { amount: 'number', status: 'string' }, actions: ['read', 'approve', 'delete'] },
    plan: { global: true, actions: ['read'] },
  },
  roles: {
    auditor: { grants: [{ resource: 'invoice', actions: ['read'] }, { resource: 'plan', actions: ['read'] }] },
    finance: {
      inherits: ['auditor'],
      sensitive: true,
      grants: [
        {
          resource: 'invoice',
          actions: ['approve'],
          when: [
            { kind: 'authStrength', level: 'mfa' },
            { kind: 'attribute', attribute: 'amount', op: 'lte', value: 10000 },
          ],
        },
      ],
    },
    owner: { grants: [{ resource: 'invoice', actions: ['delete'], when: [{ kind: 'owner' }] }] },
  },
  environments: { production: ['auditor', 'finance'] },
};

async function refusal(permissions: unknown): Promise<BulwarkError> {
  const error = await plan('rbac', { permissions }, await service()).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(BulwarkError);
  return error as BulwarkError;
}

describe('rbac generator (in memory)', () => {
  it('writes a least-privilege starter spec with a read-only auditor, and compiles it', async () => {
    const p = await plan('rbac', { resources: ['invoice'] }, await service());
    const spec = permissionSpec.parse(parse(p.files.find((f) => f.path === 'permissions.yaml')?.content ?? ''));
    expect(Object.keys(spec.roles).sort()).toStrictEqual(['admin', 'auditor', 'member']);
    expect(spec.roles['auditor']?.grants).toStrictEqual([{ resource: 'invoice', actions: ['read'], when: [] }]);
    const paths = p.files.map((f) => f.path);
    for (const expected of ['src/authz/permissions.ts', 'src/authz/policy.ts', 'src/authz/guard.ts', 'PERMISSIONS.md', 'PERMISSIONS.json', 'PERMISSIONS.html', 'cedar/policies.cedar', 'cedar/schema.cedarschema', 'test/authz/cedar.test.ts']) {
      expect(paths).toContain(expected);
    }
    const appTs = p.files.find((f) => f.path === 'src/app.ts')?.content ?? '';
    // Registered in the route gate right after it is installed, before any route.
    expect(appTs).toContain(
      'installGate(app, rateLimits);\n  installAuthz(app, { ...config.authz, database: options.database });',
    );
    expect(p.files.find((f) => f.path === 'src/environment.ts')?.content).toMatch(/const MODULES = \{\s*authz: loadAuthzConfig,?\s*\}/);
    expect(p.files.find((f) => f.path === 'THREAT_MODEL.md')?.content).toContain('<!-- bulwark:begin rbac -->');
  });

  it('compiles roles, inheritance, conditions and environments into readable rules and Cedar', async () => {
    const p = await plan('rbac', { permissions: INVOICES }, await service());
    const content = (name: string) => p.files.find((f) => f.path === name)?.content ?? '';
    const permissions = content('src/authz/permissions.ts');
    expect(permissions).toContain('export type ResourceType = keyof typeof RESOURCES;');
    expect(permissions).toMatch(/role: 'finance',\s+resource: 'invoice',\s+action: 'read',\s+when: \[\],\s+via: 'auditor'/);
    expect(permissions).toContain("case 'production':\n      return ['auditor', 'finance'];");
    const cedar = content('cedar/policies.cedar');
    expect(cedar).toContain('resource.amount <= 10000');
    expect(cedar).toContain('principal.authStrength.contains("mfa")');
    expect(cedar).toContain('resource.ownerId == principal.userId');
    // The global resource has no tenant condition; the tenant-owned one always has.
    const planRead = cedar.split('\n\n').find((block) => block.includes('Action::"plan:read"')) ?? '';
    expect(planRead).not.toContain('tenantId');
    expect(cedar.split('\n\n').filter((b) => b.includes('Action::"invoice:')).every((b) => b.includes('resource.tenantId == principal.tenantId'))).toBe(true);
    const markdown = content('PERMISSIONS.md');
    expect(markdown).toMatch(/\| finance\s+\| yes\s+\| if mfa and amount ≤ 10000\s+\| —\s+\|/);
  });

  it.each([
    ['a wildcard action', { roles: { auditor: { grants: [{ resource: 'invoice', actions: ['*'] }] } } }, 'wildcards are refused'],
    ['an unknown resource', { roles: { auditor: { grants: [{ resource: 'payout', actions: ['read'] }] } } }, 'unknown resource "payout"'],
    ['an action the resource lacks', { roles: { auditor: { grants: [{ resource: 'invoice', actions: ['refund'] }] } } }, 'does not have'],
    ['an inheritance loop', { roles: { a: { inherits: ['b'] }, b: { inherits: ['a'] } } }, 'inheritance loops'],
    ['an unknown parent role', { roles: { a: { inherits: ['ghost'] } } }, 'unknown role "ghost"'],
    ['a string compared with lt', { roles: { a: { grants: [{ resource: 'invoice', actions: ['read'], when: [{ kind: 'attribute', attribute: 'status', op: 'lt', value: 'paid' }] }] } } }, 'compares numbers'],
    ['a condition swallowed by an unconditional grant', { roles: { a: { grants: [{ resource: 'invoice', actions: ['read'] }, { resource: 'invoice', actions: ['read'], when: [{ kind: 'owner' }] }] } } }, 'would never apply'],
    ['an unknown role in an environment', { environments: { production: ['root'] } }, 'unknown role "root"'],
    ['a quote in a condition value', { roles: { a: { grants: [{ resource: 'invoice', actions: ['read'], when: [{ kind: 'attribute', attribute: 'status', op: 'eq', value: 'x" || true || "' }] }] } } }, 'printable ASCII'],
  ])('refuses %s with E_PERMISSIONS_INVALID or E_SPEC_INVALID, naming the place, and plans nothing', async (_what, change, message) => {
    const base = { version: 1, resources: { invoice: { attributes: { status: 'string' }, actions: ['read'] } }, roles: {} };
    const error = await refusal({ ...base, ...change });
    expect(['E_PERMISSIONS_INVALID', 'E_SPEC_INVALID']).toContain(error.code);
    expect(error.message).toContain(message);
    expect(error.details.option).toMatch(/^(permissions\.)?(roles|environments)\b/);
  });

  it('reads an edited spec file and regenerates only what it changes; the same spec changes nothing', async () => {
    const svc = await service();
    svc.apply(await plan('rbac', {}, svc));
    const again = await plan('rbac', {}, svc);
    expect(again.files.filter((f) => f.status !== 'unchanged').map((f) => f.path)).toStrictEqual([]);

    const edited = (svc.read('permissions.yaml') ?? '').replace('        actions:\n          - read\n', '        actions:\n          - read\n          - create\n');
    expect(edited).not.toBe(svc.read('permissions.yaml'));
    svc.write('permissions.yaml', edited);
    const next = await plan('rbac', {}, svc);
    const changed = next.files.filter((f) => f.status !== 'unchanged').map((f) => f.path).sort();
    expect(changed).toStrictEqual([
      'PERMISSIONS.html',
      'PERMISSIONS.json',
      'PERMISSIONS.md',
      'cedar/policies.cedar',
      'cedar/schema.cedarschema',
      'src/authz/permissions.ts',
      'src/authz/record-tables.ts',
    ]);
    expect(next.files.some((f) => f.path === 'permissions.yaml')).toBe(false);
  });

  it('writes a records migration once per tenant-owned resource, and never rewrites an applied one', async () => {
    const svc = await service();
    svc.apply(await plan('rbac', {}, svc));
    const before = svc.read('drizzle/rbac-document/0000_records.sql') ?? '';
    expect(before).toContain('FORCE ROW LEVEL SECURITY');
    expect(before).toContain('GRANT UPDATE ("title", "internal_note") ON TABLE "document_records" TO app_user;');

    const edited = (svc.read('permissions.yaml') ?? '').replace('      title: string\n', '      title: string\n      pages: number\n');
    expect(edited).not.toBe(svc.read('permissions.yaml'));
    svc.write('permissions.yaml', edited);
    const next = await plan('rbac', {}, svc);
    expect(next.files.some((f) => f.path === 'drizzle/rbac-document/0000_records.sql')).toBe(false);
    // The signed scope comes in a migration of its own, the same whatever the attributes: applied, it is never rewritten either.
    const scopes = svc.read('drizzle/rbac-document/0001_scopes.sql') ?? '';
    expect(scopes).toContain("SELECT app_private.tenant_table('public.document_records');");
    expect(next.files.find((f) => f.path === 'drizzle/rbac-document/0001_scopes.sql')?.status).toBe('unchanged');
    expect(next.files.find((f) => f.path === 'src/authz/record-tables.ts')?.content).toContain("pages: bigint('pages', { mode: 'number' }).notNull()");
  });

  it('shows field rules in the permission map for review', () => {
    const written = starterSpec(['document']);
    const c = compile(permissionSpec.parse(written), written);
    expect(permissionsMarkdown(c)).toContain('| internalNote | admin | admin |');
    expect(permissionsHtml(c)).toContain('<tr><td>internalNote</td><td>admin</td><td>admin</td></tr>');
    expect(JSON.parse(permissionsJson(c))).toMatchObject({ resources: [{ resource: 'document', fields: { internalNote: { read: ['admin'], write: ['admin'] } } }] });
  });

  it('hashes the spec as written, so the generated drift test can recompute it from the file', () => {
    const written = starterSpec(['document']);
    const a = compile(permissionSpec.parse(written), written);
    const b = compile(permissionSpec.parse(written), JSON.parse(JSON.stringify(written)));
    expect(a.sha256).toBe(b.sha256);
    expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});
