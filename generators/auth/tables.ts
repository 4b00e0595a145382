/**
 * The auth module's tables as drizzle-kit's snapshots record them
 * (`generateDrizzleJson` of templates/auth/src/auth/tables.ts.hbs): what a module's entry in drizzle/meta
 * adds (generators/drizzle-tables.ts). Change both together; a generated
 * service's test/db/schema-drift.test.ts fails when they disagree.
 */
export const AUTH_TABLES = {
  "public.auth_logout_tokens": {
    name: "auth_logout_tokens",
    schema: "",
    columns: {
      jti: {
        name: "jti",
        type: "text",
        primaryKey: true,
        notNull: true,
      },
      expires_at: {
        name: "expires_at",
        type: "timestamp with time zone",
        primaryKey: false,
        notNull: true,
      },
    },
    indexes: {},
    foreignKeys: {},
    compositePrimaryKeys: {},
    uniqueConstraints: {},
    policies: {},
    checkConstraints: {},
    isRLSEnabled: false,
  },
  "public.auth_org_domains": {
    name: "auth_org_domains",
    schema: "",
    columns: {
      tenant_id: {
        name: "tenant_id",
        type: "uuid",
        primaryKey: false,
        notNull: true,
      },
      domain: {
        name: "domain",
        type: "text",
        primaryKey: false,
        notNull: true,
      },
      token_hash: {
        name: "token_hash",
        type: "text",
        primaryKey: false,
        notNull: true,
      },
      expires_at: {
        name: "expires_at",
        type: "timestamp with time zone",
        primaryKey: false,
        notNull: true,
      },
      verified_at: {
        name: "verified_at",
        type: "timestamp with time zone",
        primaryKey: false,
        notNull: false,
      },
      created_at: {
        name: "created_at",
        type: "timestamp with time zone",
        primaryKey: false,
        notNull: true,
        default: "now()",
      },
    },
    indexes: {
      auth_org_domains_verified: {
        name: "auth_org_domains_verified",
        columns: [
          {
            expression: "domain",
            isExpression: false,
            asc: true,
            nulls: "last",
          },
        ],
        isUnique: true,
        where: '"verified_at" IS NOT NULL',
        concurrently: false,
        method: "btree",
        with: {},
      },
    },
    foreignKeys: {},
    compositePrimaryKeys: {
      auth_org_domains_pk: {
        name: "auth_org_domains_pk",
        columns: ["tenant_id", "domain"],
      },
    },
    uniqueConstraints: {},
    policies: {},
    checkConstraints: {},
    isRLSEnabled: false,
  },
  "public.auth_org_memberships": {
    name: "auth_org_memberships",
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
      email: {
        name: "email",
        type: "text",
        primaryKey: false,
        notNull: true,
      },
      joined_via: {
        name: "joined_via",
        type: "text",
        primaryKey: false,
        notNull: true,
      },
      domain: {
        name: "domain",
        type: "text",
        primaryKey: false,
        notNull: false,
      },
      joined_at: {
        name: "joined_at",
        type: "timestamp with time zone",
        primaryKey: false,
        notNull: true,
        default: "now()",
      },
    },
    indexes: {},
    foreignKeys: {},
    compositePrimaryKeys: {
      auth_org_memberships_pk: {
        name: "auth_org_memberships_pk",
        columns: ["tenant_id", "user_id"],
      },
    },
    uniqueConstraints: {},
    policies: {},
    checkConstraints: {},
    isRLSEnabled: false,
  },
  "public.auth_sessions": {
    name: "auth_sessions",
    schema: "",
    columns: {
      token_hash: {
        name: "token_hash",
        type: "text",
        primaryKey: true,
        notNull: true,
      },
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
      roles: {
        name: "roles",
        type: "jsonb",
        primaryKey: false,
        notNull: true,
      },
      auth_strength: {
        name: "auth_strength",
        type: "jsonb",
        primaryKey: false,
        notNull: true,
      },
      auth_time: {
        name: "auth_time",
        type: "bigint",
        primaryKey: false,
        notNull: false,
      },
      created_at: {
        name: "created_at",
        type: "timestamp with time zone",
        primaryKey: false,
        notNull: true,
        default: "now()",
      },
      last_seen_at: {
        name: "last_seen_at",
        type: "timestamp with time zone",
        primaryKey: false,
        notNull: true,
      },
      expires_at: {
        name: "expires_at",
        type: "timestamp with time zone",
        primaryKey: false,
        notNull: true,
      },
      revoked_at: {
        name: "revoked_at",
        type: "timestamp with time zone",
        primaryKey: false,
        notNull: false,
      },
      revoked_reason: {
        name: "revoked_reason",
        type: "text",
        primaryKey: false,
        notNull: false,
      },
      provider_sid: {
        name: "provider_sid",
        type: "text",
        primaryKey: false,
        notNull: false,
      },
      id_token: {
        name: "id_token",
        type: "text",
        primaryKey: false,
        notNull: false,
      },
      access_token: {
        name: "access_token",
        type: "text",
        primaryKey: false,
        notNull: false,
      },
      access_expires_at: {
        name: "access_expires_at",
        type: "timestamp with time zone",
        primaryKey: false,
        notNull: false,
      },
      refresh_token: {
        name: "refresh_token",
        type: "text",
        primaryKey: false,
        notNull: false,
      },
      impersonator_id: {
        name: "impersonator_id",
        type: "text",
        primaryKey: false,
        notNull: false,
      },
      impersonation_reason: {
        name: "impersonation_reason",
        type: "text",
        primaryKey: false,
        notNull: false,
      },
    },
    indexes: {
      auth_sessions_user: {
        name: "auth_sessions_user",
        columns: [
          {
            expression: "tenant_id",
            isExpression: false,
            asc: true,
            nulls: "last",
          },
          {
            expression: "user_id",
            isExpression: false,
            asc: true,
            nulls: "last",
          },
        ],
        isUnique: false,
        concurrently: false,
        method: "btree",
        with: {},
      },
      auth_sessions_provider_sid: {
        name: "auth_sessions_provider_sid",
        columns: [
          {
            expression: "provider_sid",
            isExpression: false,
            asc: true,
            nulls: "last",
          },
        ],
        isUnique: false,
        concurrently: false,
        method: "btree",
        with: {},
      },
    },
    foreignKeys: {},
    compositePrimaryKeys: {},
    uniqueConstraints: {},
    policies: {},
    checkConstraints: {},
    isRLSEnabled: false,
  },
  "public.auth_sign_ins": {
    name: "auth_sign_ins",
    schema: "",
    columns: {
      id_hash: {
        name: "id_hash",
        type: "text",
        primaryKey: true,
        notNull: true,
      },
      state: {
        name: "state",
        type: "text",
        primaryKey: false,
        notNull: true,
      },
      nonce: {
        name: "nonce",
        type: "text",
        primaryKey: false,
        notNull: true,
      },
      code_verifier: {
        name: "code_verifier",
        type: "text",
        primaryKey: false,
        notNull: true,
      },
      return_to: {
        name: "return_to",
        type: "text",
        primaryKey: false,
        notNull: true,
      },
      max_age: {
        name: "max_age",
        type: "integer",
        primaryKey: false,
        notNull: false,
      },
      mfa_requested: {
        name: "mfa_requested",
        type: "boolean",
        primaryKey: false,
        notNull: true,
      },
      expires_at: {
        name: "expires_at",
        type: "timestamp with time zone",
        primaryKey: false,
        notNull: true,
      },
    },
    indexes: {},
    foreignKeys: {},
    compositePrimaryKeys: {},
    uniqueConstraints: {},
    policies: {},
    checkConstraints: {},
    isRLSEnabled: false,
  },
} as const;

