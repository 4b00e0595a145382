import type { Options } from 'prettier';

/**
 * The formatting bulwark writes with. The app generator writes the same
 * object to the new repository's .prettierrc.json, so generated files pass
 * the repository's own `prettier --check`.
 */
export const PRETTIER_OPTIONS = { singleQuote: true, trailingComma: 'all', printWidth: 100 } as const satisfies Options;

// prettier's babel-ts parser loads in about half the time of its typescript
// parser and prints the same code; on a cold run the parser's load is most
// of the formatting cost. The end-to-end matrix runs the generated
// repository's own `prettier --check` (typescript parser), which would catch
// any disagreement.
const FAST_PARSERS: Readonly<Record<string, string>> = { ts: 'babel-ts', mts: 'babel-ts', cts: 'babel-ts' };

/** Options for formatting one file: bulwark's style, and the parser for its extension. */
export function prettierOptionsFor(filePath: string): Options {
  const ext = filePath.slice(filePath.lastIndexOf('.') + 1).toLowerCase();
  const parser = FAST_PARSERS[ext];
  return { ...PRETTIER_OPTIONS, filepath: filePath, ...(parser === undefined ? {} : { parser }) };
}
