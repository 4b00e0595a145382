import { printValue, renderTemplate, templateHoles, type TemplateHole } from './render.js';

/**
 * A template's output, already formatted, with holes for its values: what
 * prettier makes of the template for any values in a box the build checked.
 *
 * Why the box is enough: prettier decides each line break by whether a group
 * fits in the print width, and a longer value only makes a group wider. The
 * build formats the template with every value as long as the shortest and
 * then as long as the longest of the box, with stand-ins made of plain
 * letters; when both give the same output around the values, every length in
 * between gives it too (a group that fits with the longest values fits with
 * shorter ones, one that breaks with the shortest breaks with longer ones).
 * Within a string literal, a heading or an identifier prettier treats every
 * character of {@link PLAIN} alike, so any such value formats as the
 * stand-in did. test/unit/skeleton.test.ts compares with prettier.
 */
export interface Skeleton {
  /** The file name it was made for (prettier picks its parser by the name). */
  readonly file: string;
  /** Each value's length must be in [min, max]. */
  readonly min: number;
  readonly max: number;
  readonly holes: readonly TemplateHole[];
  /** The rendered text around the holes (holes.length + 1 parts). */
  readonly raw: readonly string[];
  /** prettier's output around the holes (holes.length + 1 parts). */
  readonly formatted: readonly string[];
}

/** The values a skeleton takes: lower-case letters, digits, "-" and "_" (not first), as most package names are. */
export const PLAIN = /^[a-z0-9][a-z0-9_-]*$/;

/** What each helper prints for a plain value. */
function printed(helper: TemplateHole['helper'], value: string): string {
  return helper === 'str' ? `"${value}"` : value;
}

/**
 * The template's raw and formatted output for these data, when a skeleton
 * covers them: every value plain, within the lengths checked, and printed by
 * its helper exactly as a plain value is (the helpers still judge it).
 */
export function fillSkeleton(skeleton: Skeleton, data: Readonly<Record<string, unknown>>): { raw: string; formatted: string } | undefined {
  const values: string[] = [];
  for (const hole of skeleton.holes) {
    const value = Object.hasOwn(data, hole.name) ? data[hole.name] : undefined;
    if (typeof value !== 'string' || value.length < skeleton.min || value.length > skeleton.max || !PLAIN.test(value)) return undefined;
    values.push(value);
  }
  // The helpers' own checks (an identifier may not be a reserved word, ...) still apply: render what a hole prints alone.
  for (const [i, hole] of skeleton.holes.entries()) {
    let output: string;
    try {
      output = printValue(hole.helper, values[i]);
    } catch {
      return undefined; // the full render reports it, naming the template
    }
    if (output !== printed(hole.helper, values[i] as string)) return undefined;
  }
  const join = (parts: readonly string[], fill: (i: number) => string) => parts.map((part, i) => (i === 0 ? part : fill(i - 1) + part)).join('');
  return {
    // The parts keep what a helper prints around a value (a string's quotes).
    raw: join(skeleton.raw, (i) => values[i] as string),
    formatted: join(skeleton.formatted, (i) => values[i] as string),
  };
}

/** The longest value a skeleton is made for: npm's limit on a package name. */
const LONGEST = 214;
/** The shortest: stand-ins need a few letters to be told apart from the text around them. */
const SHORTEST = 4;

/**
 * Makes a template's skeleton for the file `file`, or undefined when it has
 * none (values in blocks or through other helpers, stand-ins that prettier
 * moves or changes, no length at which the output stays the same). Build
 * time only: it formats the template a dozen times.
 */
export async function makeSkeleton(source: string, templateName: string, file: string, format: (text: string) => Promise<string>): Promise<Skeleton | undefined> {
  const holes = templateHoles(source, templateName);
  if (holes === undefined || holes.length === 0) return undefined;
  const names = [...new Set(holes.map((h) => h.name))];
  if (names.length > 26) return undefined;
  const standIn = (name: string, length: number) => `qj${String.fromCharCode(97 + names.indexOf(name))}k`.padEnd(length, 'w');
  const split = (text: string, length: number): { parts: string[]; order: string[] } => {
    const pattern = new RegExp(names.map((n) => standIn(n, length)).join('|'), 'g');
    const order = [...text.matchAll(pattern)].map((m) => names[names.map((n) => standIn(n, length)).indexOf(m[0])] as string);
    return { parts: text.split(pattern), order };
  };
  const attempt = async (length: number): Promise<{ raw: string[]; formatted: string[] } | undefined> => {
    const data = Object.fromEntries(names.map((n) => [n, standIn(n, length)]));
    const raw = renderTemplate(source, data, templateName);
    const formatted = await format(raw);
    const r = split(raw, length);
    const f = split(formatted, length);
    // Each stand-in where the template prints it, in the same order after formatting.
    if (r.order.join() !== holes.map((h) => h.name).join() || f.order.join() !== r.order.join()) return undefined;
    return { raw: r.parts, formatted: f.parts };
  };
  const shortest = await attempt(SHORTEST);
  if (shortest === undefined) return undefined;
  const same = (other: { formatted: string[] } | undefined) => other !== undefined && other.formatted.join('\0') === shortest.formatted.join('\0');
  let max = LONGEST;
  if (!same(await attempt(LONGEST))) {
    // The longest length that still formats like the shortest (the same outcome, by the argument above, is monotone).
    let low = SHORTEST;
    let high = LONGEST;
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2);
      if (same(await attempt(middle))) low = middle;
      else high = middle;
    }
    max = low;
  }
  return { file, min: SHORTEST, max, holes, raw: shortest.raw, formatted: shortest.formatted };
}
