import { validate } from "@cedar-policy/cedar-wasm/nodejs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import fc from "fast-check";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import {
  cedarPolicies,
  cedarSchema,
  compile,
  permissionsMarkdown,
  permissionsModule,
  recordsModule,
} from "../../generators/rbac/compile.js";
import { rbac } from "../../generators/rbac/index.js";
import { rbacOptions } from "../../generators/rbac/schema.js";
import { parseSpecFile, specText } from "../../generators/rbac/spec-file.js";
import {
  permissionSpec,
  semanticIssues,
  starterSpec,
  type PermissionSpecInput,
} from "../../generators/rbac/spec.js";
import type { BulwarkError } from "../../src/errors.js";
import { MAX_INPUT_BYTES, resolveOptions } from "../../src/options.js";
import { tempDir } from "../helpers/fs.js";
import { targetContext } from "../../src/workspace.js";
import { thrown } from "../helpers/errors.js";

/** The kinds of every node of a TypeScript file, in order, and its parse errors. */
function syntaxShape(code: string): { kinds: string[]; errors: number } {
  const file = ts.createSourceFile(
    "permissions.ts",
    code,
    ts.ScriptTarget.Latest,
    false,
    ts.ScriptKind.TS,
  );
  const kinds: string[] = [];
  const visit = (node: ts.Node): void => {
    kinds.push(ts.SyntaxKind[node.kind]);
    node.forEachChild(visit);
  };
  visit(file);
  return {
    kinds,
    errors: (file as unknown as { parseDiagnostics: readonly unknown[] })
      .parseDiagnostics.length,
  };
}

/** Any text, with what ends lines, comments and strings, or hides code, well represented. */
const hostile = fc
  .array(
    fc.oneof(
      fc.string({ unit: "binary", maxLength: 8 }),
      fc.constantFrom(
        "\n",
        "\r",
        "\u000b",
        "\u000c",
        "\u0085",
        "\u2028",
        "\u2029",
        "\0",
        "\ud800",
        "\udc00",
        "*/",
        "/*",
        "//",
        "-->",
        "`",
        "${",
        '"',
        "|",
        "\\",
      ),
      fc.constantFrom(
        "\u202a",
        "\u202b",
        "\u202c",
        "\u202d",
        "\u202e",
        "\u2066",
        "\u2067",
        "\u2068",
        "\u2069",
        "\u200b",
        "\u200e",
        "\u200f",
        "\u061c",
        "\ufeff",
      ),
    ),
    { maxLength: 8 },
  )
  .map((parts) => parts.join("").slice(0, 200));

