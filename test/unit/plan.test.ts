import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineGenerator } from '../../src/generator.js';
import { apply } from '../../src/apply.js';
import { MANIFEST_PATH, sha256 } from '../../src/manifest.js';
import { plan } from '../../src/index.js';
import { snapshot, tempDir } from '../helpers/fs.js';
import { fixtureGenerator } from '../helpers/generators.js';

describe('plan', () => {
  it('computes every file and its diff without touching the disk', async () => {
    const target = path.join(await tempDir(), 'new-service');
    const p = await plan(fixtureGenerator, {}, { cwd: target });
    expect(p.files.map((f) => [f.path, f.status])).toEqual([
      ['a.txt', 'created'],
      ['src/deep/b.ts', 'created'],
    ]);
    expect(p.files[1]?.content).toBe("export const title = 'hello';\n"); // formatted by prettier
    expect(p.files[0]?.diff).toContain('+hello');
    expect(p.files[0]?.sha256).toBe(sha256('hello\n'));
    expect(await snapshot(target)).toEqual({ '.': '<missing>' });
  });

  it('is deterministic: same options give byte-identical files and manifest in any directory', async () => {
    const [one, two] = await Promise.all([tempDir(), tempDir()]);
    const a = await plan(fixtureGenerator, { title: 'x' }, { cwd: one });
    const b = await plan(fixtureGenerator, { title: 'x' }, { cwd: two });
    expect(a.files.map((f) => f.content)).toEqual(b.files.map((f) => f.content));
    expect(a.manifest.after).toBe(b.manifest.after);
    expect(a.manifest.after).not.toContain(one);
  });

  it('refuses unsafe paths before anything is written', async () => {
    const target = await tempDir();
    for (const bad of ['../escape.txt', '/abs.txt', 'a\u0000.txt', 'src/CON', '.bulwark/manifest.json']) {
      await expect(plan(fixtureGenerator, { files: [bad] }, { cwd: target })).rejects.toMatchObject({ code: 'E_PATH_UNSAFE' });
    }
    await expect(plan(fixtureGenerator, { files: ['A.txt', 'a.txt'] }, { cwd: target })).rejects.toMatchObject({ code: 'E_PATH_UNSAFE' });
    expect(await snapshot(target)).toEqual({});
  });

  it('refuses a target that is a file', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'file'), 'x');
    await expect(plan(fixtureGenerator, {}, { cwd: path.join(dir, 'file') })).rejects.toMatchObject({ code: 'E_TARGET_INVALID' });
  });
});

describe('manifest and re-runs', () => {
  it('records what it wrote; a re-run with the same options changes nothing and writes nothing', async () => {
    const target = await tempDir();
    await apply(await plan(fixtureGenerator, {}, { cwd: target }));
    const manifest = JSON.parse(await readFile(path.join(target, MANIFEST_PATH), 'utf8')) as { files: Record<string, { sha256: string }> };
    expect(manifest.files['a.txt']?.sha256).toBe(sha256('hello\n'));
    const before = await snapshot(target);

    const again = await plan(fixtureGenerator, {}, { cwd: target });
    expect(again.files.every((f) => f.status === 'unchanged')).toBe(true);
    expect(again.manifest.after).toBe(again.manifest.before);
    const result = await apply(again);
    expect(result.manifestWritten).toBe(false);
    expect(await snapshot(target)).toEqual(before);
  });

  it('updates a file bulwark wrote and nobody changed', async () => {
    const target = await tempDir();
    await apply(await plan(fixtureGenerator, {}, { cwd: target }));
    const p = await plan(fixtureGenerator, { title: 'bye' }, { cwd: target });
    expect(p.files.map((f) => f.status)).toEqual(['updated', 'updated']);
    await apply(p);
    expect(await readFile(path.join(target, 'a.txt'), 'utf8')).toBe('bye\n');
  });

  it('never overwrites a file the user edited: conflict, and apply refuses with nothing written', async () => {
    const target = await tempDir();
    await apply(await plan(fixtureGenerator, {}, { cwd: target }));
    await writeFile(path.join(target, 'a.txt'), 'my own words\n');
    const before = await snapshot(target);
    const p = await plan(fixtureGenerator, { title: 'bye' }, { cwd: target });
    expect(p.files.find((f) => f.path === 'a.txt')).toMatchObject({ status: 'conflict', reason: 'was changed since bulwark wrote it' });
    await expect(apply(p)).rejects.toMatchObject({ code: 'E_TARGET_CONFLICT' });
    expect(await snapshot(target)).toEqual(before);
  });

  it('treats a file bulwark did not write as a conflict', async () => {
    const target = await tempDir();
    await writeFile(path.join(target, 'a.txt'), 'pre-existing\n');
    const p = await plan(fixtureGenerator, {}, { cwd: target });
    expect(p.files.find((f) => f.path === 'a.txt')).toMatchObject({ status: 'conflict', reason: 'exists and was not written by bulwark' });
  });

  it('with force: writes bulwark\'s version and keeps the user\'s beside it', async () => {
    const target = await tempDir();
    await apply(await plan(fixtureGenerator, {}, { cwd: target }));
    await writeFile(path.join(target, 'a.txt'), 'my own words\n');
    await writeFile(path.join(target, 'a.txt.orig'), 'an older backup\n');
    const p = await plan(fixtureGenerator, { title: 'bye' }, { cwd: target, force: true });
    expect(p.files.find((f) => f.path === 'a.txt')).toMatchObject({ status: 'updated', keptAs: 'a.txt.orig.1' });
    await apply(p);
    expect(await readFile(path.join(target, 'a.txt'), 'utf8')).toBe('bye\n');
    expect(await readFile(path.join(target, 'a.txt.orig.1'), 'utf8')).toBe('my own words\n');
    expect(await readFile(path.join(target, 'a.txt.orig'), 'utf8')).toBe('an older backup\n');
  });

  it('refuses a damaged manifest rather than guessing', async () => {
    const target = await tempDir();
    await mkdir(path.join(target, '.bulwark'));
    await writeFile(path.join(target, MANIFEST_PATH), '{"files": 1}');
    await expect(plan(fixtureGenerator, {}, { cwd: target })).rejects.toMatchObject({ code: 'E_TARGET_INVALID' });
  });
});

