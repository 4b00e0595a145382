import { createRequire } from 'node:module';
import type HandlebarsApi from 'handlebars';
import { BulwarkError } from './errors.js';
import { isValidIdentifier } from './paths.js';

/**
 * Template values never reach a file unescaped: a template may only print a
 * value through a helper named for the context it lands in. A bare `{{x}}`
 * (or a triple-stash) is refused when the template is compiled, so an option
 * value cannot inject code whatever a template maintainer writes.
 */
const ESCAPERS = {
  /** A JavaScript/TypeScript string literal, quotes included. */
  str: (value: unknown) => jsStringLiteral(requireString(value, 'str')),
  /** A JSON value (strings come out quoted), with invisible format characters escaped. */
  json: (value: unknown) => {
    const json: unknown = JSON.stringify(value);
    if (typeof json !== 'string') {
      throw new BulwarkError('E_TEMPLATE_INVALID', `Helper "json" needs a value JSON can hold, got ${typeof value}.`);
    }
    // Outside strings JSON has none of these, so escaping them keeps the value and makes the
    // output as safe as `str` in a template literal, a <script> or pre-ES2019 JavaScript.
    return jsSafe(json);
  },
  /** A TypeScript identifier; anything else is refused, not escaped. */
  ident: (value: unknown) => {
    const name = requireString(value, 'ident');
    if (!isValidIdentifier(name)) {
      throw new BulwarkError('E_SPEC_INVALID', `${JSON.stringify(name)} is not a valid TypeScript identifier.`, {
        fix: 'Use letters, digits, "_" or "$", not starting with a digit and not a reserved word.',
      });
    }
    return name;
  },
  /** Plain text inside Markdown or a comment: one line, markup neutralised, never closing the comment. */
  text: (value: unknown) => markdownText(requireString(value, 'text')),
} as const;

const BLOCK_HELPERS = new Set(['if', 'unless', 'each', 'with']);

export type EscaperName = keyof typeof ESCAPERS;

/** What `{{helper value}}` prints, without Handlebars; a refusal is the helper's error. */
export function printValue(helper: EscaperName, value: unknown): string {
  return ESCAPERS[helper](value);
}

function requireString(value: unknown, helper: string): string {
  if (typeof value !== 'string') {
    throw new BulwarkError('E_TEMPLATE_INVALID', `Helper "${helper}" needs a string, got ${typeof value}.`);
  }
  return value;
}

/**
 * Characters that change how code reads without being seen: the
 * bidirectional embeddings, overrides and isolates of "Trojan Source"
 * (CVE-2021-42574), the Arabic letter mark, zero-width characters and the
 * byte-order mark. In a string literal or JSON they become `\\uXXXX`
 * escapes (the same value); in text they become U+FFFD, which a reviewer sees.
 */
