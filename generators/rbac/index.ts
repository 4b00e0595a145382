import { BulwarkError } from '../../src/errors.js';
import { RBAC_ERRORS } from './errors.js';
import { defineGenerator, type FileIntent, type GeneratorContext } from '../../src/generator.js';
import { MAX_INPUT_BYTES, tooLarge } from '../../src/options.js';
import { assertSafeRelativePath } from '../../src/paths.js';
import { MANIFEST_PATH, parseManifest } from '../../src/manifest.js';
import { addConfigParts, addDefinerFunctions, addDependencies, addMigrations, addMutatedFiles, addToBuildApp } from '../module.js';
import {
  cedarPolicies,
  cedarSchema,
  compile,
  kebab,
  ownedResources,
  permissionsHtml,
  permissionsJson,
  permissionsMarkdown,
  permissionsModule,
  recordsJournal,
  recordsMigration,
  recordsScopesMigration,
  recordsModule,
  recordsSnapshotTable,
  recordTable,
} from './compile.js';
import { registerTables, tablesEntry } from '../drizzle-tables.js';
import { rbacOptions, type RbacOptions } from './schema.js';
import { parseSpecFile, specText } from './spec-file.js';
import { ROLE_TABLES } from './tables.js';
import { permissionSpec, semanticIssues, starterSpec, type PermissionSpec } from './spec.js';

const TEMPLATES = [
  'drizzle/rbac/0000_role_assignments.sql',
  'drizzle/rbac/0001_scopes.sql',
  'drizzle/rbac/0002_role_read.sql',
  'drizzle/rbac/meta/_journal.json',
  'src/authz/config.ts',
  'src/authz/guard.ts',
  'src/authz/policy.ts',
  'src/authz/records.ts',
  'src/authz/roles.ts',
  'test/authz/cedar.test.ts',
  'test/authz/drift.test.ts',
  'test/authz/guard.security.test.ts',
  'test/authz/matrix.test.ts',
  'test/authz/records.security.test.ts',
  'test/authz/requests.ts',
  'test/authz/roles.security.test.ts',
] as const;

const DEV_DEPENDENCIES = ['@cedar-policy/cedar-wasm', 'fast-check', 'yaml'] as const;

export const rbac = defineGenerator({
  name: 'rbac',
  description: 'Permission spec to typed policy, fail-closed route guards, permission map and Cedar files, in an existing service.',
  options: rbacOptions,
  example: {},

  normalize: (parsed, context): RbacOptions => {
    if (parsed.permissions !== undefined) {
      assertValid(parsed.permissions, 'permissions', undefined);
      return withTables(context, { spec: parsed.spec, written: parsed.permissions, permissions: parsed.permissions, writeSpec: true, migrated: migratedIn(context) });
    }
    const existing = readSpecFile(context, parsed.spec);
    if (existing !== undefined) {
      const result = permissionSpec.safeParse(existing);
      if (!result.success) {
        throw invalid(
          parsed.spec,
          result.error.issues.map((issue) => ({ option: issue.path.map(String).join('.') || '(root)', message: issue.message })),
        );
      }
      assertValid(result.data, '', parsed.spec);
      return withTables(context, { spec: parsed.spec, written: existing, permissions: result.data, writeSpec: false, migrated: migratedIn(context) });
    }
    const starter = starterSpec(parsed.resources);
    const permissions = permissionSpec.parse(starter);
    assertValid(permissions, '', undefined);
    return withTables(context, { spec: parsed.spec, written: starter, permissions, writeSpec: true, migrated: migratedIn(context) });
  },

  files: (options): FileIntent[] => {
    const compiled = compile(options.permissions, options.written);
    const data = { specPath: options.spec };
    return [
      ...(options.writeSpec ? [{ kind: 'content' as const, path: options.spec, content: specText(options.spec, options.written) }] : []),
      { kind: 'content', path: 'src/authz/permissions.ts', content: permissionsModule(compiled) },
      { kind: 'content', path: 'PERMISSIONS.md', content: permissionsMarkdown(compiled) },
      { kind: 'content', path: 'PERMISSIONS.json', content: permissionsJson(compiled) },
      { kind: 'content', path: 'PERMISSIONS.html', content: permissionsHtml(compiled) },
      { kind: 'content', path: 'cedar/policies.cedar', content: cedarPolicies(compiled) },
      { kind: 'content', path: 'cedar/schema.cedarschema', content: cedarSchema(compiled) },
      { kind: 'content', path: 'src/authz/record-tables.ts', content: recordsModule(compiled) },
      ...ownedResources(compiled).flatMap((resource): FileIntent[] => {
        const attributes = options.permissions.resources[resource]?.attributes ?? {};
        return [
          // An applied migration is never rewritten; its scopes come in a migration of their own.
          ...(options.migrated.includes(resource) ? [] : [{ kind: 'content' as const, path: `${recordsFolder(resource)}/0000_records.sql`, content: recordsMigration(resource, attributes) }]),
          { kind: 'content', path: `${recordsFolder(resource)}/0001_scopes.sql`, content: recordsScopesMigration(resource) },
          { kind: 'content', path: `${recordsFolder(resource)}/meta/_journal.json`, content: recordsJournal() },
        ];
      }),
      ...TEMPLATES.map((template): FileIntent => ({ kind: 'template', path: template, template: `rbac/${template}.hbs`, data })),
      addDependencies('devDependencies', DEV_DEPENDENCIES),
      addToBuildApp(
        [
          { from: './authz/guard.js', named: ['installAuthz'] },
          { from: './authz/records.js', named: ['recordRoutes'] },
        ],
        ['if (options.database !== undefined) recordRoutes(app, options.database.db);'],
        // Decides `access: { resource, action }` in the route gate: before any such route is registered.
        ['installAuthz(app, { ...config.authz, database: options.database });'],
      ),
      addConfigParts([{ from: './authz/config.js', field: 'authz', load: 'loadAuthzConfig' }]),
      addDefinerFunctions(['public.app_roles_of']),
      addMutatedFiles([
        { file: 'src/authz/policy.ts', break: 90 },
        { file: 'src/authz/guard.ts', break: 80 },
      ]),
      addMigrations([
        { folder: 'drizzle/rbac', table: '__drizzle_migrations_rbac' },
        ...ownedResources(compiled).map((resource) => ({ folder: recordsFolder(resource), table: `__drizzle_migrations_rbac_${resource.toLowerCase()}` })),
      ]),
      ...registerTables(['src/authz/roles.ts', 'src/authz/record-tables.ts'], options.tables),
      { kind: 'block', path: 'THREAT_MODEL.md', id: 'rbac', comment: 'markdown', content: THREAT_MODEL },
      { kind: 'block', path: 'README.md', id: 'rbac', comment: 'markdown', content: readme(options.spec) },
      { kind: 'block', path: '.env.example', id: 'rbac', comment: 'hash', content: ENV_EXAMPLE },
      { kind: 'block', path: '.github/CODEOWNERS', id: 'rbac', comment: 'hash', content: CODEOWNERS(options.spec) },
    ];
  },
});

