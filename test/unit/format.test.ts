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
});