const INVISIBLE = /[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

/** `\\uXXXX` for each invisible character: valid in JSON and in JavaScript strings. */
function escapeInvisible(code: string): string {
  return code.replace(INVISIBLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function jsStringLiteral(value: string): string {
  // JSON.stringify escapes quotes, backslashes, controls and lone surrogates.
  return jsSafe(JSON.stringify(value));
}

/**
 * In JSON text: escapes what would let a string close a <script>, end or
 * substitute into a template literal it is pasted in, or end a line in
 * JavaScript before ES2019, and the invisible characters.
 */
function jsSafe(json: string): string {
  return escapeInvisible(json.replace(/[$<>`\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

/**
 * Every code point that ends a line somewhere a value can land: C0 and C1
 * controls (LF, CR, VT, FF, NEL U+0085) and the line and paragraph
 * separators U+2028 and U+2029, which end a `//` comment in JavaScript.
 * Lone surrogates go too: they are not text, and an encoder turns them into
 * U+FFFD or refuses them.
 */
// eslint-disable-next-line no-control-regex
const LINE_BREAKING = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** One line, with every invisible character shown as U+FFFD. */
export function visibleLine(value: string): string {
  return value.replace(LINE_BREAKING, ' ').replace(INVISIBLE, '\ufffd');
}

/**
 * One line of text inside a `//` or `/* *\/` comment (JavaScript, TypeScript,
 * Cedar, SQL's `--` and `/* *\/`): nothing can end the line or the comment,
 * and invisible characters show as U+FFFD so a reviewer sees what the
 * compiler sees.
 */
export function commentText(value: string): string {
  return visibleLine(value)
    .replace(/\*\//g, '* /')
    .replace(/-->/g, '-- >');
}

export function markdownText(value: string): string {
  // One line, markup and HTML neutralised.
  const escaped = visibleLine(value).replace(/[\\`*_{}[\]()<>#+!|~&]/g, (c) => `\\${c}`).replace(/^-/, '\\-');
  // A "*/" would end a block comment even with its star escaped; "-->" ends an HTML comment.
  return escaped.replace(/\*\//g, '* /').replace(/-->/g, '-- >');
}

/** A helper's refusal, with where in the template it happened; renderTemplate names the value. */
class HelperFailure extends Error {
  constructor(
    readonly error: BulwarkError,
    readonly line: number,
    readonly column: number,
  ) {
    super(error.message);
  }
}

let handlebars: typeof HandlebarsApi | undefined;

/**
 * bulwark's Handlebars environment, loaded on first use: a run whose
 * templates are all in the build's index (src/format.ts) never loads it.
 */
function env(): typeof HandlebarsApi {
  if (handlebars !== undefined) return handlebars;
  const created = (createRequire(import.meta.url)('handlebars') as typeof HandlebarsApi).create();
  // Built-ins that could print (log writes to stdout, which --json owns) or reach around the data.
  for (const builtin of ['log', 'lookup']) created.unregisterHelper(builtin);
  for (const [name, fn] of Object.entries(ESCAPERS)) {
    created.registerHelper(name, (value: unknown, options: { loc?: { start: { line: number; column: number } } }) => {
      try {
        return new created.SafeString(fn(value));
      } catch (error) {
        if (!(error instanceof BulwarkError) || options.loc === undefined) throw error;
        throw new HelperFailure(error, options.loc.start.line, options.loc.start.column);
      }
    });
  }
  handlebars = created;
  return created;
}

type HbsNode = hbs.AST.Node & { type: string };

/**
 * Walks a template's syntax tree and refuses any unescaped output. Returns
 * the value each output prints, by its position (`line:column`), so a
 * refusal at render time can name the value and not only the template.
 */
function assertEscaped(source: string, templateName: string): Map<string, string> {
  const values = new Map<string, string>();
  let ast: hbs.AST.Program;
  try {
    ast = env().parse(source);
  } catch (error) {
    throw new BulwarkError('E_TEMPLATE_INVALID', `Template ${templateName} does not parse: ${(error as Error).message}`, {
      path: templateName,
    });
  }
  const refuse = (node: hbs.AST.Node, what: string): never => {
    throw new BulwarkError('E_TEMPLATE_INVALID', `Template ${templateName} line ${node.loc.start.line}: ${what}.`, {
      path: templateName,
      fix: `Print values through an escaping helper: ${Object.keys(ESCAPERS).map((h) => `{{${h} value}}`).join(', ')}.`,
    });
  };
  const visit = (node: HbsNode | null | undefined): void => {
    if (node == null) return;
    switch (node.type) {
      case 'Program':
        (node as hbs.AST.Program).body.forEach((n) => { visit(n); });
        return;
      case 'MustacheStatement': {
        const m = node as hbs.AST.MustacheStatement;
        const helper = m.path.type === 'PathExpression' ? (m.path as hbs.AST.PathExpression).original : '';
        if (!m.escaped) refuse(node, 'triple-stash output is not allowed');
        if (!Object.hasOwn(ESCAPERS, helper) || m.params.length !== 1) refuse(node, `bare or unknown output "{{${helper}}}"`);
        if (m.params.some((p) => p.type === 'SubExpression') || (m.hash as hbs.AST.Hash | undefined) !== undefined) {
          refuse(node, 'sub-expressions and hash arguments are not allowed; compute the value in TypeScript');
        }
        const param = m.params[0] as hbs.AST.PathExpression;
        values.set(`${String(node.loc.start.line)}:${String(node.loc.start.column)}`, param.original);
        return;
      }
      case 'BlockStatement': {
        const b = node as hbs.AST.BlockStatement;
        const helper = (b.path).original;
        if (!BLOCK_HELPERS.has(helper)) refuse(node, `block helper "${helper}" is not allowed`);
        visit(b.program);
        visit(b.inverse);
        return;
      }
      case 'PartialStatement':
      case 'PartialBlockStatement':
      case 'DecoratorBlock':
      case 'Decorator':
        refuse(node, 'partials and decorators are not allowed');
        return;
      default:
        return; // content and comments
    }
  };
  visit(ast);
  return values;
}

const compiled = new Map<string, { template: HandlebarsApi.TemplateDelegate; values: Map<string, string> }>();

/**
 * Renders one template. Strict mode makes a missing value an error instead
 * of an empty string; line endings are LF whatever the checkout; compiled
 * templates are cached per source.
 */
export function renderTemplate(rawSource: string, data: Record<string, unknown>, templateName: string): string {
  // A checkout with CRLF line endings (Windows, core.autocrlf) must not change the output.
  const source = rawSource.replace(/\r\n?/g, '\n');
  let entry = compiled.get(source);
  if (entry === undefined) {
    const values = assertEscaped(source, templateName);
    entry = { template: env().compile(source, { strict: true, noEscape: true, knownHelpersOnly: false }), values };
    compiled.set(source, entry);
  }
  try {
    return entry.template(data, { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false });
  } catch (error) {
    if (error instanceof HelperFailure) {
      const value = entry.values.get(`${String(error.line)}:${String(error.column)}`);
      const { code, details } = error.error;
      throw new BulwarkError(
        code,
        `${value === undefined ? 'A value' : `The value "${value}"`} in template ${templateName} line ${String(error.line)} is refused: ${error.message}`,
        { ...details, ...(value === undefined || details.option !== undefined ? {} : { option: value }), path: templateName },
        { cause: error.error },
      );
    }
    if (error instanceof BulwarkError) throw error;
    throw new BulwarkError('E_TEMPLATE_INVALID', `Template ${templateName} failed: ${(error as Error).message}`, {
      path: templateName,
    });
  }
}

/**
 * What a template renders to whatever the data, when it prints no value
 * (only text, escaped mustaches such as `\{{` and comments); undefined
 * otherwise. The build records these outputs (scripts/build-format-index.mjs),
 * so that a run does not compile them.
 */
export function constantOutput(rawSource: string, templateName: string): string | undefined {
  const source = rawSource.replace(/\r\n?/g, '\n');
  assertEscaped(source, templateName);
  const ast = env().parse(source);
  if (!ast.body.every((node) => node.type === 'ContentStatement' || node.type === 'CommentStatement')) return undefined;
  return renderTemplate(source, {}, templateName);
}

/** A value a template prints: the helper it goes through and the name of the value in the data. */
export interface TemplateHole {
  readonly helper: 'str' | 'text' | 'ident';
  readonly name: string;
}

/**
 * The values a template prints, in order, when it prints them only through
 * `str`, `text` or `ident` outside any block, so that its output is its text
 * with each helper's output put in; undefined for any other template.
 */
export function templateHoles(rawSource: string, templateName: string): TemplateHole[] | undefined {
  const source = rawSource.replace(/\r\n?/g, '\n');
  assertEscaped(source, templateName);
  const holes: TemplateHole[] = [];
  for (const node of env().parse(source).body) {
    if (node.type === 'ContentStatement' || node.type === 'CommentStatement') continue;
    if (node.type !== 'MustacheStatement') return undefined;
    const m = node as hbs.AST.MustacheStatement;
    const helper = (m.path as hbs.AST.PathExpression).original;
    const param = m.params[0] as hbs.AST.PathExpression | undefined;
    if ((helper !== 'str' && helper !== 'text' && helper !== 'ident') || param?.type !== 'PathExpression' || param.data || param.original !== param.parts[0]) return undefined;
    holes.push({ helper, name: param.original });
  }
  return holes;
}
