/**
 * The rbac module's role assignments (records tables: `recordsSnapshotTable` in compile.ts) as drizzle-kit's snapshots record them
 * (`generateDrizzleJson` of templates/rbac/src/authz/roles.ts.hbs): what a module's entry in drizzle/meta
 * adds (generators/drizzle-tables.ts). Change both together; a generated
 * service's test/db/schema-drift.test.ts fails when they disagree.
 */
export const ROLE_TABLES = {
  "public.role_assignments": {
    name: "role_assignments",
    schema: "",
    columns: {
      tenant_id: {
        name: "tenant_id",
        type: "uuid",
        primaryKey: false,
        notNull: true,
      },
      user_id: {
        name: "user_id",
        type: "text",
        primaryKey: false,
        notNull: true,
      },
      role: {
        name: "role",
        type: "text",
        primaryKey: false,
        notNull: true,
      },
      granted_by: {
        name: "granted_by",
        type: "text",
        primaryKey: false,
        notNull: true,
      },
      granted_at: {
        name: "granted_at",
        type: "timestamp with time zone",
        primaryKey: false,
        notNull: true,
        default: "now()",
      },
    },
    indexes: {},
    foreignKeys: {},
    compositePrimaryKeys: {
      role_assignments_pk: {
        name: "role_assignments_pk",
        columns: ["tenant_id", "user_id", "role"],
      },
    },
    uniqueConstraints: {},
    policies: {},
    checkConstraints: {},
    isRLSEnabled: false,
  },
} as const;
