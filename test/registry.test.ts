import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../src/package-root.js';
import { allErrorCodes, ERROR_CODES } from '../src/errors.js';
import { GENERATORS } from '../src/registry.js';
import { targetContext } from '../src/workspace.js';

/** Every template file under a directory, relative to templates/. */
function templatesUnder(dir: string): string[] {
  const root = path.join(PACKAGE_ROOT, 'templates');
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const full = path.join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(path.relative(root, full).split(path.sep).join('/'));
    }
  };
  walk(path.join(root, dir));
  return out.sort();
}

// One kebab name joins a generator's folder, templates, test, docs and registry key.
describe.each(Object.values(GENERATORS))('generator $name is complete', (generator) => {
  const name = generator.name;

  it('has a kebab name', () => {
    expect(name).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
  });

  it.each([`generators/${name}/index.ts`, `templates/${name}`, `test/generators/${name}.test.ts`, `docs/${name}.md`])('has %s', (part) => {
    expect(existsSync(path.join(PACKAGE_ROOT, part)), `${part} is missing`).toBe(true);
  });

  it('uses every one of its templates, and only its own', () => {
    const context = targetContext(path.join(PACKAGE_ROOT, '.meta-test', 'meta-service'));
    const options: unknown = generator.normalize(generator.options.parse(generator.example), context);
    const used = generator
      .files(options, context)
      .flatMap((intent) => (intent.kind === 'template' ? [intent.template] : []))
      .sort();
    expect(used.every((t) => t.startsWith(`${name}/`))).toBe(true);
    expect(templatesUnder(name)).toEqual(used);
  });

  it('documents every option', () => {
    const doc = readFileSync(path.join(PACKAGE_ROOT, 'docs', `${name}.md`), 'utf8');
    for (const option of Object.keys(generator.options.shape)) expect(doc, `docs/${name}.md lacks "${option}"`).toContain(`\`${option}\``);
  });
});

// The reverse: every part that looks like a generator's belongs to a registered one.
describe('nothing unregistered', () => {
  const registered = new Set(Object.keys(GENERATORS));
  // The engine's own pages; every other page in docs/ is a generator's.
  const ENGINE_DOCS = new Set(['cli.md', 'errors.md', 'templates.md']);
  const entries = (dir: string) => readdirSync(path.join(PACKAGE_ROOT, dir), { withFileTypes: true });

  it.each(['generators', 'templates'])('every folder in %s/ is a registered generator', (dir) => {
    const folders = entries(dir).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(folders.filter((name) => !registered.has(name)), `folders in ${dir}/ with no generator in src/registry.ts`).toStrictEqual([]);
  });

  it('every page in docs/ is a registered generator\'s, or the engine\'s', () => {
    const pages = entries('docs').map((e) => e.name);
    expect(pages.filter((name) => !ENGINE_DOCS.has(name) && !registered.has(name.replace(/\.md$/, ''))), 'pages in docs/ for no registered generator').toStrictEqual([]);
    for (const page of ENGINE_DOCS) expect(pages).toContain(page);
  });

  it('every test in test/generators/ is a registered generator\'s', () => {
    const tests = entries('test/generators').map((e) => e.name);
    expect(tests.filter((name) => !registered.has(name.replace(/\.test\.ts$/, ''))), 'tests in test/generators/ for no registered generator').toStrictEqual([]);
  });
});

/** Every file under a folder of the repository, relative to it. */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const full = path.join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(full);
    }
  };
  walk(path.join(PACKAGE_ROOT, dir));
  return out;
}

/** The error codes a source file names as string literals (or, for a generator, through its own defined codes). */
function codesNamedIn(files: readonly string[]): Map<string, Set<string>> {
  const named = new Map<string, Set<string>>();
  for (const file of files.filter((f) => f.endsWith('.ts'))) {
    for (const [, code] of readFileSync(file, 'utf8').matchAll(/['".](E_[A-Z][A-Z0-9_]*)\b/g)) {
      if (code === undefined) continue;
      named.set(code, (named.get(code) ?? new Set()).add(path.relative(PACKAGE_ROOT, file)));
    }
  }
  return named;
}

describe('error codes', () => {
  it("the engine's are all documented in docs/errors.md with their exit codes", () => {
    const doc = readFileSync(path.join(PACKAGE_ROOT, 'docs', 'errors.md'), 'utf8');
    for (const [code, { exitCode }] of Object.entries(ERROR_CODES)) {
      expect(doc).toMatch(new RegExp(`\\|\\s*\`${code}\`\\s*\\|\\s*${String(exitCode)}\\s*\\|`));
    }
  });

  it("the engine's are the engine's: each is used in src/, not only by one generator", () => {
    const inEngine = codesNamedIn(filesUnder('src').filter((f) => !f.endsWith(path.join('src', 'errors.ts'))));
    for (const code of Object.keys(ERROR_CODES)) expect(inEngine.has(code), `${code} is not used by the engine: move it to the generator that uses it`).toBe(true);
  });

  it("a generator's own are documented on its page and listed in docs/errors.md, with their exit codes", () => {
    const errorsDoc = readFileSync(path.join(PACKAGE_ROOT, 'docs', 'errors.md'), 'utf8');
    const own = Object.entries(allErrorCodes()).filter(([, info]) => info.generator !== undefined);
    expect(own.map(([code]) => code)).toContain('E_PERMISSIONS_INVALID');
    for (const [code, { exitCode, generator }] of own) {
      const row = new RegExp(`\\|\\s*\`${code}\`\\s*\\|\\s*${String(exitCode)}\\s*\\|`);
      expect(readFileSync(path.join(PACKAGE_ROOT, 'docs', `${String(generator)}.md`), 'utf8'), `docs/${String(generator)}.md`).toMatch(row);
      expect(errorsDoc, 'docs/errors.md').toMatch(row);
    }
  });

  it('every code named anywhere in src/ or generators/ is defined: the engine\'s or a generator\'s', () => {
    const known = allErrorCodes();
    for (const [code, files] of codesNamedIn([...filesUnder('src'), ...filesUnder('generators')])) {
      expect(Object.hasOwn(known, code), `${code} (in ${[...files].join(', ')}) is not defined`).toBe(true);
    }
  });
});
