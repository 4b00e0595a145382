import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { apply } from '../../src/apply.js';
import { plan } from '../../src/index.js';
import { PACKAGE_ROOT } from '../../src/package-root.js';
import { targetStyle } from '../../src/prettier-config.js';
import { prettierOptionsFor } from '../../src/prettier-options.js';
import { snapshot, tempDir } from '../helpers/fs.js';
import { fixtureGenerator, memoryService } from '../helpers/generators.js';

const run = promisify(execFile);
const PRETTIER = path.join(PACKAGE_ROOT, 'node_modules', 'prettier', 'bin', 'prettier.cjs');

/** The target's own `prettier --check` on the files given, as its owner would run it (its config, its .editorconfig). */
async function prettierCheck(target: string, files: readonly string[]): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [PRETTIER, '--check', ...files], { cwd: target });
    return { ok: true, output: stdout + stderr };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

async function targetWith(files: Readonly<Record<string, string>>): Promise<string> {
  const target = path.join(await tempDir(), 'svc');
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(target, name)), { recursive: true });
    await writeFile(path.join(target, name), content);
  }
  return target;
}

// Written in bulwark's style (single quotes, semicolons) unless the target says otherwise.
const FILES = { files: ['src/deep/b.ts', 'notes.md'], title: "it's" };

describe("the target's own prettier configuration", () => {
  it('formats with a .prettierrc that differs from bulwark\'s style, and the target\'s prettier --check passes', async () => {
    const target = await targetWith({ '.prettierrc': '{ "singleQuote": false, "semi": false }\n' });
    const p = await plan(fixtureGenerator, FILES, { cwd: target });
    expect(p.files.find((f) => f.path === 'src/deep/b.ts')?.content).toBe('export const title = "it\'s"\n');
    expect(p.warnings).toStrictEqual([]);
    await apply(p);
    expect(await prettierCheck(target, ['src/deep/b.ts', 'notes.md'])).toMatchObject({ ok: true });
  });

  it('without a configuration, formats in bulwark\'s style (the one `bulwark new` writes to .prettierrc.json)', async () => {
    const target = await targetWith({});
    const p = await plan(fixtureGenerator, FILES, { cwd: target });
    expect(p.files.find((f) => f.path === 'src/deep/b.ts')?.content).toBe('export const title = "it\'s";\n');
  });

  it('follows package.json#prettier, overrides for the file, and an .editorconfig under the configuration', async () => {
    const target = await targetWith({
      'package.json': JSON.stringify({ name: 'x', prettier: { semi: false, overrides: [{ files: 'src/**/*.ts', options: { singleQuote: true } }] } }),
      '.editorconfig': 'root = true\n[*]\nindent_style = tab\n',
    });
    const p = await plan(fixtureGenerator, { files: ['src/deep/b.ts', 'other.ts'], title: 'a' }, { cwd: target });
    expect(p.files.find((f) => f.path === 'src/deep/b.ts')?.content).toBe("export const title = 'a'\n");
    expect(p.files.find((f) => f.path === 'other.ts')?.content).toBe('export const title = "a"\n');
    await apply(p);
    expect(await prettierCheck(target, ['src/deep/b.ts', 'other.ts'])).toMatchObject({ ok: true });
  });

  it('follows a configuration in a folder above the target, as in a monorepo, as prettier does', async () => {
    const root = await tempDir();
    await writeFile(path.join(root, '.prettierrc.yaml'), 'semi: false\nsingleQuote: true\n');
    const target = path.join(root, 'packages', 'svc');
    const p = await plan(fixtureGenerator, FILES, { cwd: target });
    expect(p.files.find((f) => f.path === 'src/deep/b.ts')?.content).toBe('export const title = "it\'s"\n');
  });

  it('never loads a plugin the configuration names: plugins are dropped with W_PRETTIER_PLUGINS_IGNORED, the other options apply', async () => {
    const target = await targetWith({
      '.prettierrc.json': JSON.stringify({ semi: false, plugins: ['./evil-plugin.mjs'] }),
      'evil-plugin.mjs': "import { writeFileSync } from 'node:fs';\nwriteFileSync(new URL('./PWNED', import.meta.url), 'x');\nexport const parsers = {};\n",
    });
    const p = await plan(fixtureGenerator, FILES, { cwd: target });
    expect(p.files.find((f) => f.path === 'src/deep/b.ts')?.content).toBe('export const title = "it\'s"\n');
    expect(p.warnings).toStrictEqual([expect.objectContaining({ code: 'W_PRETTIER_PLUGINS_IGNORED', path: '.prettierrc.json' })]);
    expect(existsSync(path.join(target, 'PWNED'))).toBe(false);
  });

  it.each([
    ['prettier.config.mjs', 'prettier.config.mjs'],
    ['.prettierrc.cjs', '.prettierrc.cjs'],
    ['a shared configuration package in package.json', 'package.json'],
    ['a shared configuration package in .prettierrc', '.prettierrc'],
  ])('never runs %s: ignored with W_PRETTIER_CONFIG_IGNORED, bulwark\'s style used', async (_what, file) => {
    const marker = "import { writeFileSync } from 'node:fs';\nwriteFileSync(new URL('./PWNED', import.meta.url), 'x');\nexport default { semi: false };\n";
    const contents: Record<string, Record<string, string>> = {
      'prettier.config.mjs': { 'prettier.config.mjs': marker },
      '.prettierrc.cjs': { '.prettierrc.cjs': "require('node:fs').writeFileSync(__dirname + '/PWNED', 'x');\nmodule.exports = { semi: false };\n" },
      'package.json': { 'package.json': JSON.stringify({ name: 'x', prettier: './shared.mjs' }), 'shared.mjs': marker },
      '.prettierrc': { '.prettierrc': '"./shared.mjs"\n', 'shared.mjs': marker },
    };
    const target = await targetWith(contents[file] ?? {});
    const p = await plan(fixtureGenerator, FILES, { cwd: target });
    expect(p.files.find((f) => f.path === 'src/deep/b.ts')?.content).toBe('export const title = "it\'s";\n');
    expect(p.warnings).toStrictEqual([expect.objectContaining({ code: 'W_PRETTIER_CONFIG_IGNORED', path: file })]);
    expect(existsSync(path.join(target, 'PWNED'))).toBe(false);
  });

  it('refuses a configuration that does not parse with E_TARGET_INVALID, naming it, and writes nothing', async () => {
    const target = await targetWith({ '.prettierrc.json': '{ "semi": false,' });
    const before = await snapshot(target);
    await expect(plan(fixtureGenerator, FILES, { cwd: target })).rejects.toMatchObject({ code: 'E_TARGET_INVALID', details: { path: '.prettierrc.json' } });
    expect(await snapshot(target)).toStrictEqual(before);
  });

  it("keeps the fast path (bulwark's style, the build's format index) only for no configuration or exactly bulwark's", async () => {
    const planned = new Map([['.prettierrc.json', '{"singleQuote":true,"trailingComma":"all","printWidth":100}']]);
    expect((await targetStyle(await targetWith({}), ['src/a.ts'], planned)).options).toBeUndefined();
    expect((await targetStyle(await targetWith({}), ['src/a.ts'], new Map())).options).toBeUndefined();
    const differs = await targetStyle(await targetWith({ '.prettierrc.json': '{"singleQuote":true,"trailingComma":"all","printWidth":80}' }), ['src/a.ts'], new Map());
    expect(differs.options).toStrictEqual([expect.objectContaining({ printWidth: 80 })]);
    const withEditorconfig = await targetStyle(await targetWith({ '.editorconfig': '[*]\nindent_size = 4\n' }), ['src/a.ts'], planned);
    expect(withEditorconfig.options).toStrictEqual([expect.objectContaining({ tabWidth: 4, singleQuote: true })]);
  });
});