/**
 * What rbac compiles from a spec it does not write itself: the policy, the
 * permission map, Cedar's files and the records tables' declarations,
 * marked as rbac's output. A module that adds to the spec (billing) writes
 * these again on rbac's behalf, so they never lag behind the spec (the
 * service's drift test would fail), and a later `bulwark generate rbac`
 * finds them as its own. `written` is the spec as the file will hold it; a
 * spec rbac refuses is refused here the same way. Migrations are not among
 * them: a module adds resources with `records: false`, which have no table.
 */
export function compiledSpecFiles(context: GeneratorContext, specPath: string, written: unknown): FileIntent[] {
  const result = permissionSpec.safeParse(written);
  if (!result.success) {
    throw invalid(
      specPath,
      result.error.issues.map((issue) => ({ option: issue.path.map(String).join('.') || '(root)', message: issue.message })),
    );
  }
  assertValid(result.data, '', specPath);
  const options = withTables(context, { spec: specPath, written, permissions: result.data, writeSpec: false, migrated: migratedIn(context) });
  return rbac
    .files(options, context)
    .flatMap((intent) => (intent.kind === 'content' && !intent.path.startsWith('drizzle/') ? [{ ...intent, generator: 'rbac' }] : []));
}

/**
 * The spec rbac compiled in this target: its path (from the manifest) and
 * what the file holds now; the starter spec rbac would write when there is
 * no file (a module that requires rbac never runs without it in practice).
 */
export function currentSpec(context: GeneratorContext): { readonly path: string; readonly text: string } {
  const manifest = parseManifest(context.workspace.read(MANIFEST_PATH));
  const recorded = manifest.generators.rbac?.options.spec;
  const specPath = typeof recorded === 'string' ? recorded : 'permissions.yaml';
  assertSafeRelativePath(specPath, 'spec');
  const bytes = context.workspace.readBytes(specPath);
  if (bytes === undefined) return { path: specPath, text: specText(specPath, starterSpec(rbacOptions.shape.resources.parse(undefined))) };
  if (bytes.length > MAX_INPUT_BYTES) throw tooLarge(`permission spec ${specPath}`, 'spec');
  parseSpecFile(specPath, bytes); // refuses what rbac refuses to read: not UTF-8, aliases, __proto__
  return { path: specPath, text: new TextDecoder('utf-8').decode(bytes) };
}

