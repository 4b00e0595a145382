import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apply } from '../../src/apply.js';
import { plan } from '../../src/index.js';
import { isIgnored, parseIgnore } from '../../src/prettier-ignore.js';
import { tempDir } from '../helpers/fs.js';
import { fixtureGenerator, memoryService } from '../helpers/generators.js';

const prettier = await import('prettier');

const name = fc.constantFrom('a', 'b', 'dist', 'x.ts', 'a.md', 'meta', '.env', 'c-d');
const file = fc.array(name, { minLength: 1, maxLength: 4 }).map((segments) => segments.join('/'));
const glob = fc.constantFrom('a', 'b', 'dist', '*.ts', '*.md', 'meta', '.env*', 'c-*', '*', 'x.*');
const pattern = fc
  .tuple(fc.boolean(), fc.boolean(), fc.array(glob, { minLength: 1, maxLength: 3 }), fc.boolean())
  .map(([negated, leading, segments, trailing]) => `${negated ? '!' : ''}${leading ? '/' : ''}${segments.join('/')}${trailing ? '/' : ''}`);

describe("the target's .prettierignore and .gitignore", () => {
  it('are matched here exactly as prettier matches them, for the patterns matched here', { timeout: 60_000 }, async () => {
    const dir = await tempDir();
    const ignoreFile = path.join(dir, '.prettierignore');
    await fc.assert(
      fc.asyncProperty(fc.array(pattern, { minLength: 1, maxLength: 4 }), fc.array(file, { minLength: 1, maxLength: 8 }), async (patterns, files) => {
        const text = `# comment\n${patterns.join('\n')}\n`;
        const parsed = parseIgnore(text);
        expect(parsed).toBeDefined();
        await writeFile(ignoreFile, text);
        for (const f of files) {
          const mine = isIgnored(parsed ?? [], f);
          const theirs = (await prettier.getFileInfo(path.join(dir, f), { ignorePath: ignoreFile, resolveConfig: false })).ignored;
          expect(mine, `${JSON.stringify(patterns)} on ${f}`).toBe(theirs);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('leave other patterns to prettier itself', () => {
    for (const text of ['a/**/b', 'file?.ts', '[ab].ts', 'a\\ b', '/', '!']) expect(parseIgnore(text), text).toBeUndefined();
  });

  it('keep bulwark from formatting a file the target\'s prettier ignores, and only that one', async () => {
    const target = await tempDir();
    await writeFile(path.join(target, '.prettierignore'), 'generated/\n');
    await writeFile(path.join(target, '.gitignore'), '*.tmp.ts\n');
    const p = await plan(fixtureGenerator, { files: ['generated/a.ts', 'src/b.ts', 'c.tmp.ts'], title: 'x' }, { cwd: target });
    const content = (f: string) => p.files.find((x) => x.path === f)?.content;
    // The fixture writes double quotes; bulwark's style turns them single.
    expect(content('generated/a.ts')).toBe('export const title = "x";\n');
    expect(content('c.tmp.ts')).toBe('export const title = "x";\n');
    expect(content('src/b.ts')).toBe("export const title = 'x';\n");
  });

  it('also with a pattern only prettier matches (read from the disk)', async () => {
    const target = await tempDir();
    await mkdir(path.join(target, 'gen'));
    await writeFile(path.join(target, '.prettierignore'), 'gen/**/*.ts\n!gen/keep.ts\n');
    const p = await plan(fixtureGenerator, { files: ['gen/deep/a.ts', 'gen/keep.ts'], title: 'x' }, { cwd: target });
    expect(p.files.find((x) => x.path === 'gen/deep/a.ts')?.content).toBe('export const title = "x";\n');
    expect(p.files.find((x) => x.path === 'gen/keep.ts')?.content).toBe("export const title = 'x';\n");
    await apply(p);
  });

  it("a new service's own ignore files are matched here (no prettier needed), and leave drizzle-kit's snapshots as written", async () => {
    const svc = await memoryService();
    for (const name of ['.prettierignore', '.gitignore']) expect(parseIgnore(svc.read(name) ?? ''), name).toBeDefined();
    const p = await plan('rbac', {}, svc);
    // The service's .prettierignore lists drizzle/meta/: the module's snapshot and journal entry are as drizzle-kit writes them.
    const meta = p.files.filter((f) => f.path.startsWith('drizzle/meta/') && f.status !== 'unchanged');
    expect(meta.map((f) => f.path).sort()).toStrictEqual(['drizzle/meta/0009_snapshot.json', 'drizzle/meta/_journal.json']);
    for (const f of meta) expect(f.content, f.path).toBe(`${JSON.stringify(JSON.parse(f.content), null, 2)}\n`);
    // A file the service's prettier checks is still formatted (drizzle/rbac/ is not under drizzle/meta/).
    const journal = p.files.find((f) => f.path === 'drizzle/rbac/meta/_journal.json');
    expect(journal?.content).toBe(await prettier.format(journal?.content ?? '', { filepath: 'x/_journal.json', singleQuote: true, trailingComma: 'all', printWidth: 100 }));
  });
});
