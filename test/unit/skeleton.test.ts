import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadFormatIndex } from '../../src/format.js';
import { memoryWorkspace, plan } from '../../src/index.js';
import { PACKAGE_ROOT, TEMPLATES_DIR, testedVersion } from '../../src/package-root.js';
import { prettierOptionsFor } from '../../src/prettier-options.js';
import { printValue, renderTemplate } from '../../src/render.js';
import { fillSkeleton, makeSkeleton, PLAIN } from '../../src/skeleton.js';

const prettier = await import('prettier');
const format = (file: string) => (text: string) => prettier.format(text, prettierOptionsFor(file));

/** Plain values, mostly of the lengths names have; the examples add the shortest and longest, which fall outside a box. */
const plain = fc.stringMatching(/^[a-z0-9][a-z0-9_-]{2,50}$/);

describe('template skeletons: prettier\'s output for any plain value, without prettier', () => {
  // The app's templates that print its name, as `str` in TypeScript and `text` in a Markdown heading.
  const cases = [
    { template: 'app/src/app.ts.hbs', file: 'app.ts', data: (v: string) => ({ name: v }) },
    { template: 'app/README.md.hbs', file: 'README.md', data: (v: string) => ({ name: v }) },
    { template: 'app/test/db/test-database.ts.hbs', file: 'test-database.ts', data: (v: string) => ({ testLogin: `${v}_test_login`, testDatabasePrefix: `${v}_test_` }) },
  ];

  it.each(cases)('$template gives what prettier gives, or nothing (then prettier runs)', { timeout: 60_000 }, async ({ template, file, data }) => {
    const source = readFileSync(path.join(TEMPLATES_DIR, template), 'utf8');
    const skeleton = await makeSkeleton(source, template, file, format(file));
    expect(skeleton).toBeDefined();
    if (skeleton === undefined) return;
    let filled = 0;
    await fc.assert(
      fc.asyncProperty(plain, async (value) => {
        const values = data(value);
        const fill = fillSkeleton(skeleton, values);
        if (fill === undefined) {
          // Only outside the box (a value too short or too long for it), or for a value the helper escapes.
          const outside = Object.values(values).some((v) => v.length < skeleton.min || v.length > skeleton.max);
          const named: Readonly<Record<string, string>> = values;
          const escaped = skeleton.holes.some((h) => {
            const v = named[h.name] ?? '';
            return printValue(h.helper, v) !== (h.helper === 'str' ? `"${v}"` : v);
          });
          expect(outside || escaped).toBe(true);
          return;
        }
        filled += 1;
        const raw = renderTemplate(source, values, template);
        expect(fill.raw).toBe(raw);
        expect(fill.formatted).toBe(await format(file)(raw));
      }),
      { numRuns: 10, examples: [['a'], ['abcd'], ['bench-service'], ['a'.repeat(70)], ['x'.repeat(214)], ['billing_api-2']] },
    );
    // The examples alone fill every one of these at least three times.
    expect(filled).toBeGreaterThanOrEqual(3);
  });

  it('takes no value outside plain lower-case names, and none the helper would print otherwise', async () => {
    const source = readFileSync(path.join(TEMPLATES_DIR, 'app/README.md.hbs'), 'utf8');
    const skeleton = await makeSkeleton(source, 'app/README.md.hbs', 'README.md', format('README.md'));
    if (skeleton === undefined) throw new Error('no skeleton');
    for (const value of ['Billing', '@acme/billing', 'a.b.c', 'émile', 'a b', '-abc', 'x\u2028y', 'has"quote']) {
      expect(PLAIN.test(value) && fillSkeleton(skeleton, { name: value }) !== undefined, value).toBe(false);
    }
    // "_" is plain in a string, but Markdown text escapes it: the heading goes to prettier.
    expect(fillSkeleton(skeleton, { name: 'billing_api' })).toBeUndefined();
    expect(fillSkeleton(skeleton, { name: 'billing-api' })).toBeDefined();
    // A value that is missing or not a string.
    expect(fillSkeleton(skeleton, {})).toBeUndefined();
    expect(fillSkeleton(skeleton, { name: 42 })).toBeUndefined();
  });

  it('the built index gives byte for byte the service prettier gives (when the build has made one)', { timeout: 60_000 }, async () => {
    const known = await loadFormatIndex(path.join(PACKAGE_ROOT, 'dist', 'format-index.json'), testedVersion('prettier'));
    if (known.constant.size === 0) return; // no build in this checkout: nothing to compare
    const target = path.join(PACKAGE_ROOT, '.no-such-dir', 'svc');
    const p = await plan('app', { name: 'billing-api' }, { cwd: target, workspace: memoryWorkspace({}) });
    for (const file of p.files) {
      if (!/\.(ts|js|json|md|ya?ml)$/.test(file.path)) continue;
      expect(file.content, file.path).toBe(await prettier.format(file.content, prettierOptionsFor(file.path)));
    }
  });
});
