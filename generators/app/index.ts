import path from 'node:path';
import { BulwarkError } from '../../src/errors.js';
import { PRETTIER_OPTIONS } from '../../src/format.js';
import { defineGenerator, type FileIntent } from '../../src/generator.js';
import { testedVersion } from '../../src/package-root.js';
import { appOptions, packageName, type AppOptions } from './schema.js';

/** Templates of the new service; dotfiles are stored without their dot (npm drops .gitignore). */
const TEMPLATES = [
  'README.md',
  'SECURITY.md',
  'THREAT_MODEL.md',
  'drizzle.config.ts',
  'drizzle/0000_tenants.sql',
  'drizzle/0001_app_role.sql',
  'drizzle/0002_audit_log.sql',
  'drizzle/0003_scopes.sql',
  'drizzle/0004_audit_chain.sql',
  'drizzle/0005_audit_time.sql',
  'drizzle/0006_no_large_objects.sql',
  'drizzle/0007_audit_text.sql',
  'drizzle/0008_tenant_locks.sql',
  'drizzle/meta/0000_snapshot.json',
  'drizzle/meta/0001_snapshot.json',
  'drizzle/meta/0002_snapshot.json',
  'drizzle/meta/0003_snapshot.json',
  'drizzle/meta/0004_snapshot.json',
  'drizzle/meta/0005_snapshot.json',
  'drizzle/meta/0006_snapshot.json',
  'drizzle/meta/0007_snapshot.json',
  'drizzle/meta/0008_snapshot.json',
  'drizzle/meta/_journal.json',
  'env.example',
  'eslint-rules/docs/no-allow-all-policy.md',
  'eslint-rules/docs/no-raw-card-data.md',
  'eslint-rules/docs/no-secret-in-prompt-or-log.md',
  'eslint-rules/docs/no-timing-unsafe-compare.md',
  'eslint-rules/docs/require-route-authz.md',
  'eslint-rules/index.js',
  'eslint-rules/no-allow-all-policy.js',
  'eslint-rules/no-raw-card-data.js',
  'eslint-rules/no-secret-in-prompt-or-log.js',
  'eslint-rules/no-timing-unsafe-compare.js',
  'eslint-rules/require-route-authz.js',
  'eslint-rules/utils.js',
  'eslint.config.js',
  'github/CODEOWNERS',
  'github/pull_request_template.md',
  'github/workflows/ci.yml',
  'github/workflows/mutation.yml',
  'gitignore',
  'node-version',
  'prettierignore',
  'scripts/check-licenses.js',
  'scripts/contract-lock.ts',
  'scripts/mutation-score.js',
  'src/app.ts',
  'src/audit/audit-log.ts',
  'src/config-rules.ts',
  'src/config.ts',
  'src/crypto/seal.ts',
  'src/db/client.ts',
  'src/db/private.ts',
  'src/db/schema.ts',
  'src/db/tenant.ts',
  'src/environment.ts',
  'src/http/cookies.ts',
  'src/http/contract-compat.ts',
  'src/http/contract.ts',
  'src/http/cors.ts',
  'src/http/errors.ts',
  'src/http/gate.ts',
  'src/http/logging.ts',
  'src/http/principal.ts',
  'src/http/rate-limit.ts',
  'src/http/request-id.ts',
  'src/http/route-contract.ts',
  'src/http/security-headers.ts',
  'src/http/ssrf.ts',
  'src/routes/health.ts',
  'src/server.ts',
  'test/audit/audit-log.security.test.ts',
  'test/audit/audit-log.test.ts',
  'test/audit/fixtures.ts',
  'test/config.test.ts',
  'test/published-values.security.test.ts',
  'test/contract/compat.test.ts',
  'test/contract/contract.test.ts',
  'test/contract/deprecation.test.ts',
  'test/contract/print.ts',
  'test/crypto/seal.security.test.ts',
  'test/db/client.test.ts',
  'test/db/config.test.ts',
  'test/db/drizzle-kit.ts',
  'test/db/rls.test.ts',
  'test/db/schema-columns.test.ts',
  'test/db/schema-drift.test.ts',
  'test/db/scopes.security.test.ts',
  'test/db/tenant.test.ts',
  'test/db/test-database.ts',
  'test/errors.test.ts',
  'test/eslint-rules/no-allow-all-policy.test.ts',
  'test/eslint-rules/no-raw-card-data.test.ts',
  'test/eslint-rules/no-secret-in-prompt-or-log.test.ts',
  'test/eslint-rules/no-timing-unsafe-compare.test.ts',
  'test/eslint-rules/plugin.test.ts',
  'test/eslint-rules/require-route-authz.test.ts',
  'test/eslint-rules/rule-tester.ts',
  'test/eslint-rules/seeded.test.ts',
  'test/global-setup.ts',
  'test/health.test.ts',
  'test/http/cookies.security.test.ts',
  'test/http/cors.security.test.ts',
  'test/http/errors.security.test.ts',
  'test/http/gate.security.test.ts',
  'test/http/rate-limit.security.test.ts',
  'test/http/redaction.security.test.ts',
  'test/http/request-id.security.test.ts',
  'test/http/route-contract.security.test.ts',
  'test/http/security-headers.security.test.ts',
  'test/http/ssrf.security.test.ts',
  'test/http/test-principal.ts',
  'test/logging.test.ts',
  'test/route-schemas.ts',
  'test/service-config.security.test.ts',
  'test/setup-env.ts',
  'test/test-config.ts',
  'test/supply-chain/licenses.test.ts',
  'test/supply-chain/mutation.test.ts',
  'test/supply-chain/threat-model.test.ts',
  'test/supply-chain/workflow.test.ts',
  'stryker.config.js',
  'tsconfig.build.json',
  'tsconfig.json',
  'vitest.config.ts',
] as const;

