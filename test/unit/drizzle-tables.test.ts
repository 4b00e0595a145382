import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  registerTables,
  tablesEntry,
} from "../../generators/drizzle-tables.js";
import { targetContext } from "../../src/workspace.js";

const target = mkdtempSync(path.join(tmpdir(), "bulwark-tables-"));
afterAll(() => {
  rmSync(target, { recursive: true, force: true });
});

function service(tables: Record<string, unknown>): void {
  const meta = path.join(target, "drizzle", "meta");
  mkdirSync(meta, { recursive: true });
  writeFileSync(
    path.join(meta, "_journal.json"),
    JSON.stringify({
      version: "7",
      dialect: "postgresql",
      entries: [
        {
          idx: 0,
          version: "7",
          when: 1000,
          tag: "0000_tenants",
          breakpoints: true,
        },
      ],
    }),
  );
  writeFileSync(
    path.join(meta, "0000_snapshot.json"),
    JSON.stringify({ id: "a", prevId: "", version: "7", tables }),
  );
}

describe("tablesEntry", () => {
  it("appends an entry whose snapshot is the latest plus the module tables it lacks, and whose SQL runs nothing", () => {
    service({ "public.tenants": { name: "tenants" } });
    const entry = tablesEntry(targetContext(target), "rbac", ["drizzle/rbac"], {
      "public.tenants": { name: "changed" },
      "public.role_assignments": { name: "role_assignments" },
    });
    expect(entry?.journalEntry).toStrictEqual({
      idx: 1,
      version: "7",
      when: 2000,
      tag: "0001_rbac_tables",
      breakpoints: true,
    });
    const snapshot = JSON.parse(entry?.snapshot ?? "{}") as {
      id: string;
      prevId: string;
      tables: Record<string, unknown>;
    };
    expect(snapshot.prevId).toBe("a");
    // A table already recorded is never rewritten: its change is the user's migration.
    expect(snapshot.tables).toStrictEqual({
      "public.role_assignments": { name: "role_assignments" },
      "public.tenants": { name: "tenants" },
    });
    expect(entry?.sql).toMatch(/SELECT 1;\n$/);
    expect(
      entry?.sql
        .split("\n")
        .filter((line) => line !== "" && !line.startsWith("--")),
    ).toStrictEqual(["SELECT 1;"]);
    // Same target, same bytes.
    expect(
      tablesEntry(targetContext(target), "rbac", ["drizzle/rbac"], {
        "public.role_assignments": { name: "role_assignments" },
      })?.snapshot,
    ).toBe(
      tablesEntry(targetContext(target), "rbac", ["drizzle/rbac"], {
        "public.role_assignments": { name: "role_assignments" },
      })?.snapshot,
    );
    const paths = registerTables(["src/authz/roles.ts"], entry).map(
      (intent) => intent.path,
    );
    expect(paths).toStrictEqual([
      "drizzle.config.ts",
      "drizzle/0001_rbac_tables.sql",
      "drizzle/meta/0001_snapshot.json",
      "drizzle/meta/_journal.json",
    ]);
  });

  it("adds nothing when the latest snapshot has every table, or the service has no snapshot for its latest migration", () => {
    service({ "public.role_assignments": {} });
    expect(
      tablesEntry(targetContext(target), "rbac", ["drizzle/rbac"], {
        "public.role_assignments": {},
      }),
    ).toBeUndefined();
    rmSync(path.join(target, "drizzle", "meta", "0000_snapshot.json"));
    expect(
      tablesEntry(targetContext(target), "rbac", ["drizzle/rbac"], { "public.other": {} }),
    ).toBeUndefined();
    expect(
      tablesEntry(
        targetContext(path.join(target, "nowhere")),
        "rbac",
        ["drizzle/rbac"],
        { "public.other": {} },
      ),
    ).toBeUndefined();
    expect(
      registerTables(["src/authz/roles.ts"], undefined).map(
        (intent) => intent.path,
      ),
    ).toStrictEqual(["drizzle.config.ts"]);
  });
});
