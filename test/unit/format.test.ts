import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatAll, formatKey, recordFormatting } from '../../src/format.js';
import { prettierOptionsFor } from '../../src/prettier-options.js';

describe('formatAll', () => {
  it('formats each file by its extension with bulwark\'s style, and leaves unknown kinds alone', async () => {
    const out = await formatAll([
      { path: 'src/a.ts', content: 'const a = {b:"c"}' },
      { path: 'data.json', content: '{"a":1}' },
      { path: '.gitignore', content: 'node_modules  \n' },
    ]);
    expect(out).toEqual(["const a = { b: 'c' };\n", '{ "a": 1 }\n', 'node_modules  \n']);
  });

  it('takes exactly the texts the format index lists from it, by file name and bytes', async () => {
    const unformatted = 'const a = {b:"c"}';
    const known = new Map([[formatKey('src/a.ts', unformatted), null]]);
    expect(await formatAll([{ path: 'src/a.ts', content: unformatted }], known)).toEqual([unformatted]);
    // the same bytes under another parser, or other bytes, are formatted
    expect(await formatAll([{ path: 'src/a.js', content: unformatted }], known)).toEqual(["const a = { b: 'c' };\n"]);
    expect(await formatAll([{ path: 'src/a.ts', content: `${unformatted};` }], known)).toEqual(["const a = { b: 'c' };\n"]);
    // a recorded output is given as it was recorded
    expect(await formatAll([{ path: 'lib/a.ts', content: 'x' }], new Map([[formatKey('a.ts', 'x'), 'recorded']]))).toEqual(['recorded']);
  });

  it('formats a package.json written by JSON.stringify exactly as prettier does, for any JSON value', async () => {
    const prettier = await import('prettier');
    const formattedByPrettier: string[] = [];
    recordFormatting((input) => formattedByPrettier.push(input.path));
    try {
      await fc.assert(
        fc.asyncProperty(fc.jsonValue(), async (value) => {
          const content = JSON.stringify(value);
          const [mine] = await formatAll([{ path: 'svc/package.json', content }]);
          expect(mine).toBe(await prettier.format(content, prettierOptionsFor('svc/package.json')));
        }),
        { numRuns: 150 },
      );
    } finally {
      recordFormatting(undefined);
    }
    // Not formatted by prettier: the shortcut made every one.
    expect(formattedByPrettier).toStrictEqual([]);
    // Any other text of a package.json goes to prettier.
    expect(await formatAll([{ path: 'package.json', content: '{"a":1 }' }])).toEqual(['{\n  "a": 1\n}\n']);
  });

  it("formats with a file's own options when given, and never answers from another style's result", async () => {
    const text = 'const a = {b:"c"}';
    expect(await formatAll([{ path: 'src/a.ts', content: text }])).toEqual(["const a = { b: 'c' };\n"]);
    // Same path, same bytes, another style: formatted again, not taken from what bulwark's style made of them.
    expect(await formatAll([{ path: 'src/a.ts', content: text, options: { semi: false, singleQuote: false } }])).toEqual(['const a = { b: "c" }\n']);
    expect(await formatAll([{ path: 'src/a.ts', content: text, options: { semi: false, singleQuote: true } }])).toEqual(["const a = { b: 'c' }\n"]);
    // The format index records bulwark's style only: with another style it is not used.
    expect(await formatAll([{ path: 'src/a.ts', content: text, options: { semi: false } }], new Map([[formatKey('src/a.ts', text), null]]))).toEqual(['const a = { b: "c" }\n']);
  });
});
