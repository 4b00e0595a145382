import type { TablesEntry } from '../drizzle-tables.js';
import { z } from 'zod';
import { permissionSpec, type PermissionSpec } from './spec.js';

export const rbacOptions = z.strictObject({
  spec: z
    .string()
    .regex(/^[\w./-]+\.(ya?ml|json)$/, { error: 'must be a relative path ending in .yaml, .yml or .json' })
    .default('permissions.yaml')
    .describe('Where the permission spec lives in the service. bulwark reads it when it exists and no `permissions` are given.'),
  permissions: permissionSpec
    .optional()
    .describe('The permission spec itself (resources, actions, roles, conditions). Given, bulwark writes it to `spec`; a spec file you edited is then a conflict unless --force.'),
  resources: z
    .array(z.string().regex(/^[a-z][a-zA-Z0-9]{0,47}$/, { error: 'must be a camelCase resource name, such as "invoice"' }))
    .min(1)
    .max(20)
    .default(['document'])
    .describe('For a new spec only (no `permissions`, no spec file yet): the tenant-owned resources of the starter spec.'),
});

export interface RbacOptions {
  /** Path of the spec file in the service. */
  readonly spec: string;
  /** The spec as written (before defaults), hashed into every generated file. */
  readonly written: unknown;
  /** The validated spec, defaults applied. */
  readonly permissions: PermissionSpec;
  /** Whether bulwark writes the spec file (new spec, or `permissions` given). */
  readonly writeSpec: boolean;
  /** Resources whose records migration is already in the service: never rewritten. */
  readonly migrated: readonly string[];
  /** What drizzle/ gets so that drizzle-kit knows the module's tables; undefined when it knows them already. */
  readonly tables: TablesEntry | undefined;
}
