import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { apply } from '../../src/apply.js';
import { PACKAGE_ROOT } from '../../src/package-root.js';
import { plan } from '../../src/index.js';
import { tempDir } from '../helpers/fs.js';

/** A target holding a copy of bulwark's registry, the one file the generator edits. */
async function repoCopy(): Promise<string> {
  const dir = await tempDir();
  await mkdir(path.join(dir, 'src'));
  await copyFile(path.join(PACKAGE_ROOT, 'src', 'registry.ts'), path.join(dir, 'src', 'registry.ts'));
  return dir;
}

describe('generator generator (in memory)', () => {
  it('writes the four parts one name joins, and registers the generator', async () => {
    const target = await repoCopy();
    const p = await plan('generator', { name: 'audit-log' }, { cwd: target });
    expect(p.files.map((f) => [f.path, f.status])).toEqual([
      ['generators/audit-log/index.ts', 'created'],
      ['generators/audit-log/schema.ts', 'created'],
      ['templates/audit-log/src/greeting.ts.hbs', 'created'],
      ['test/generators/audit-log.test.ts', 'created'],
      ['docs/audit-log.md', 'created'],
      ['src/registry.ts', 'updated'],
    ]);
    const registry = p.files.find((f) => f.path === 'src/registry.ts')?.content ?? '';
    expect(registry).toContain("import { auditLog } from '../generators/audit-log/index.js';");
    expect(registry).toMatch(/const ALL: readonly AnyGenerator\[\] = \[app, generator(, \w+)*, auditLog\];/);
    expect(p.files.find((f) => f.path === 'generators/audit-log/index.ts')?.content).toContain('export const auditLog = defineGenerator({');
    // the new generator's own template keeps its placeholder, escaped for TypeScript
    expect(p.files.find((f) => f.path === 'templates/audit-log/src/greeting.ts.hbs')?.content).toContain('export const greeting = {{str greeting}};');
  });

  it('is idempotent: after applying, the same run changes nothing, the registry included', async () => {
    const target = await repoCopy();
    await apply(await plan('generator', { name: 'audit-log' }, { cwd: target }));
    const again = await plan('generator', { name: 'audit-log' }, { cwd: target });
    expect(again.files.filter((f) => f.status !== 'unchanged')).toEqual([]);
    expect((await readFile(path.join(target, 'src/registry.ts'), 'utf8')).match(/auditLog/g)).toHaveLength(2);
  });

  it.each(['AuditLog', 'audit_log', '../x', 'x-', '1st', ''])('refuses the name %j', async (name) => {
    await expect(plan('generator', { name }, { cwd: await repoCopy() })).rejects.toMatchObject({ code: 'E_SPEC_INVALID', details: { option: 'name' } });
  });

  it.each(['eval', 'arguments', 'yield', 'define-generator'])('refuses the name %s, whose identifier cannot be declared, naming the option', async (name) => {
    const error = await plan('generator', { name }, { cwd: await repoCopy() }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'E_SPEC_INVALID', details: { option: 'name' } });
  });

  it('refuses to run where there is no registry to edit', async () => {
    await expect(plan('generator', { name: 'audit-log' }, { cwd: await tempDir() })).rejects.toMatchObject({ code: 'E_EDIT_FAILED' });
  });
});

describe('generator generator on a registry written in another style', () => {
  it('adds only the import and the element, and keeps the rest of the user\'s file as it was', async () => {
    const target = await repoCopy();
    const file = path.join(target, 'src', 'registry.ts');
    const original = (await readFile(file, 'utf8')).replaceAll("'", '"').replaceAll('(g) =>', 'g =>');
    await writeFile(file, original);
    const p = await plan('generator', { name: 'audit-log' }, { cwd: target });
    const diff = p.files.find((f) => f.path === 'src/registry.ts')?.diff ?? '';
    const changed = diff.split('\n').filter((l) => /^[+-][^+-]/.test(l));
    expect(changed).toEqual([
      expect.stringMatching(/^\+import \{ auditLog \} from '\.\.\/generators\/audit-log\/index\.js';$/),
      expect.stringMatching(/^-const ALL/),
      expect.stringMatching(/^\+const ALL: readonly AnyGenerator\[\] = \[app, generator(, \w+)*, auditLog\];$/),
    ]);
  });
});