/**
 * The passkey tables as drizzle-kit's snapshots record them
 * (`generateDrizzleJson` of templates/auth/src/auth/passkey-tables.ts.hbs): what a module's entry in drizzle/meta
 * adds (generators/drizzle-tables.ts). Change both together; a generated
 * service's test/db/schema-drift.test.ts fails when they disagree.
 */
export const PASSKEY_TABLES = {
  "public.passkey_challenges": {
    name: "passkey_challenges",
    schema: "",
    columns: {
      challenge: {
        name: "challenge",
        type: "text",
        primaryKey: true,
        notNull: true,
      },
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
      purpose: {
        name: "purpose",
        type: "text",
        primaryKey: false,
        notNull: true,
      },
      expires_at: {
        name: "expires_at",
        type: "timestamp with time zone",
        primaryKey: false,
        notNull: true,
      },
    },
    indexes: {
      passkey_challenges_expiry: {
        name: "passkey_challenges_expiry",
        columns: [
          {
            expression: "tenant_id",
            isExpression: false,
            asc: true,
            nulls: "last",
          },
          {
            expression: "expires_at",
            isExpression: false,
            asc: true,
            nulls: "last",
          },
        ],
        isUnique: false,
        concurrently: false,
        method: "btree",
        with: {},
      },
    },
    foreignKeys: {},
    compositePrimaryKeys: {},
    uniqueConstraints: {},
    policies: {},
    checkConstraints: {},
    isRLSEnabled: false,
  },
  "public.passkey_credentials": {
    name: "passkey_credentials",
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
      credential_id: {
        name: "credential_id",
        type: "text",
        primaryKey: false,
        notNull: true,
      },
      public_key: {
        name: "public_key",
        type: "text",
        primaryKey: false,
        notNull: true,
      },
      counter: {
        name: "counter",
        type: "bigint",
        primaryKey: false,
        notNull: true,
      },
      transports: {
        name: "transports",
        type: "jsonb",
        primaryKey: false,
        notNull: true,
      },
      device_type: {
        name: "device_type",
        type: "text",
        primaryKey: false,
        notNull: true,
      },
      backed_up: {
        name: "backed_up",
        type: "boolean",
        primaryKey: false,
        notNull: true,
      },
      created_at: {
        name: "created_at",
        type: "timestamp with time zone",
        primaryKey: false,
        notNull: true,
        default: "now()",
      },
      last_used_at: {
        name: "last_used_at",
        type: "timestamp with time zone",
        primaryKey: false,
        notNull: false,
      },
    },
    indexes: {
      passkey_credentials_user: {
        name: "passkey_credentials_user",
        columns: [
          {
            expression: "tenant_id",
            isExpression: false,
            asc: true,
            nulls: "last",
          },
          {
            expression: "user_id",
            isExpression: false,
            asc: true,
            nulls: "last",
          },
        ],
        isUnique: false,
        concurrently: false,
        method: "btree",
        with: {},
      },
    },
    foreignKeys: {},
    compositePrimaryKeys: {
      passkey_credentials_pk: {
        name: "passkey_credentials_pk",
        columns: ["tenant_id", "credential_id"],
      },
    },
    uniqueConstraints: {},
    policies: {},
    checkConstraints: {},
    isRLSEnabled: false,
  },
} as const;
