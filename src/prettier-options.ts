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

/**
 * Options for formatting one file: a style (bulwark's, or the target's own
 * configuration resolved for this file, see src/prettier-config.ts) and the
 * parser for its extension, unless the style names one.
 */
export function prettierOptionsFor(filePath: string, style: Options = PRETTIER_OPTIONS): Options {
  const ext = filePath.slice(filePath.lastIndexOf('.') + 1).toLowerCase();
  const parser = style.parser === undefined ? FAST_PARSERS[ext] : undefined;
  return { ...style, filepath: filePath, ...(parser === undefined ? {} : { parser }) };
}
