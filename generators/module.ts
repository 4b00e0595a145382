import type { FileIntent } from '../src/generator.js';
import { testedVersion } from '../src/package-root.js';

/**
 * What every feature module (rbac, webhooks, auth) does to join a service
 * that `bulwark new` wrote: add its pinned dependencies, register itself in
 * `buildApp`, and register its migrations.
 */

/** Adds the packages to package.json at the versions bulwark tests them with. */
export function addDependencies(field: 'dependencies' | 'devDependencies', names: readonly string[]): FileIntent {
  return addToPackageJson({ [field]: names });
}

/**
 * Everything a module adds to package.json, in one intent (a file takes one
 * merge per generator): pinned dependencies and scripts.
 */
export function addToPackageJson(additions: {
  readonly dependencies?: readonly string[];
  readonly devDependencies?: readonly string[];
  readonly scripts?: Readonly<Record<string, string>>;
}): FileIntent {
  const pinned = (names: readonly string[]) => Object.fromEntries(names.map((name) => [name, testedVersion(name)]));
  return {
    kind: 'json-merge',
    path: 'package.json',
    merge: {
      ...(additions.dependencies === undefined ? {} : { dependencies: pinned(additions.dependencies) }),
      ...(additions.devDependencies === undefined ? {} : { devDependencies: pinned(additions.devDependencies) }),
      ...(additions.scripts === undefined ? {} : { scripts: additions.scripts }),
    },
  };
}

/**
 * Imports into src/app.ts and statements added to `buildApp`, before its
 * return, in order. `early` statements go right after the route gate is
 * installed instead, before anything registers a route: a module registers
 * there what it decides in the gate (rbac its permissions, auth its step-up),
 * which the gate checks every route's `config.access` against as the route
 * is registered.
 */
export function addToBuildApp(
  imports: readonly { readonly from: string; readonly named: readonly string[] }[],
  statements: readonly string[],
  early: readonly string[] = [],
): FileIntent {
  return {
    kind: 'edit',
    path: 'src/app.ts',
    edits: [
      ...imports.map((i) => ({ op: 'ensure-import' as const, from: i.from, named: i.named })),
      // Inserted one after another right after the anchor: reversed, they keep their order.
      ...[...early].reverse().map((statement) => ({
        op: 'ensure-statement' as const,
        inFunction: 'buildApp',
        statement,
        after: GATE_INSTALLED,
      })),
      ...statements.map((statement) => ({ op: 'ensure-statement' as const, inFunction: 'buildApp', statement })),
    ],
  };
}

/** The statement of `buildApp` in src/app.ts that installs the route gate: the anchor for its deciders. */
const GATE_INSTALLED = 'installGate(app, rateLimits);';

/**
 * Registers migration folders (relative to the service root, such as
 * `drizzle/webhooks`) in `MIGRATIONS` of src/db/client.ts, each with its own
 * record table, and migration steps (functions that let a library install
 * its own schema, run after every folder) in `MIGRATION_STEPS`.
 */
export function addMigrations(
  sets: readonly { readonly folder: string; readonly table: string }[],
  steps: readonly { readonly from: string; readonly name: string }[] = [],
): FileIntent {
  return {
    kind: 'edit',
    path: 'src/db/client.ts',
    edits: [
      ...sets.map((set) => ({
        op: 'ensure-array-element' as const,
        variable: 'MIGRATIONS',
        element: `{ folder: fileURLToPath(new URL('../../${set.folder}', import.meta.url)), table: '${set.table}' }`,
      })),
      ...steps.flatMap((step) => [
        { op: 'ensure-import' as const, from: step.from, named: [step.name] },
        { op: 'ensure-array-element' as const, variable: 'MIGRATION_STEPS', element: step.name },
      ]),
    ],
  };
}

/**
 * Lists values the module writes into the repository (test secrets,
 * development keys) in `PUBLISHED_VALUES` of src/config-rules.ts: refused as
 * secrets outside development and tests.
 */
export function addPublishedValues(values: readonly string[]): FileIntent {
  return {
    kind: 'edit',
    path: 'src/config-rules.ts',
    edits: values.map((value) => ({ op: 'ensure-array-element' as const, variable: 'PUBLISHED_VALUES', element: `'${value}'` })),
  };
}

/**
 * Registers the module's parts of the service config in `MODULES` of
 * src/environment.ts: each its field (`auth`, `webhooks`) and the loader
 * that reads it (exported by `from`, relative to src/). `loadServiceConfig`
 * reads every part from one environment and reports every bad variable at
 * once; `buildApp` hands the module `config.<field>`.
 */
export function addConfigParts(parts: readonly { readonly from: string; readonly field: string; readonly load: string }[]): FileIntent {
  return {
    kind: 'edit',
    path: 'src/environment.ts',
    edits: parts.flatMap((part) => [
      { op: 'ensure-import' as const, from: part.from, named: [part.load] },
      { op: 'ensure-property' as const, variable: 'MODULES', name: part.field, value: part.load },
    ]),
  };
}

/**
 * Lists the module's service tables (the service's own data, such as
 * sessions or the job queue: `public.auth_sessions`, or `schema.*` for a
 * whole schema) in `SERVICE_TABLES` of test/db/scopes.security.test.ts,
 * whose inventory test fails for any table declared neither this way nor
 * as tenant data.
 */
export function addServiceTables(tables: readonly string[]): FileIntent {
  return {
    kind: 'edit',
    path: 'test/db/scopes.security.test.ts',
    edits: tables.map((table) => ({ op: 'ensure-array-element' as const, variable: 'SERVICE_TABLES', element: `'${table}'` })),
  };
}

/**
 * Lists the module's functions that run with their owner's rights and that
 * an application role may call (`public.app_roles_of`) in `DEFINER_FUNCTIONS`
 * of test/db/scopes.security.test.ts, whose test fails for any other.
 */
export function addDefinerFunctions(functions: readonly string[]): FileIntent {
  return {
    kind: 'edit',
    path: 'test/db/scopes.security.test.ts',
    edits: functions.map((name) => ({ op: 'ensure-array-element' as const, variable: 'DEFINER_FUNCTIONS', element: `'${name}'` })),
  };
}

/**
 * Lists schemas whose tables a library creates and upgrades itself (the job
 * queue's `pgboss`) in `LIBRARY_SCHEMAS` of test/db/schema-columns.test.ts,
 * which otherwise fails for any table the schema files of drizzle.config.ts
 * do not declare.
 */
export function addLibrarySchemas(schemas: readonly string[]): FileIntent {
  return {
    kind: 'edit',
    path: 'test/db/schema-columns.test.ts',
    edits: schemas.map((schema) => ({ op: 'ensure-array-element' as const, variable: 'LIBRARY_SCHEMAS', element: `'${schema}'` })),
  };
}

/**
 * Lists the module's security files in `SECURITY_MODULES` of stryker.config.js, each with
 * the mutation score in percent under which `npm run test:mutation` fails (90 for the checks
 * the rest stands on, 80 otherwise).
 */
export function addMutatedFiles(files: readonly { readonly file: string; readonly break: 80 | 90 }[]): FileIntent {
  return {
    kind: 'edit',
    path: 'stryker.config.js',
    edits: files.map(({ file, break: threshold }) => ({
      op: 'ensure-array-element' as const,
      variable: 'SECURITY_MODULES',
      element: `{ file: '${file}', break: ${String(threshold)} }`,
    })),
  };
}
