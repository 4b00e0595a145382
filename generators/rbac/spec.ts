import { z } from 'zod';
import type { ErrorIssue } from '../../src/errors.js';

/**
 * The permission spec: what a service's `permissions.yaml` holds, the one
 * source of its policy, route guards, permission map and Cedar files.
 * Names are camelCase identifiers, so a wildcard (`*`) or a pattern can
 * never be written: every action a role gets is listed.
 */
const NAME = /^[a-z][a-zA-Z0-9]{0,47}$/;

const name = (what: string) =>
  z.string().refine((value) => NAME.test(value), {
    error: (issue) =>
      issue.input === '*' || (typeof issue.input === 'string' && issue.input.includes('*'))
        ? `wildcards are refused: list each ${what} by name`
        : `must be a camelCase ${what} name, such as "invoice" or "approveRefund" (letters and digits, starting lower case)`,
  });

/** Attributes the policy adds to every resource itself. */
export const RESERVED_ATTRIBUTES = ['id', 'tenantId', 'ownerId', 'type'] as const;

/** Columns every records table has besides the reserved attributes. */
const BUILT_IN_COLUMNS = ['createdAt'] as const;

/**
 * Names every JavaScript object already has: a lookup by such a name finds
 * something even when the spec declares nothing, and `__proto__` is dropped
 * by every object it is parsed into.
 */
const OBJECT_PROPERTIES = new Set(Object.getOwnPropertyNames(Object.prototype));

/**
 * Where each kind of name lands, and the words it must not be there.
 * Resource names become Cedar entity types (`invoice` → `Invoice`, beside
 * the spec's own `User` and Cedar's built-in types) and TypeScript types
 * (`<Name>Resource`, beside `AnyResource`); attribute names become Cedar
 * attributes read as `resource.<name>`, where Cedar's reserved identifiers
 * do not parse. TypeScript and SQL keywords are safe everywhere a name
 * lands: as a property, inside a string, or a quoted SQL identifier, never
 * alone as a TypeScript binding (`test/unit/permission-spec.test.ts` proves
 * it for `delete`, `select`, `order`, `class`, `default`).
 */
const CEDAR_TYPES = new Set(['User', 'Action', 'Bool', 'Boolean', 'Entity', 'Extension', 'Long', 'Record', 'Set', 'String']);
const CEDAR_RESERVED = new Set(['true', 'false', 'if', 'then', 'else', 'in', 'is', 'like', 'has']);
const TS_TYPES_TAKEN = new Set(['any']);

/** PostgreSQL cuts identifiers at 63 bytes: two long names would become one table. */
const PG_IDENTIFIER_MAX = 63;

const snakeName = (name: string): string => name.replace(/[A-Z]/g, (ch) => `_${ch.toLowerCase()}`);

export const ENVIRONMENTS = ['development', 'staging', 'production'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

const attributeType = z.enum(['string', 'number', 'boolean']);

const condition = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('owner').describe('resource.ownerId == principal.id') }),
  z.strictObject({
    kind: z.literal('attribute'),
    attribute: name('attribute'),
    op: z.enum(['eq', 'ne', 'lt', 'lte', 'gt', 'gte']).describe('lt, lte, gt, gte only for number attributes'),
    value: z.union([z.string(), z.number().int().min(-(2 ** 53) + 1).max(2 ** 53 - 1), z.boolean()]),
  }),
  z.strictObject({
    kind: z.literal('authStrength'),
    level: z.enum(['mfa']).describe('the authentication strength the auth module vouches for'),
  }),
]);

const grant = z.strictObject({
  resource: name('resource'),
  actions: z.array(name('action')).min(1),
  when: z.array(condition).default([]).describe('every condition must hold; same tenant is always implied unless the resource is global'),
});

const role = z.strictObject({
  description: z.string().max(200).optional(),
  inherits: z.array(name('role')).default([]).describe('roles whose grants this role also has'),
  sensitive: z.boolean().default(false).describe('holders must have signed in with MFA (the auth module enforces it)'),
  grants: z.array(grant).default([]),
});