describe('formatting', () => {
  it('reports a file that does not parse after rendering as E_TEMPLATE_INVALID, naming it', async () => {
    const { defineGenerator } = await import('../../src/generator.js');
    const { z } = await import('zod');
    const broken = defineGenerator({
      name: 'broken',
      description: 'writes invalid TypeScript',
      options: z.strictObject({}),
      example: {},
      normalize: (o) => o,
      files: () => [{ kind: 'content', path: 'src/x.ts', content: 'export const = ;' }],
    });
    await expect(plan(broken, {}, { cwd: await tempDir() })).rejects.toMatchObject({ code: 'E_TEMPLATE_INVALID', details: { path: 'src/x.ts' } });
  });
});

/** A module that adds a block to a file another generator wrote. */
const moduleGenerator = defineGenerator({
  name: 'module',
  description: 'Adds a block to a.txt.',
  options: z.strictObject({ line: z.string().default('module line').describe('The block.') }),
  example: {},
  normalize: (parsed) => parsed,
  files: (options) => [{ kind: 'block', path: 'a.txt', id: 'module', comment: 'hash', content: options.line }],
});

describe('files shared between a generator and a module', () => {
  it('adds the block without a conflict, and re-running the module changes nothing', async () => {
    const target = await tempDir();
    await apply(await plan(fixtureGenerator, { files: ['a.txt'] }, { cwd: target }));
    const added = await plan(moduleGenerator, {}, { cwd: target });
    expect(added.files.find((f) => f.path === 'a.txt')?.status).toBe('updated');
    await apply(added);
    expect(await readFile(path.join(target, 'a.txt'), 'utf8')).toBe('hello\n\n# bulwark:begin module\nmodule line\n# bulwark:end module\n');
    const again = await plan(moduleGenerator, {}, { cwd: target });
    expect(again.files.every((f) => f.status === 'unchanged')).toBe(true);
  });

  it('reports a conflict, naming the module, when the first generator would rewrite the file and drop the block', async () => {
    const target = await tempDir();
    await apply(await plan(fixtureGenerator, { files: ['a.txt'] }, { cwd: target }));
    await apply(await plan(moduleGenerator, {}, { cwd: target }));
    const rerun = await plan(fixtureGenerator, { files: ['a.txt'], title: 'changed' }, { cwd: target });
    const file = rerun.files.find((f) => f.path === 'a.txt');
    expect(file?.status).toBe('conflict');
    expect(file?.reason).toContain('module generator');
  });
});

/** Appends a long element to `LIST` in list.ts. */
const listEditor = defineGenerator({
  name: 'list-editor',
  description: 'Edits list.ts.',
  options: z.strictObject({}),
  example: {},
  normalize: (parsed) => parsed,
  files: () => [
    {
      kind: 'edit',
      path: 'list.ts',
      edits: [{ op: 'ensure-array-element', variable: 'LIST', element: "{ folder: 'a-rather-long-folder-name-for-this-feature-module', table: '__records_of_a_long_module_name' }" }],
    },
  ],
});

describe('editing a file the user owns', () => {
  it('keeps a prettier-formatted file formatted after the edit', async () => {
    const target = await tempDir();
    await writeFile(path.join(target, 'list.ts'), "export const LIST: readonly object[] = [{ folder: 'x', table: 'y' }];\n");
    const p = await plan(listEditor, {}, { cwd: target });
    const content = p.files.find((f) => f.path === 'list.ts')?.content ?? '';
    expect(content).toContain("  {\n    folder: 'a-rather-long-folder-name-for-this-feature-module',\n    table: '__records_of_a_long_module_name',\n  },\n");
  });

  it("keeps a file in the user's own style in that style, changing only what the edit adds", async () => {
    const target = await tempDir();
    const mine = 'export const LIST: readonly object[] = [{ folder: "x", table: "y" }]\n';
    await writeFile(path.join(target, 'list.ts'), mine);
    const p = await plan(listEditor, {}, { cwd: target });
    const content = p.files.find((f) => f.path === 'list.ts')?.content ?? '';
    expect(content).toContain('{ folder: "x", table: "y" }');
    expect(content).not.toMatch(/;\n$/);
  });
});