const DOTFILES: Readonly<Record<string, string>> = { gitignore: '.gitignore', 'node-version': '.node-version', prettierignore: '.prettierignore', 'env.example': '.env.example' };

/** Where a template lands: dotfiles and the .github/ folder are stored without their dot. */
function outputPath(template: string): string {
  if (template.startsWith('github/')) return `.${template}`;
  return DOTFILES[template] ?? template;
}

const DEPENDENCIES = [
  '@electric-sql/pglite',
  '@fastify/cookie',
  '@fastify/cors',
  '@fastify/rate-limit',
  '@fastify/swagger',
  'drizzle-orm',
  'fastify',
  'ioredis',
  'pg',
  'pino',
  'zod',
] as const;
const DEV_DEPENDENCIES = [
  '@eslint/js',
  '@stryker-mutator/core',
  '@stryker-mutator/vitest-runner',
  '@types/node',
  '@types/pg',
  'drizzle-kit',
  'eslint',
  'eslint-plugin-security',
  'globals',
  'prettier',
  'tsx',
  'typescript',
  'typescript-eslint',
  'vitest',
  'yaml',
] as const;

export const app = defineGenerator({
  name: 'app',
  description: 'A new Fastify 5 service: strict TypeScript, validated config, health route, lint, format and tests.',
  options: appOptions,
  example: {},
  promptDefaults: (context) => ({ name: path.basename(context.target) }),

  normalize: (parsed, context): AppOptions => {
    const name = parsed.name ?? path.basename(context.target);
    const check = packageName.safeParse(name);
    if (!check.success) {
      throw new BulwarkError('E_SPEC_INVALID', `The target directory name ${JSON.stringify(name)} is not a valid npm package name, and no name was given.`, {
        option: 'name',
        fix: `Pass a name, for example --set name=${JSON.stringify(name.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[._-]+/, '') || 'my-service')}.`,
      });
    }
    return { name };
  },

  files: (options): FileIntent[] => [
    { kind: 'content', path: 'package.json', content: JSON.stringify(packageJson(options.name)) },
    { kind: 'content', path: '.prettierrc.json', content: JSON.stringify(PRETTIER_OPTIONS) },
    ...TEMPLATES.map((template): FileIntent => ({
      kind: 'template',
      path: outputPath(template),
      template: `app/${template}.hbs`,
      data: { name: options.name, testLogin: `${sqlName(options.name)}_test_login`, testDatabasePrefix: `${sqlName(options.name)}_test_` },
    })),
  ],
});

/** The package name as an SQL identifier, for names the service gives databases and roles in tests: `@acme/billing-api` is `billing_api`. */
export function sqlName(name: string): string {
  const plain = name.replace(/^@[^/]+\//, '').toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  return /^[a-z]/.test(plain) ? plain.slice(0, 30) : `service_${plain}`.slice(0, 30);
}

function packageJson(name: string): Record<string, unknown> {
  const pin = (names: readonly string[]) => Object.fromEntries(names.map((dep) => [dep, testedVersion(dep)]));
  return {
    name,
    version: '0.1.0',
    private: true,
    type: 'module',
    engines: { node: '>=22.12' },
    scripts: {
      dev: 'tsx watch --liftoff-only --max-semi-space-size=8 src/server.ts',
      build: 'tsc -p tsconfig.build.json',
      start: 'node dist/server.js',
      typecheck: 'tsc --noEmit',
      lint: 'eslint . && prettier --check .',
      format: 'prettier --write .',
      test: 'vitest run',
      // Nightly (.github/workflows/mutation.yml): too slow for every change.
      'test:mutation': 'stryker run && node scripts/mutation-score.js',
      'db:generate': 'drizzle-kit generate',
      'db:check': 'drizzle-kit check',
      'contract:check': 'vitest run test/contract',
      'contract:update': 'vitest run test/contract/contract.test.ts -u',
      'contract:lock': 'tsx scripts/contract-lock.ts',
    },
    dependencies: pin(DEPENDENCIES),
    devDependencies: pin(DEV_DEPENDENCIES),
  };
}