const resource = z.strictObject({
  description: z.string().max(200).optional(),
  global: z.boolean().default(false).describe('shared by every tenant: no same-tenant condition'),
  records: z
    .boolean()
    .default(true)
    .describe('a tenant-owned resource gets a records table and generic routes under /api/records; false when another module keeps its data (billing\'s subscription, invoice)'),
  attributes: z.record(name('attribute'), attributeType).default({}),
  actions: z.array(name('action')).min(1),
  fields: z
    .record(
      name('attribute'),
      z.strictObject({
        read: z.array(name('role')).optional().describe('only these roles see the attribute; others get the record without it'),
        write: z.array(name('role')).optional().describe('only these roles may set the attribute; others are refused'),
      }),
    )
    .default({})
    .describe('field-level access: attributes some roles may not read or write'),
});

export const permissionSpec = z
  .strictObject({
    version: z.literal(1),
    resources: z.record(name('resource'), resource),
    roles: z.record(name('role'), role),
    environments: z
      .strictObject({
        development: z.array(name('role')).optional(),
        staging: z.array(name('role')).optional(),
        production: z.array(name('role')).optional(),
      })
      .optional()
      .describe('roles available in each environment; an environment not listed has every role'),
  })
  .describe('The permission spec: resources, their actions, and the roles that grant them. Deny by default.');

export type PermissionSpecInput = z.input<typeof permissionSpec>;
export type PermissionSpec = z.output<typeof permissionSpec>;
export type Condition = z.output<typeof condition>;

/**
 * The rules zod cannot express: every name a role uses must exist, actions
 * must belong to their resource, conditions must fit the attribute's type,
 * inheritance must not loop, and no grant may be swallowed by an
 * unconditional grant of the same action in the same role.
 */
