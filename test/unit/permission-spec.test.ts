import fc from 'fast-check';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { compile, permissionsMarkdown, permissionsModule } from '../../generators/rbac/compile.js';
import { permissionSpec, starterSpec, type PermissionSpecInput } from '../../generators/rbac/spec.js';

/** The kinds of every node of a TypeScript file, in order, and its parse errors. */
function syntaxShape(code: string): { kinds: string[]; errors: number } {
  const file = ts.createSourceFile('permissions.ts', code, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const kinds: string[] = [];
  const visit = (node: ts.Node): void => {
    kinds.push(ts.SyntaxKind[node.kind]);
    node.forEachChild(visit);
  };
  visit(file);
  return { kinds, errors: (file as unknown as { parseDiagnostics: readonly unknown[] }).parseDiagnostics.length };
}

/** Any text, with what ends lines, comments and strings, or hides code, well represented. */
const hostile = fc
  .array(
    fc.oneof(
      fc.string({ unit: 'binary', maxLength: 8 }),
      fc.constantFrom('\n', '\r', '\u000b', '\u000c', '\u0085', '\u2028', '\u2029', '\0', '\ud800', '\udc00', '*/', '/*', '//', '-->', '`', '${', '"', '|', '\\'),
      fc.constantFrom('\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u200b', '\u200e', '\u200f', '\u061c', '\ufeff'),
    ),
    { maxLength: 8 },
  )
  .map((parts) => parts.join('').slice(0, 200));

const INVISIBLE = /[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function withDescriptions(description: string): PermissionSpecInput {
  const spec = starterSpec(['invoice']) as { resources: Record<string, { description?: string }>; roles: Record<string, { description?: string }> };
  for (const r of Object.values(spec.resources)) r.description = description;
  for (const r of Object.values(spec.roles)) r.description = description;
  return spec as PermissionSpecInput;
}

function render(description: string): { ts: string; md: string } {
  const written = withDescriptions(description);
  const compiled = compile(permissionSpec.parse(written), written);
  return { ts: permissionsModule(compiled), md: permissionsMarkdown(compiled) };
}

describe('descriptions in the permission spec cannot become code', () => {
  const plain = render('plain');
  const plainShape = syntaxShape(plain.ts);

  it('the role description of issue 13 (U+2028 ends a // comment) stays a comment', () => {
    const out = render('\u2028(process.exit(7)),\u2028//').ts;
    expect(syntaxShape(out)).toStrictEqual(plainShape);
    expect(out).not.toMatch(/[\u2028\u2029]/);
  });

  it('permissions.ts parses to the same syntax tree with any description; PERMISSIONS.md keeps its lines (property)', () => {
    fc.assert(
      fc.property(hostile, (description) => {
        const out = render(description);
        expect(syntaxShape(out.ts)).toStrictEqual(plainShape);
        expect(out.ts).not.toMatch(INVISIBLE);
        expect(out.md.split('\n')).toHaveLength(plain.md.split('\n').length);
        expect(out.md).not.toMatch(INVISIBLE);
        expect(out.md).not.toMatch(LONE_SURROGATE);
        // A description cannot add a column to a table row.
        const rows = (md: string) => md.split('\n').filter((l) => l.startsWith('| ')).map((l) => l.split(/(?<!\\)\|/).length);
        expect(rows(out.md)).toStrictEqual(rows(plain.md));
      }),
      { numRuns: 500 },
    );
  });
});
