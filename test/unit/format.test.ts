import { describe, expect, it } from 'vitest';
import { formatAll, formatKey } from '../../src/format.js';

describe('formatAll', () => {
  it('formats each file by its extension with bulwark\'s style, and leaves unknown kinds alone', async () => {
    const out = await formatAll([
      { path: 'src/a.ts', content: 'const a = {b:"c"}' },
      { path: 'data.json', content: '{"a":1}' },
      { path: '.gitignore', content: 'node_modules  \n' },
    ]);
    expect(out).toEqual(["const a = { b: 'c' };\n", '{ "a": 1 }\n', 'node_modules  \n']);
  });

  it('skips exactly the texts the format index lists as already formatted', async () => {
    const unformatted = 'const a = {b:"c"}';
    const known = new Set([formatKey('src/a.ts', unformatted)]);
    expect(await formatAll([{ path: 'src/a.ts', content: unformatted }], known)).toEqual([unformatted]);
    // the same bytes under another parser, or other bytes, are formatted
    expect(await formatAll([{ path: 'src/a.js', content: unformatted }], known)).toEqual(["const a = { b: 'c' };\n"]);
    expect(await formatAll([{ path: 'src/a.ts', content: `${unformatted};` }], known)).toEqual(["const a = { b: 'c' };\n"]);
  });

  it("formats with a file's own options when given, and never answers from another style's result", async () => {
    const text = 'const a = {b:"c"}';
    expect(await formatAll([{ path: 'src/a.ts', content: text }])).toEqual(["const a = { b: 'c' };\n"]);
    // Same path, same bytes, another style: formatted again, not taken from what bulwark's style made of them.
    expect(await formatAll([{ path: 'src/a.ts', content: text, options: { semi: false, singleQuote: false } }])).toEqual(['const a = { b: "c" }\n']);
    expect(await formatAll([{ path: 'src/a.ts', content: text, options: { semi: false, singleQuote: true } }])).toEqual(["const a = { b: 'c' }\n"]);
    // The format index records bulwark's style only: with another style it is not used.
    expect(await formatAll([{ path: 'src/a.ts', content: text, options: { semi: false } }], new Set([formatKey('src/a.ts', text)]))).toEqual(['const a = { b: "c" }\n']);
  });
});