describe('a module run in a service whose owner chose another prettier style', () => {
  it("rbac's files, new and edited, pass the service's own prettier --check", { timeout: 60_000 }, async () => {
    const prettier = await import('prettier');
    const style = { singleQuote: false, semi: false, printWidth: 90 };
    const target = path.join(await tempDir(), 'svc');
    const svc = await memoryService();
    // The files of the service rbac adds to, reformatted in its owner's style, as they would after changing it.
    const probe = await plan('rbac', {}, svc);
    const edited = new Set(probe.files.filter((f) => f.status === 'updated').map((f) => f.path));
    expect(edited.size).toBeGreaterThan(4);
    for (const [file, content] of svc.entries()) {
      await mkdir(path.dirname(path.join(target, file)), { recursive: true });
      await writeFile(path.join(target, file), edited.has(file) && /\.(ts|json|md)$/.test(file) ? await prettier.format(content, prettierOptionsFor(file, style)) : content);
    }
    await writeFile(path.join(target, '.prettierrc.json'), JSON.stringify(style));
    const p = await plan('rbac', {}, { cwd: target });
    const written = p.files.filter((f) => f.status !== 'unchanged').map((f) => f.path);
    // New files, and files of the service it adds to.
    expect(written).toEqual(expect.arrayContaining(['src/authz/guard.ts', 'src/app.ts', 'src/environment.ts', 'package.json', 'THREAT_MODEL.md']));
    expect(p.files.find((f) => f.path === 'src/authz/guard.ts')?.content).toContain('throw new HttpError(403, "Forbidden")\n');
    await apply(p, {});
    const check = await prettierCheck(target, written.filter((f) => /\.(ts|json|md|ya?ml)$/.test(f)));
    expect(check.output).toContain('All matched files use Prettier code style!');
  });
});