const INVISIBLE = /[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/;
const LONE_SURROGATE =
  /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function withDescriptions(description: string): PermissionSpecInput {
  const spec = starterSpec(["invoice"]) as {
    resources: Record<string, { description?: string }>;
    roles: Record<string, { description?: string }>;
  };
  for (const r of Object.values(spec.resources)) r.description = description;
  for (const r of Object.values(spec.roles)) r.description = description;
  return spec as PermissionSpecInput;
}

function render(description: string): { ts: string; md: string } {
  const written = withDescriptions(description);
  const compiled = compile(permissionSpec.parse(written), written);
  return { ts: permissionsModule(compiled), md: permissionsMarkdown(compiled) };
}

describe("descriptions in the permission spec cannot become code", () => {
  const plain = render("plain");
  const plainShape = syntaxShape(plain.ts);

  it("the role description of issue 13 (U+2028 ends a // comment) stays a comment", () => {
    const out = render("\u2028(process.exit(7)),\u2028//").ts;
    expect(syntaxShape(out)).toStrictEqual(plainShape);
    expect(out).not.toMatch(/[\u2028\u2029]/);
  });

  it("permissions.ts parses to the same syntax tree with any description; PERMISSIONS.md keeps its lines (property)", () => {
    fc.assert(
      fc.property(hostile, (description) => {
        const out = render(description);
        expect(syntaxShape(out.ts)).toStrictEqual(plainShape);
        expect(out.ts).not.toMatch(INVISIBLE);
        expect(out.md.split("\n")).toHaveLength(plain.md.split("\n").length);
        expect(out.md).not.toMatch(INVISIBLE);
        expect(out.md).not.toMatch(LONE_SURROGATE);
        // A description cannot add a column to a table row.
        const rows = (md: string) =>
          md
            .split("\n")
            .filter((l) => l.startsWith("| "))
            .map((l) => l.split(/(?<!\\)\|/).length);
        expect(rows(out.md)).toStrictEqual(rows(plain.md));
      }),
      { numRuns: 500 },
    );
  });
});

/** The issues semanticIssues finds in a spec, by path. */
function issuesOf(input: unknown): { option: string; message: string }[] {
  return semanticIssues(permissionSpec.parse(input));
}

const base = (): {
  version: 1;
  resources: Record<string, unknown>;
  roles: Record<string, unknown>;
} => ({
  version: 1,
  resources: {
    invoice: { attributes: { amount: "number" }, actions: ["read", "delete"] },
  },
  roles: { member: { grants: [{ resource: "invoice", actions: ["read"] }] } },
});

const name = fc
  .stringMatching(/^[a-z][a-zA-Z0-9]{0,6}$/)
  .filter((n) => !["constructor", "valueOf", "toString"].includes(n));

/** Specs as a user or bulwark writes them, with lists shared between resources (YAML would anchor them). */
const writtenSpec = fc
  .tuple(
    fc.uniqueArray(name, {
      minLength: 1,
      maxLength: 4,
      selector: (n) => n.toLowerCase(),
    }),
    fc.array(fc.uniqueArray(name, { minLength: 1, maxLength: 3 }), {
      minLength: 1,
      maxLength: 3,
    }),
    fc.uniqueArray(name, {
      minLength: 1,
      maxLength: 3,
      selector: (n) => n.toLowerCase(),
    }),
    fc.array(fc.nat(), { minLength: 4, maxLength: 4 }),
    fc.option(hostile, { nil: undefined }),
  )
  .map(([resources, actionLists, roles, picks, description]) => {
    const attributes = { title: "string" as const };
    return {
      version: 1 as const,
      resources: Object.fromEntries(
        resources.map((r, i) => {
          // The same array and object instances in several places, as starterSpec writes them.
          const actions = actionLists[
            (picks[i % 4] ?? 0) % actionLists.length
          ] as string[];
          return [
            r,
            {
              ...(description === undefined ? {} : { description }),
              attributes,
              actions,
            },
          ];
        }),
      ),
      roles: Object.fromEntries(
        roles.map((role) => [
          role,
          {
            grants: resources.map((r) => ({
              resource: r,
              actions: [(actionLists[0] as string[])[0] as string],
            })),
          },
        ]),
      ),
    };
  });

describe("the permission spec file bulwark writes, it reads back", () => {
  it("a starter spec with two resources (their actions are one shared list) reads back as written", () => {
    const written = starterSpec(["invoice", "order"]);
    const text = specText("permissions.yaml", written);
    expect(text).not.toMatch(/[&*]a\d/);
    expect(
      parseSpecFile("permissions.yaml", new TextEncoder().encode(text)),
    ).toStrictEqual(JSON.parse(JSON.stringify(written)));
  });

  it("write then read gives the same spec, in YAML and in JSON (property)", () => {
    fc.assert(
      fc.property(
        writtenSpec,
        fc.constantFrom(
          "permissions.yaml",
          "authz/spec.yml",
          "permissions.json",
        ),
        (written, file) => {
          const read = parseSpecFile(
            file,
            new TextEncoder().encode(specText(file, written)),
          );
          expect(read).toStrictEqual(JSON.parse(JSON.stringify(written)));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("names in the permission spec: each works or is refused, naming the entry", () => {
  it.each([
    [
      "resources that differ only in case (fooBar, foobar)",
      (s: ReturnType<typeof base>) => {
        s.resources["fooBar"] = {
          attributes: { a: "string" },
          actions: ["read"],
        };
        s.resources["foobar"] = {
          attributes: { a: "string" },
          actions: ["read"],
        };
      },
      "resources.foobar",
    ],
    [
      "roles that differ only in case",
      (s: ReturnType<typeof base>) => {
        s.roles["fooBar"] = {};
        s.roles["foobar"] = {};
      },
      "roles.foobar",
    ],
    [
      'a resource "user" (Cedar already has User)',
      (s: ReturnType<typeof base>) => {
        s.resources["user"] = {
          attributes: { a: "string" },
          actions: ["read"],
        };
      },
      "resources.user",
    ],
    [
      'a resource "set" (a Cedar type)',
      (s: ReturnType<typeof base>) => {
        s.resources["set"] = { attributes: { a: "string" }, actions: ["read"] };
      },
      "resources.set",
    ],
    [
      'a resource "any" (AnyResource is taken)',
      (s: ReturnType<typeof base>) => {
        s.resources["any"] = { attributes: { a: "string" }, actions: ["read"] };
      },
      "resources.any",
    ],
    [
      "a spec in which no resource has an attribute",
      (s: ReturnType<typeof base>) => {
        s.resources = { note: { actions: ["read"] } };
      },
      "resources.note.attributes",
    ],
    [
      'a resource "constructor"',
      (s: ReturnType<typeof base>) => {
        s.resources["constructor"] = {
          attributes: { a: "string" },
          actions: ["read"],
        };
      },
      "resources.constructor",
    ],
    [
      'a role "toString"',
      (s: ReturnType<typeof base>) => {
        s.roles["toString"] = {};
      },
      "roles.toString",
    ],
    [
      'an action "valueOf"',
      (s: ReturnType<typeof base>) => {
        s.resources["note"] = {
          attributes: { a: "string" },
          actions: ["valueOf"],
        };
      },
      "resources.note.actions",
    ],
    [
      'an attribute "hasOwnProperty"',
      (s: ReturnType<typeof base>) => {
        s.resources["note"] = {
          attributes: { hasOwnProperty: "string" },
          actions: ["read"],
        };
      },
      "resources.note.attributes.hasOwnProperty",
    ],
    [
      'an attribute reserved in Cedar ("in")',
      (s: ReturnType<typeof base>) => {
        s.resources["note"] = {
          attributes: { in: "string" },
          actions: ["read"],
        };
      },
      "resources.note.attributes.in",
    ],
    [
      "an attribute the records table has already (createdAt)",
      (s: ReturnType<typeof base>) => {
        s.resources["note"] = {
          attributes: { createdAt: "string" },
          actions: ["read"],
        };
      },
      "resources.note.attributes.createdAt",
    ],
    [
      "attributes that differ only in case",
      (s: ReturnType<typeof base>) => {
        s.resources["note"] = {
          attributes: { dueAt: "string", dueat: "string" },
          actions: ["read"],
        };
      },
      "resources.note.attributes.dueat",
    ],
    [
      "a resource name too long for its PostgreSQL tables",
      (s: ReturnType<typeof base>) => {
        s.resources[`a${"B".repeat(40)}`] = {
          attributes: { a: "string" },
          actions: ["read"],
        };
      },
      `resources.a${"B".repeat(40)}`,
    ],
  ])("refuses %s", (_what, edit, option) => {
    const spec = base();
    edit(spec);
    expect(issuesOf(spec).map((i) => i.option)).toContain(option);
  });

  it.each([
    [
      "YAML",
      "permissions.yaml",
      "version: 1\nresources:\n  invoice: {attributes: {a: string}, actions: [read]}\nroles:\n  __proto__: {grants: []}\n",
    ],
    [
      "JSON",
      "permissions.json",
      '{"version":1,"resources":{"__proto__":{"actions":["read"]}},"roles":{}}',
    ],
  ])(
    "refuses __proto__ as a name in a %s spec file instead of dropping it",
    (_format, file, text) => {
      const error = thrown(() =>
        parseSpecFile(file, new TextEncoder().encode(text)),
      );
      expect(error).toMatchObject({ code: "E_PERMISSIONS_INVALID" });
      expect((error as BulwarkError).details.option).toMatch(/__proto__$/);
    },
  );

  it("refuses __proto__ anywhere in options (--spec, the API) instead of dropping it", () => {
    const raw = JSON.parse(
      '{"permissions":{"version":1,"resources":{"invoice":{"attributes":{"a":"string"},"actions":["read"]}},"roles":{"__proto__":{}}}}',
    ) as unknown;
    const error = thrown(() =>
      resolveOptions(rbac, raw, targetContext("/nonexistent")),
    );
    expect(error).toMatchObject({
      code: "E_SPEC_INVALID",
      details: { option: "permissions.roles.__proto__" },
    });
  });

  it("refuses a spec file that is not UTF-8, naming the byte, instead of writing U+FFFD into code", () => {
    const bytes = new Uint8Array([
      ...new TextEncoder().encode("version: 1\n# caf"),
      0xe9,
      0x0a,
    ]);
    expect(() => parseSpecFile("permissions.yaml", bytes)).toThrow(
      expect.objectContaining({
        code: "E_PERMISSIONS_INVALID",
        message: expect.stringContaining("byte 16, 0xE9") as unknown,
      }),
    );
    expect(() =>
      parseSpecFile("permissions.yaml", new Uint8Array([0x61, 0xff, 0x62])),
    ).toThrow(
      expect.objectContaining({
        message: expect.stringContaining("byte 1, 0xFF") as unknown,
      }),
    );
    expect(() =>
      parseSpecFile("permissions.yaml", new Uint8Array([0x61, 0xf0, 0x9f])),
    ).toThrow(
      expect.objectContaining({
        message: expect.stringContaining("byte 1, 0xF0") as unknown,
      }),
    );
  });

  it("refuses a permission spec file larger than bulwark reads, or one that is not a file, before reading it", async () => {
    const target = await tempDir();
    await writeFile(
      path.join(target, "permissions.yaml"),
      `# ${"x".repeat(MAX_INPUT_BYTES)}\n`,
    );
    const parsed = rbacOptions.parse({});
    expect(
      thrown(() => rbac.normalize(parsed, targetContext(target))),
    ).toMatchObject({ code: "E_SPEC_TOO_LARGE", details: { option: "spec" } });
    await mkdir(path.join(target, "dir.yaml"));
    expect(
      thrown(() =>
        rbac.normalize({ ...parsed, spec: "dir.yaml" }, targetContext(target)),
      ),
    ).toMatchObject({ code: "E_PERMISSIONS_INVALID" });
  });

  it("names that are keywords of TypeScript and SQL work: permissions.ts and record-tables.ts parse, Cedar validates", () => {
    const written = {
      version: 1,
      resources: {
        select: {
          attributes: {
            order: "string",
            default: "number",
            class: "boolean",
            from: "string",
          },
          actions: ["delete", "new", "import"],
        },
        table: {
          global: true,
          attributes: { where: "string" },
          actions: ["read"],
        },
      },
      roles: {
        public: {
          grants: [
            {
              resource: "select",
              actions: ["delete"],
              when: [
                { kind: "attribute", attribute: "default", op: "gt", value: 1 },
              ],
            },
          ],
        },
        function: {
          grants: [
            { resource: "table", actions: ["read"] },
            {
              resource: "select",
              actions: ["new", "import"],
              when: [
                { kind: "attribute", attribute: "order", op: "eq", value: "x" },
              ],
            },
          ],
        },
      },
    };
    const spec = permissionSpec.parse(written);
    expect(semanticIssues(spec)).toStrictEqual([]);
    const compiled = compile(spec, written);
    expect(syntaxShape(permissionsModule(compiled)).errors).toBe(0);
    expect(syntaxShape(recordsModule(compiled)).errors).toBe(0);
    const answer = validate({
      schema: cedarSchema(compiled),
      policies: { staticPolicies: cedarPolicies(compiled) },
    });
    expect(answer).toMatchObject({ type: "success", validationErrors: [] });
  });

  it('Cedar itself refuses what the spec refuses: an entity type User twice, an attribute named "in"', () => {
    const userTwice = "entity User = {};\nentity User = {};\n";
    expect(
      validate({ schema: userTwice, policies: { staticPolicies: "" } }).type,
    ).not.toBe("success");
    const reserved = "entity User = {};\nentity Note = { in: String };\n";
    expect(
      validate({ schema: reserved, policies: { staticPolicies: "" } }).type,
    ).not.toBe("success");
  });
});