const recordsFolder = (resource: string) => `drizzle/rbac-${kebab(resource)}`;

/**
 * The options, with what drizzle/ gets so that drizzle-kit knows the role
 * assignments and every records table (a resource new to the spec adds its
 * table; one already recorded is left for the user's own migration).
 */
function withTables(context: GeneratorContext, options: Omit<RbacOptions, 'tables'>): RbacOptions {
  const resources = ownedResources(compile(options.permissions, options.written));
  const tables = {
    ...ROLE_TABLES,
    ...Object.fromEntries(resources.map((resource) => [`public.${recordTable(resource)}`, recordsSnapshotTable(resource, options.permissions.resources[resource]?.attributes ?? {})])),
  };
  return { ...options, tables: tablesEntry(context, 'rbac', ['drizzle/rbac', ...resources.map(recordsFolder)], tables) };
}

/** Resources whose records migration the service already has: applied migrations are never rewritten. */
function migratedIn({ workspace }: GeneratorContext): string[] {
  return workspace
    .list('drizzle')
    .filter((dir) => dir.startsWith('rbac-') && workspace.exists(`drizzle/${dir}/0000_records.sql`))
    .map((dir) => dir.slice('rbac-'.length).replace(/-([a-z0-9])/g, (_, ch: string) => ch.toUpperCase()));
}

/** The spec file the service has, parsed; undefined when there is none. Read through the workspace, which keeps it inside the target. */
function readSpecFile({ workspace }: GeneratorContext, specPath: string): unknown {
  assertSafeRelativePath(specPath, 'spec');
  let bytes: Uint8Array | undefined;
  try {
    bytes = workspace.readBytes(specPath);
  } catch (error) {
    if (error instanceof BulwarkError && error.code === 'E_TARGET_INVALID') {
      throw new BulwarkError(RBAC_ERRORS.E_PERMISSIONS_INVALID, `The spec ${specPath} is not a regular file.`, { path: specPath, option: 'spec', fix: 'Point spec at the YAML or JSON file itself.' }, { cause: error });
    }
    if (error instanceof BulwarkError && error.code === 'E_PATH_UNSAFE') {
      throw new BulwarkError('E_PATH_UNSAFE', error.message, { ...error.details, option: 'spec', fix: 'Keep the permission spec inside the service, as a plain file.' }, { cause: error });
    }
    throw error;
  }
  if (bytes === undefined) return undefined;
  if (bytes.length > MAX_INPUT_BYTES) throw tooLarge(`permission spec ${specPath}`, 'spec');
  return parseSpecFile(specPath, bytes);
}

function assertValid(spec: PermissionSpec, base: string, file: string | undefined): void {
  const issues = semanticIssues(spec, base);
  if (issues.length > 0) throw invalid(file ?? 'permissions', issues);
}

function invalid(source: string, issues: { option: string; message: string }[]): BulwarkError {
  const summary = issues.map((i) => `${i.option}: ${i.message}`).join('; ');
  return new BulwarkError(RBAC_ERRORS.E_PERMISSIONS_INVALID, `The permission spec ${source} is refused: ${summary}.`, {
    ...(issues[0] === undefined ? {} : { option: issues[0].option }),
    path: source,
    issues,
    fix: 'Fix each problem listed; nothing was written. "bulwark schema rbac" shows the shape of a spec.',
  });
}

const ENV_EXAMPLE = `# development | staging | production: which roles of the permission spec exist here.
# Unset: production. Production roles come only from the committed spec.
APP_ENVIRONMENT=production
`;

const CODEOWNERS = (specPath: string) => `# Authorization: the spec, the compiled policy and the guard need a security review.
/${specPath} @your-org/security
/src/authz/ @your-org/security
/cedar/ @your-org/security
`;