export function semanticIssues(spec: PermissionSpec, base = ''): ErrorIssue[] {
  const issues: ErrorIssue[] = [];
  const at = (path: string) => (base === '' ? path : `${base}.${path}`);
  if (Object.keys(spec.resources).length === 0) issues.push({ option: at('resources'), message: 'declares no resource' });
  issues.push(...nameIssues(spec, at));
  for (const [resourceName, res] of Object.entries(spec.resources)) {
    for (const attribute of Object.keys(res.attributes)) {
      if ((RESERVED_ATTRIBUTES as readonly string[]).includes(attribute)) {
        issues.push({ option: at(`resources.${resourceName}.attributes.${attribute}`), message: `is built in: every resource has ${RESERVED_ATTRIBUTES.join(', ')}` });
      }
    }
    for (const [field, access] of Object.entries(res.fields)) {
      if (!Object.hasOwn(res.attributes, field)) issues.push({ option: at(`resources.${resourceName}.fields.${field}`), message: `"${field}" is not an attribute of "${resourceName}"` });
      for (const roleName of [...(access.read ?? []), ...(access.write ?? [])]) {
        if (!Object.hasOwn(spec.roles, roleName)) issues.push({ option: at(`resources.${resourceName}.fields.${field}`), message: `names the unknown role "${roleName}"` });
      }
    }
    const seen = new Set<string>();
    for (const action of res.actions) {
      if (seen.has(action)) issues.push({ option: at(`resources.${resourceName}.actions`), message: `lists "${action}" twice` });
      seen.add(action);
    }
  }
  for (const [roleName, r] of Object.entries(spec.roles)) {
    for (const parent of r.inherits) {
      if (!Object.hasOwn(spec.roles, parent)) issues.push({ option: at(`roles.${roleName}.inherits`), message: `names the unknown role "${parent}"` });
    }
    r.grants.forEach((g, index) => {
      const where = at(`roles.${roleName}.grants.${String(index)}`);
      const res = Object.hasOwn(spec.resources, g.resource) ? spec.resources[g.resource] : undefined;
      if (res === undefined) {
        issues.push({ option: `${where}.resource`, message: `grants on the unknown resource "${g.resource}"` });
        return;
      }
      for (const action of g.actions) {
        if (!res.actions.includes(action)) issues.push({ option: `${where}.actions`, message: `grants "${action}", which resource "${g.resource}" does not have (it has ${res.actions.join(', ')})` });
      }
      g.when.forEach((c, ci) => {
        const cwhere = `${where}.when.${String(ci)}`;
        if (c.kind === 'owner' && res.global) issues.push({ option: cwhere, message: `an owner condition on the global resource "${g.resource}": global resources have no owner` });
        if (c.kind !== 'attribute') return;
        const type = Object.hasOwn(res.attributes, c.attribute) ? res.attributes[c.attribute] : undefined;
        if (type === undefined) {
          issues.push({ option: `${cwhere}.attribute`, message: `"${c.attribute}" is not an attribute of "${g.resource}"` });
          return;
        }
        if (typeof c.value !== type) issues.push({ option: `${cwhere}.value`, message: `must be a ${type}, as attribute "${c.attribute}" is` });
        if (typeof c.value === 'string' && !/^[\x20-\x7e]{0,200}$/.test(c.value.replace(/["\\]/g, '\0'))) {
          issues.push({ option: `${cwhere}.value`, message: 'must be printable ASCII without quotes or backslashes, at most 200 characters' });
        }
        if (type !== 'number' && !['eq', 'ne'].includes(c.op)) issues.push({ option: `${cwhere}.op`, message: `"${c.op}" compares numbers; a ${type} takes eq or ne` });
      });
    });
    issues.push(...swallowedGrants(roleName, r.grants, at));
  }
  issues.push(...inheritanceCycles(spec, at));
  for (const environment of ENVIRONMENTS) {
    for (const roleName of spec.environments?.[environment] ?? []) {
      if (!Object.hasOwn(spec.roles, roleName)) issues.push({ option: at(`environments.${environment}`), message: `names the unknown role "${roleName}"` });
    }
  }
  return issues;
}

/**
 * Names that pass the camelCase rule but break a language they land in, or
 * collide with another name once case is folded (a table, a migration
 * folder or a file system may not tell `fooBar` from `foobar`).
 */
function nameIssues(spec: PermissionSpec, at: (path: string) => string): ErrorIssue[] {
  const issues: ErrorIssue[] = [];
  const notAProperty = (name: string, where: string) => {
    if (OBJECT_PROPERTIES.has(name)) issues.push({ option: at(where), message: `"${name}" is a property every JavaScript object has; choose another name` });
  };
  const foldedOnce = (names: readonly string[], where: (name: string) => string, what: string) => {
    const seen = new Map<string, string>();
    for (const name of names) {
      const other = seen.get(name.toLowerCase());
      if (other !== undefined) issues.push({ option: at(where(name)), message: `${what} "${name}" and "${other}" differ only in case; rename one` });
      else seen.set(name.toLowerCase(), name);
    }
  };
  // One resource without attributes is fine beside others; with none anywhere, the generated
  // tests' attribute types collapse to `{}` and the service fails its own type check.
  const names = Object.keys(spec.resources);
  if (names.length > 0 && names.every((n) => Object.keys(spec.resources[n]?.attributes ?? {}).length === 0)) {
    issues.push({ option: at(`resources.${names[0] as string}.attributes`), message: 'no resource declares an attribute; give at least one resource an attribute' });
  }
  foldedOnce(names, (n) => `resources.${n}`, 'resources');
  foldedOnce(Object.keys(spec.roles), (n) => `roles.${n}`, 'roles');
  for (const [name, res] of Object.entries(spec.resources)) {
    const where = `resources.${name}`;
    notAProperty(name, where);
    const type = name.charAt(0).toUpperCase() + name.slice(1);
    if (CEDAR_TYPES.has(type)) issues.push({ option: at(where), message: `becomes the Cedar entity type "${type}", which ${type === 'User' ? 'the principal already is' : type === 'Action' ? 'Cedar reserves for actions' : 'the Cedar schema would then read as this entity instead of a built-in type'}; choose another name` });
    if (TS_TYPES_TAKEN.has(name)) issues.push({ option: at(where), message: `becomes the TypeScript type "${type}Resource", which permissions.ts already declares; choose another name` });
    const longest = Math.max(`${snakeName(name)}_records_tenant`.length, `__drizzle_migrations_rbac_${name.toLowerCase()}`.length);
    if (!res.global && longest > PG_IDENTIFIER_MAX) {
      issues.push({ option: at(where), message: `is too long for its PostgreSQL table names (${String(longest)} of at most ${String(PG_IDENTIFIER_MAX)} characters); shorten it` });
    }
    foldedOnce(Object.keys(res.attributes), (a) => `${where}.attributes.${a}`, 'attributes');
    for (const attribute of Object.keys(res.attributes)) {
      const awhere = `${where}.attributes.${attribute}`;
      notAProperty(attribute, awhere);
      if (CEDAR_RESERVED.has(attribute)) issues.push({ option: at(awhere), message: `"${attribute}" is reserved in Cedar, where it would be read as resource.${attribute}; choose another name` });
      if ((BUILT_IN_COLUMNS as readonly string[]).includes(attribute)) issues.push({ option: at(awhere), message: `is built in: every records table has ${BUILT_IN_COLUMNS.join(', ')}` });
      if (snakeName(attribute).length > PG_IDENTIFIER_MAX) issues.push({ option: at(awhere), message: `is too long for a PostgreSQL column name (at most ${String(PG_IDENTIFIER_MAX)} characters in snake_case); shorten it` });
    }
    for (const action of res.actions) notAProperty(action, `${where}.actions`);
  }
  for (const role of Object.keys(spec.roles)) notAProperty(role, `roles.${role}`);
  return issues;
}

/** A conditional grant next to an unconditional one for the same action is dead: its conditions never matter. */
function swallowedGrants(roleName: string, grants: PermissionSpec['roles'][string]['grants'], at: (path: string) => string): ErrorIssue[] {
  const unconditional = new Set(grants.filter((g) => g.when.length === 0).flatMap((g) => g.actions.map((a) => `${g.resource}:${a}`)));
  const issues: ErrorIssue[] = [];
  grants.forEach((g, index) => {
    if (g.when.length === 0) return;
    for (const action of g.actions) {
      if (unconditional.has(`${g.resource}:${action}`)) {
        issues.push({
          option: at(`roles.${roleName}.grants.${String(index)}`),
          message: `grants "${g.resource}:${action}" with conditions, but the role also grants it without any: the conditions would never apply; remove one of the two grants`,
        });
      }
    }
  });
  return issues;
}

function inheritanceCycles(spec: PermissionSpec, at: (path: string) => string): ErrorIssue[] {
  const issues: ErrorIssue[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (roleName: string, trail: string[]): void => {
    if (state.get(roleName) === 'done') return;
    if (state.get(roleName) === 'visiting') {
      const cycle = [...trail.slice(trail.indexOf(roleName)), roleName];
      issues.push({ option: at(`roles.${roleName}.inherits`), message: `inheritance loops: ${cycle.join(' -> ')}` });
      return;
    }
    state.set(roleName, 'visiting');
    const r = Object.hasOwn(spec.roles, roleName) ? spec.roles[roleName] : undefined;
    for (const parent of r?.inherits ?? []) {
      if (Object.hasOwn(spec.roles, parent)) visit(parent, [...trail, roleName]);
    }
    state.set(roleName, 'done');
  };
  for (const roleName of Object.keys(spec.roles)) visit(roleName, []);
  return issues;
}

/**
 * The spec bulwark writes for a new service: one tenant-owned resource, deny
 * by default, least privilege, no wildcard, and a read-only auditor.
 */
export function starterSpec(resources: readonly string[]): PermissionSpecInput {
  const actions = ['read', 'create', 'update', 'delete'];
  return {
    version: 1,
    resources: Object.fromEntries(
      resources.map((r) => [
        r,
        {
          description: `Records of type ${r}, each owned by one tenant.`,
          attributes: { title: 'string' as const, internalNote: 'string' as const },
          actions,
          fields: { internalNote: { read: ['admin'], write: ['admin'] } },
        },
      ]),
    ),
    roles: {
      auditor: {
        description: 'Reads everything in its tenant and changes nothing.',
        grants: resources.map((r) => ({ resource: r, actions: ['read'] })),
      },
      member: {
        description: 'Reads everything in its tenant; changes only what it owns.',
        inherits: ['auditor'],
        grants: resources.flatMap((r) => [
          { resource: r, actions: ['create'] },
          { resource: r, actions: ['update', 'delete'], when: [{ kind: 'owner' as const }] },
        ]),
      },
      admin: {
        description: 'Manages everything in its tenant; must sign in with MFA.',
        sensitive: true,
        inherits: ['auditor'],
        grants: resources.map((r) => ({ resource: r, actions: ['create', 'update', 'delete'], when: [{ kind: 'authStrength' as const, level: 'mfa' as const }] })),
      },
    },
  };
}
