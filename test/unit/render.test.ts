import vm from 'node:vm';
import fc from 'fast-check';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { renderTemplate } from '../../src/render.js';

describe('renderTemplate: only escaped output', () => {
  it.each([
    ['a bare value', 'const x = {{name}};'],
    ['a triple-stash', 'const x = {{{str name}}};'],
    ['an ampersand unescape', 'const x = {{& name}};'],
    ['an unknown helper', 'const x = {{lookup this "name"}};'],
    ['a partial', '{{> evil}}'],
    ['an escaper with two values', '{{str name name}}'],
    ['a custom block helper', '{{#lookup name}}x{{/lookup}}'],
    ['a bare value inside a block', '{{#if name}}{{name}}{{/if}}'],
    ['a sub-expression', '{{str (lookup this "name")}}'],
    ['a logging sub-expression', '{{str (log "to stdout")}}'],
    ['hash arguments', '{{str name x=1}}'],
    ['an inverse section with a bare value', '{{^name}}{{name}}{{/name}}'],
  ])('refuses %s', (_what, source) => {
    expect(() => renderTemplate(source, { name: 'x' }, 'test.hbs')).toThrow(expect.objectContaining({ code: 'E_TEMPLATE_INVALID' }));
  });

  it('refuses a missing value instead of printing an empty string (strict mode)', () => {
    expect(() => renderTemplate('{{str missing}}', {}, 'strict.hbs')).toThrow(expect.objectContaining({ code: 'E_TEMPLATE_INVALID' }));
  });

  it('does not reach prototype properties', () => {
    expect(() => renderTemplate('{{str constructor}}', {}, 'proto.hbs')).toThrow();
  });
});