function readme(specPath: string): string {
  return `## Authorization

\`${specPath}\` is the permission spec: resources and their actions, roles, and the conditions on each
grant (owner, attribute comparisons, MFA). \`npx bulwark generate rbac\` compiles it into
\`src/authz/permissions.ts\` (typed, readable rules), the permission map (\`PERMISSIONS.md\`, \`.json\`,
\`.html\`, for review) and Cedar files (\`cedar/\`). Edit the spec, run bulwark again, commit all of it:
\`test/authz/drift.test.ts\` fails when they disagree.

- Deny by default: \`policy.can(principal, action, resource)\` (\`src/authz/policy.ts\`) allows only what a
  rule allows, within the principal's tenant unless the resource is global, and says why.
- A guarded route declares \`config: { access: { resource, action } }\` in the route gate
  (\`src/http/gate.ts\`); \`installAuthz\` (\`src/authz/guard.ts\`) decides it. A route naming an action
  the spec lacks stops the service at start-up, and the lint rule \`local/require-route-authz\` reads
  the same declaration. A request without a principal gets 401; one whose roles grant nothing for the
  route gets 403 with no detail, and an audit entry, before its body is even parsed.
- Conditions on the resource itself (owner, attributes) are checked in the handler with
  \`authorize(request, action, resource)\`, which also answers 403 and audits.
- Each tenant-owned resource gets a table (\`<resource>_records\`, \`src/authz/record-tables.ts\`) with forced
  row-level security, and guarded routes under \`/api/records/<resource>\` (\`src/authz/records.ts\`) for
  the spec's read, create, update and delete actions: queries run in the caller's tenant only, a
  foreign id is a 404, bodies take only the attributes, and \`app_user\` can never change a record's
  id, tenant or owner. Its migration (\`drizzle/rbac-<resource>/\`) is written once; when you change a
  resource's attributes later, write a migration for it (\`test/authz/records.security.test.ts\` compares
  the columns with the spec).
- \`grantRole\` / \`revokeRole\` (\`src/authz/roles.ts\`) store role assignments per tenant: only someone who
  holds every permission of a role may grant or revoke it, unknown roles are refused, every change is
  audited, and the user's sessions are ended through the \`revokeSessions\` function you pass (the auth
  module's). \`rolesOf\` reads a user's roles; a stored role the spec no longer has grants nothing.
- \`APP_ENVIRONMENT\` (development, staging, production; default production) selects the roles that
  exist; roles are compiled into the code, never read from the database or an endpoint.
- \`test/authz/\` checks every role × resource × action with and without each condition, and that
  Cedar (\`@cedar-policy/cedar-wasm\`) decides every one of them, and thousands of random requests,
  the same way.
`;
}

const THREAT_MODEL = `## Authorization (\`src/authz/\`)

| STRIDE                 | Threat                                                         | Mitigation                                                                                                        | Proved by                              |
| ---------------------- | -------------------------------------------------------------- | ----------------------------------------------------------------------------------------------------------------- | -------------------------------------- |
| Elevation of privilege | A route ships without an authorization requirement, or names one the spec lacks | Every route declares \`config.access\` in the route gate or the service does not start; a permission the spec lacks stops it too: \`src/authz/guard.ts\` | \`test/authz/guard.security.test.ts\`   |
| Elevation of privilege | A role does more than the spec grants, or a wildcard sneaks in | Deny by default, rules compiled from the spec, no wildcards in the spec: \`src/authz/policy.ts\`                    | \`test/authz/matrix.test.ts\`           |
| Elevation of privilege | The policy code and the reviewed spec drift apart              | The spec's hash is in every generated file; Cedar decides the same requests: \`src/authz/permissions.ts\`            | \`test/authz/drift.test.ts\`, \`test/authz/cedar.test.ts\` |
| Information disclosure | A user reads another tenant's resource                        | Same tenant is part of every rule for a tenant-owned resource: \`src/authz/policy.ts\`                             | \`test/authz/matrix.test.ts\`           |
| Information disclosure | A query (or an injection) reaches another tenant's records     | Every record query runs in \`withTenant\` for the caller's tenant; forced row-level security on each records table: \`src/authz/records.ts\` | \`test/authz/records.security.test.ts\` |
| Tampering              | A record is moved to another tenant or owner (mass assignment) | Bodies list only the resource's attributes; \`app_user\` may update only those columns: \`src/authz/records.ts\` | \`test/authz/records.security.test.ts\` |
| Repudiation            | Denied attempts leave no trace                                 | Every 403 of a permission the route needs, and of \`authorize\`, is audited: \`src/authz/guard.ts\`                 | \`test/authz/guard.security.test.ts\`   |
| Elevation of privilege | A user grants themselves or a friend a role they do not hold    | A role can be granted or revoked only by someone holding all of it; unknown roles refused; every change audited and the user's sessions ended: \`src/authz/roles.ts\` | \`test/authz/roles.security.test.ts\` |
| Tampering              | A role row is rewritten through SQL injection, or across tenants | \`app_user\` may insert and delete role rows, never update them; forced row-level security per tenant: \`drizzle/rbac/0000_role_assignments.sql\` | \`test/authz/roles.security.test.ts\` |
| Information disclosure | The one-statement role read, which the login may call, is asked for another tenant's roles | It reads only the tenant whose signed scope it verifies (key, server process, expiry), and puts the caller's scope back: \`drizzle/rbac/0002_role_read.sql\` | \`test/authz/roles.security.test.ts\` |
| Elevation of privilege | A production role is changed at run time                      | Roles are frozen data compiled from the committed spec; nothing reads them from the database: \`src/authz/permissions.ts\` | \`test/authz/guard.security.test.ts\`   |
`;
