import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { OWN_PACKAGE } from '../../src/package-root.js';
import { memoryWorkspace, plan } from '../../src/index.js';
import { tempDir } from '../helpers/fs.js';

interface PackageJson {
  name: string;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

async function planApp(options: Record<string, unknown>, dirName = 'billing-api') {
  const target = path.join(await tempDir(), dirName);
  // In memory: the target's folder is only a name here; nothing is read from or written to the disk.
  const p = await plan('app', options, { cwd: target, workspace: memoryWorkspace({}) });
  const file = (name: string): string => {
    const found = p.files.find((f) => f.path === name);
    if (found === undefined) throw new Error(`${name} not planned`);
    return found.content;
  };
  return { p, target, file };
}

describe('app generator (in memory)', () => {
  it('writes the files of a minimal service', async () => {
    const { p } = await planApp({});
    expect(p.files.map((f) => f.path)).toEqual(
      expect.arrayContaining([
        'package.json',
        'tsconfig.json',
        'eslint.config.js',
        '.prettierrc.json',
        'vitest.config.ts',
        'src/app.ts',
        'src/server.ts',
        'src/config.ts',
        // One config layer and one sealing helper, used by every module.
        'src/config-rules.ts',
        'src/environment.ts',
        'src/crypto/seal.ts',
        'test/published-values.security.test.ts',
        'src/routes/health.ts',
        // The core every module plugs into: one route gate, one error reply.
        'src/http/gate.ts',
        'src/http/errors.ts',
        'test/http/gate.security.test.ts',
        '.gitignore',
        '.env.example',
        'README.md',
      ]),
    );
    expect(p.files.some((f) => f.path.startsWith('test/') && f.path.endsWith('.test.ts'))).toBe(true);
    expect(p.files.every((f) => f.status === 'created')).toBe(true);
  });

  it('writes the API contract module and its checks, but neither openapi.json nor contract.lock', async () => {
    const { p, file } = await planApp({});
    const paths = p.files.map((f) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining(['src/http/contract.ts', 'src/http/contract-compat.ts', 'test/contract/contract.test.ts', 'test/contract/compat.test.ts', 'scripts/contract-lock.ts']),
    );
    // The service records both from its own routes on its first test run: bulwark cannot run them.
    expect(paths).not.toContain('openapi.json');
    expect(paths).not.toContain('contract.lock');
    const pkg = JSON.parse(file('package.json')) as PackageJson;
    expect(pkg.scripts).toMatchObject({
      'contract:check': 'vitest run test/contract',
      'contract:update': 'vitest run test/contract/contract.test.ts -u',
      'contract:lock': 'tsx scripts/contract-lock.ts',
    });
    expect(Object.keys(pkg.dependencies)).toContain('@fastify/swagger');
    // Written by the contract test as JSON.stringify prints it, and compared byte for byte.
    expect(file('.prettierignore').split('\n')).toEqual(expect.arrayContaining(['openapi.json', 'contract.lock']));
    expect(file('.github/workflows/ci.yml')).toContain('npm run contract:check');
    // Registered after the gate and before any route, so that it sees every route.
    const app = file('src/app.ts');
    expect(app.indexOf('await installContract(app')).toBeGreaterThan(app.indexOf('installGate(app, rateLimits);'));
    expect(app.indexOf('await installContract(app')).toBeLessThan(app.indexOf('app.register(healthRoutes)'));
  });

  it('names the package after the target directory by default', async () => {
    const { file } = await planApp({});
    expect((JSON.parse(file('package.json')) as PackageJson).name).toBe('billing-api');
  });

  it('pins exactly the versions bulwark itself tests with, and never depends on bulwark', async () => {
    const { p, file } = await planApp({ name: 'svc' });
    const pkg = JSON.parse(file('package.json')) as PackageJson;
    const own = { ...OWN_PACKAGE.dependencies, ...OWN_PACKAGE.devDependencies };
    for (const [dep, version] of Object.entries({ ...pkg.dependencies, ...pkg.devDependencies })) {
      expect(version, dep).toBe(own[dep]);
    }
    expect(Object.keys(pkg.scripts)).toEqual(expect.arrayContaining(['dev', 'build', 'start', 'typecheck', 'lint', 'test']));
    for (const f of p.files) expect(f.content, f.path).not.toMatch(/from ['"]bulwark|"bulwark"\s*:/);
  });

  it('is deterministic and free of machine paths', async () => {
    const a = await planApp({ name: 'svc' });
    const b = await planApp({ name: 'svc' });
    expect(a.p.files.map((f) => [f.path, f.content])).toEqual(b.p.files.map((f) => [f.path, f.content]));
    for (const f of a.p.files) {
      expect(f.content, f.path).not.toContain(a.target);
      expect(f.content, f.path).not.toContain(process.cwd());
      // no generation-time timestamp (fixed example dates in docs are fine)
      expect(f.content, f.path).not.toContain(new Date().toISOString().slice(0, 10));
    }
  });

  it('carries a scoped name into code as a string literal and into Markdown escaped', async () => {
    const { file } = await planApp({ name: '@acme/billing-api' });
    expect((JSON.parse(file('package.json')) as PackageJson).name).toBe('@acme/billing-api');
    expect(file('src/app.ts')).toContain("'@acme/billing-api'");
    expect(file('README.md')).toContain('@acme/billing-api');
  });

  it.each([
    ['code injection', 'x"; process.exit(1); "'],
    ['path traversal', '../escape'],
    ['upper case', 'BillingApi'],
    ['a newline', 'svc\n# owned'],
  ])('refuses a name with %s (E_SPEC_INVALID, option "name")', async (_attack, name) => {
    await expect(planApp({ name })).rejects.toMatchObject({ code: 'E_SPEC_INVALID', details: { option: 'name' } });
  });
});