describe('escapers', () => {
  it('str: any string round-trips as a JavaScript string literal, so no value can inject code (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (value) => {
        const out = renderTemplate('module.exports = {{str v}};', { v: value }, 'str.hbs');
        const sandbox = { module: { exports: undefined as unknown } };
        vm.runInNewContext(out, sandbox);
        expect(sandbox.module.exports).toBe(value);
        expect(out).not.toMatch(/[<>`\u2028\u2029]/);
      }),
      { numRuns: 300 },
    );
  });

  it('str: a classic injection stays a string', () => {
    const attack = '"; require("child_process").execSync("id"); "';
    const out = renderTemplate('const name = {{str v}};', { v: attack }, 'inject.hbs');
    expect(vm.runInNewContext(`${out}; name`)).toBe(attack);
  });

  it('json: any value round-trips through JSON.parse (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (value) => {
        const out = renderTemplate('{ "name": {{json v}} }', { v: value }, 'json.hbs');
        expect((JSON.parse(out) as { name: string }).name).toBe(value);
      }),
      { numRuns: 1000 },
    );
  });

  it('text: one line, Markdown and HTML neutralised', () => {
    const out = renderTemplate('# {{text v}}', { v: 'x\n# owned <script>[a](b)' }, 'md.hbs');
    expect(out).toBe('# x \\# owned \\<script\\>\\[a\\]\\(b\\)');
  });

  it('a refused value names the value and the template line, not only the template', () => {
    const error = (() => {
      try {
        return renderTemplate('// x\nexport const {{ident identifier}} = 1;', { identifier: 'a-b' }, 'gen/index.ts.hbs');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toMatchObject({ code: 'E_SPEC_INVALID', details: { option: 'identifier', path: 'gen/index.ts.hbs' } });
    expect((error as Error).message).toMatch(/"identifier" in template gen\/index\.ts\.hbs line 2/);
  });

  it('ident: refuses what is not a TypeScript identifier', () => {
    expect(renderTemplate('const {{ident v}} = 1;', { v: 'orders' }, 'id.hbs')).toBe('const orders = 1;');
    expect(() => renderTemplate('const {{ident v}} = 1;', { v: 'a=1;evil()//' }, 'id.hbs')).toThrow(expect.objectContaining({ code: 'E_SPEC_INVALID' }));
  });
});

describe('escapers in the contexts a template maintainer might paste them', () => {
  it('str inside a template literal cannot substitute code', () => {
    const sandbox: { pwned?: number; out?: string } = {};
    const out = renderTemplate('out = `value: {{str v}}`;', { v: '${globalThis.pwned = 1}' }, 'tpl.hbs');
    vm.runInNewContext(out, sandbox);
    expect(sandbox.pwned).toBeUndefined();
    expect(sandbox.out).toContain('${globalThis.pwned = 1}');
  });

  it.each([
    ['a block comment', '/** {{text v}} */\nexport const x = 1;', "*/ import 'evil-pkg'; /*"],
    ['a line comment', '// {{text v}}\nexport const x = 1;', "x\u2028import 'evil-pkg'"],
  ])('text inside %s stays inside it', (_where, template, attack) => {
    const out = renderTemplate(template, { v: attack }, 'comment.hbs');
    // the module body is exactly what the template wrote: nothing escaped the comment
    expect(out.split('\n').slice(1)).toEqual(['export const x = 1;']);
    expect(out).not.toContain('*/ import');
    expect(out).not.toMatch(/[\u2028\u2029]/);
  });

  it('refuses helper names that are Object prototype properties', () => {
    expect(() => renderTemplate('{{toString v}}', { v: 'x' }, 'proto.hbs')).toThrow(expect.objectContaining({ code: 'E_TEMPLATE_INVALID' }));
  });
});

/** The kinds of every node of a TypeScript file, in order: its shape, whatever its strings say. */
function syntaxShape(code: string): { kinds: string[]; errors: number } {
  const file = ts.createSourceFile('rendered.ts', code, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const kinds: string[] = [];
  const visit = (node: ts.Node): void => {
    kinds.push(ts.SyntaxKind[node.kind]);
    node.forEachChild(visit);
  };
  visit(file);
  const { parseDiagnostics } = file as unknown as { parseDiagnostics: readonly unknown[] };
  return { kinds, errors: parseDiagnostics.length };
}

/** Anything at all, with the characters that end lines, comments and strings, or hide code, well represented. */
const hostile = fc
  .array(
    fc.oneof(
      fc.string({ unit: 'binary', maxLength: 8 }),
      fc.constantFrom('\n', '\r', '\u000b', '\u000c', '\u2028', '\u2029', '\u0085', '\0', '\ud800', '\udfff', '*/', '/*', '//', '`', '${', '"', "'", '\\', '</script>', '-->'),
      // Trojan Source (CVE-2021-42574): bidirectional overrides and isolates, zero-width characters.
      fc.constantFrom('\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u200b', '\u200e', '\u200f', '\u061c', '\ufeff'),
    ),
    { maxLength: 8 },
  )
  .map((parts) => parts.join(''));

/** Characters that make code read differently from what it does. */
const INVISIBLE = /[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

describe('escapers over the whole Unicode range', () => {
  const template = [
    '// {{text v}}',
    '/** {{text v}} */',
    'export const a = {{str v}};',
    'export const b = {{json v}};',
    'export const c = `${ {{str v}} }`;',
    'export const d = `${ {{json v}} }`;',
    '',
  ].join('\n');
  const plain = syntaxShape(renderTemplate(template, { v: 'x' }, 'shape.hbs'));

  it('a TypeScript file parses to the same syntax tree with any value as with a plain one (property)', () => {
    fc.assert(
      fc.property(hostile, (value) => {
        const out = renderTemplate(template, { v: value }, 'shape.hbs');
        expect(syntaxShape(out)).toStrictEqual(plain);
        // Nothing invisible reaches the file: a reviewer sees what the compiler sees.
        expect(out).not.toMatch(INVISIBLE);
        // The values themselves are intact.
        const sandbox = { exports: {} as Record<string, unknown> };
        vm.runInNewContext(ts.transpile(out, { module: ts.ModuleKind.CommonJS }), sandbox);
        expect(sandbox.exports).toStrictEqual({ a: value, b: value, c: value, d: value });
      }),
      { numRuns: 1000 },
    );
  });

  it('text keeps a Markdown line one line, and shows invisible characters (property)', () => {
    fc.assert(
      fc.property(hostile, (value) => {
        const out = renderTemplate('# {{text v}}\n\nnext\n', { v: value }, 'shape.md.hbs');
        expect(out.split('\n')).toHaveLength(4);
        expect(out).not.toMatch(INVISIBLE);
        // Nothing that ends a line anywhere (NEL, VT, FF, U+2028/9), no lone surrogate, no HTML comment end.
        // eslint-disable-next-line no-control-regex
        expect(out.slice(0, -1)).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/);
        expect(out).not.toMatch(LONE_SURROGATE);
        expect(out).not.toContain('-->');
      }),
      { numRuns: 2000 },
    );
  });

  it('turns a Trojan Source override into an escape in code and a visible mark in text', () => {
    const attack = 'admin\u202e // \u2066';
    expect(renderTemplate('{{str v}}', { v: attack }, 'bidi.hbs')).toBe('"admin\\u202e // \\u2066"');
    expect(renderTemplate('{{json v}}', { v: attack }, 'bidi.hbs')).toBe('"admin\\u202e // \\u2066"');
    expect(renderTemplate('{{text v}}', { v: attack }, 'bidi.hbs')).toBe('admin\ufffd // \ufffd');
  });
});

describe('determinism', () => {
  it('renders LF line endings from a CRLF checkout of a template', () => {
    expect(renderTemplate('a\r\nb {{str v}}\r\n', { v: 'x' }, 'crlf.hbs')).toBe('a\nb "x"\n');
  });
});
