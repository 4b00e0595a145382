import { describe, expect, it } from 'vitest';
import { applyTsEdits, type TsEdit } from '../../src/edit.js';

const APP = `import Fastify from 'fastify';
import { health } from './routes/health.js';

export async function buildApp() {
  const app = Fastify();
  await app.register(health);
  return app;
}
`;

const EDITS: TsEdit[] = [
  { op: 'ensure-import', from: './routes/orders.js', named: ['orders'] },
  { op: 'ensure-import', from: './routes/health.js', named: ['health', 'ready'] },
  { op: 'ensure-statement', inFunction: 'buildApp', statement: 'await app.register(orders);' },
];

describe('applyTsEdits', () => {
  it('adds imports and a statement before the return', async () => {
    const out = await applyTsEdits('src/app.ts', APP, EDITS);
    expect(out).toContain(`import { orders } from './routes/orders.js';`);
    expect(out).toMatch(/import \{ health, ready \} from '\.\/routes\/health\.js';/);
    expect(out.indexOf('await app.register(orders);')).toBeGreaterThan(out.indexOf('await app.register(health);'));
    expect(out.indexOf('await app.register(orders);')).toBeLessThan(out.indexOf('return app;'));
  });

  it('inserts right before the return even when standalone comments come first', async () => {
    const source = 'export function build() {\n  // one\n  setup();\n  // two\n  later();\n  return 1;\n}\n';
    const out = await applyTsEdits('a.ts', source, [{ op: 'ensure-statement', inFunction: 'build', statement: 'added();' }]);
    expect(out).toMatch(/later\(\);\n\s*added\(\);\n\s*return 1;/);
  });

  it('inserts right after an anchor statement, before anything registers a route, and only once', async () => {
    const source = "export function build() {\n  app.addHook('onRoute', check);\n  app.get('/x', h);\n  return app;\n}\n";
    const edits: TsEdit[] = [
      { op: 'ensure-statement', inFunction: 'build', statement: 'guard(app);', after: "app.addHook('onRoute', check);" },
    ];
    const out = await applyTsEdits('a.ts', source, edits);
    expect(out).toMatch(/check\);\n\s*guard\(app\);\n\s*app\.get/);
    expect(await applyTsEdits('a.ts', out, edits)).toBe(out);
  });

  it('refuses with E_EDIT_FAILED when the anchor statement is gone', async () => {
    const source = 'export function build() {\n  return app;\n}\n';
    await expect(
      applyTsEdits('a.ts', source, [{ op: 'ensure-statement', inFunction: 'build', statement: 'guard(app);', after: 'missing();' }]),
    ).rejects.toMatchObject({ code: 'E_EDIT_FAILED' });
  });

  it('is idempotent: a second run adds nothing', async () => {
    const once = await applyTsEdits('src/app.ts', APP, EDITS);
    const twice = await applyTsEdits('src/app.ts', once, EDITS);
    expect(twice).toBe(once);
  });

  it('recognises a statement already there in another formatting', async () => {
    const source = APP.replace('await app.register(health);', 'await app.register(health);\n  await app.register( orders )');
    const out = await applyTsEdits('src/app.ts', source, [EDITS[2] as TsEdit]);
    expect(out).toBe(source);
  });

  it('works on an arrow function', async () => {
    const source = 'export const build = async () => {\n  const app = 1;\n  return app;\n};\n';
    const out = await applyTsEdits('src/x.ts', source, [{ op: 'ensure-statement', inFunction: 'build', statement: 'use(app);' }]);
    expect(out).toMatch(/use\(app\);\s*return app;/);
  });

  it('refuses a file with a syntax error with E_EDIT_FAILED, not a template error', async () => {
    await expect(applyTsEdits('src/app.ts', 'export function buildApp( {\n', EDITS)).rejects.toMatchObject({
      code: 'E_EDIT_FAILED',
      details: { path: 'src/app.ts' },
    });
  });

  it('refuses with E_EDIT_FAILED when the function is missing, naming the file', async () => {
    await expect(
      applyTsEdits('src/app.ts', 'export const x = 1;\n', [{ op: 'ensure-statement', inFunction: 'buildApp', statement: 'f();' }]),
    ).rejects.toMatchObject({ code: 'E_EDIT_FAILED', details: { path: 'src/app.ts' } });
  });
});

describe('ensure-array-element', () => {
  const REGISTRY = "import { app } from './app.js';\n\nconst ALL = [app] as const;\n";
  const edit: TsEdit = { op: 'ensure-array-element', variable: 'ALL', element: 'webhooks' };

  it('appends once, and a second run adds nothing', async () => {
    const once = await applyTsEdits('src/registry.ts', REGISTRY, [edit]);
    expect(once).toContain('const ALL = [app, webhooks] as const;');
    expect(await applyTsEdits('src/registry.ts', once, [edit])).toBe(once);
  });

  it('recognises an element already there after prettier spread it over lines with trailing commas', async () => {
    const element: TsEdit = { op: 'ensure-array-element', variable: 'SETS', element: "{ folder: 'rbac', table: 'm_rbac' }" };
    const formatted = "const SETS = [\n  { folder: 'app', table: 'm' },\n  {\n    folder: 'rbac',\n    table: 'm_rbac',\n  },\n];\n";
    expect(await applyTsEdits('src/db/client.ts', formatted, [element])).toBe(formatted);
  });

  it('refuses with E_EDIT_FAILED when the array is missing', async () => {
    await expect(applyTsEdits('src/registry.ts', 'export const ALL = new Set();\n', [edit])).rejects.toMatchObject({ code: 'E_EDIT_FAILED' });
  });
});

describe('ensure-property', () => {
  const ENVIRONMENT = "const MODULES = {\n  authz: loadAuthzConfig,\n};\n";
  const edit: TsEdit = { op: 'ensure-property', variable: 'MODULES', name: 'auth', value: 'loadAuthConfig' };

  it('adds the property once, and a second run adds nothing', async () => {
    const once = await applyTsEdits('src/environment.ts', ENVIRONMENT, [edit]);
    expect(once).toMatch(/authz: loadAuthzConfig,\n\s*auth: loadAuthConfig,?\n\};/);
    expect(await applyTsEdits('src/environment.ts', once, [edit])).toBe(once);
  });

  it('adds to an empty object, and keeps a property the user changed', async () => {
    const empty = await applyTsEdits('src/environment.ts', 'const MODULES = {};\n', [edit]);
    expect(empty).toMatch(/const MODULES = \{\s*auth: loadAuthConfig,?\s*\};/);
    const changed = "const MODULES = { auth: myAuthConfig };\n";
    expect(await applyTsEdits('src/environment.ts', changed, [edit])).toBe(changed);
  });

  it('refuses with E_EDIT_FAILED when the object is missing', async () => {
    await expect(applyTsEdits('src/environment.ts', 'export const MODULES = [];\n', [edit])).rejects.toMatchObject({ code: 'E_EDIT_FAILED' });
  });
});
