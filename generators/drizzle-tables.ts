import { createHash } from "node:crypto";
import type { FileIntent, GeneratorContext } from "../src/generator.js";

/**
 * How a module's tables become known to drizzle-kit. A module creates its
 * tables with a migration set of its own (drizzle/<module>/, applied after
 * the service's drizzle/), but drizzle-kit reads one folder: drizzle/, its
 * journal and the latest snapshot in drizzle/meta. So the module
 *
 * - lists the files that declare its tables in `SCHEMA_FILES` of
 *   drizzle.config.ts, and
 * - appends one entry to drizzle/'s journal whose snapshot is the latest
 *   one plus the module's tables, and whose SQL runs nothing (the module's
 *   own set creates them).
 *
 * Appending never rewrites a snapshot or migration the service already has
 * (the user's own ones included), so a module can be added at any time.
 */

/** Tables as drizzle-kit's snapshots record them, keyed `<schema>.<table>`. */
export type SnapshotTables = Readonly<Record<string, unknown>>;

/** What one module appends to drizzle/ (computed in normalize, which may read the target). */
export interface TablesEntry {
  readonly tag: string;
  readonly journalEntry: {
    readonly idx: number;
    readonly version: string;
    readonly when: number;
    readonly tag: string;
    readonly breakpoints: true;
  };
  readonly snapshot: string;
  readonly sql: string;
}

interface Journal {
  readonly entries: readonly {
    readonly idx: number;
    readonly when: number;
    readonly tag: string;
  }[];
}

interface Snapshot {
  readonly id: string;
  readonly tables: Readonly<Record<string, unknown>>;
  readonly [key: string]: unknown;
}

/**
 * The entry that records `tables` for drizzle-kit, or undefined when the
 * latest snapshot already has every one of them (the module ran before) or
 * the target has no snapshot for its latest migration (a service from before
 * snapshots were kept: its drift test says what to do).
 */
export function tablesEntry(
  context: GeneratorContext,
  module: string,
  folders: readonly string[],
  tables: SnapshotTables,
): TablesEntry | undefined {
  const { workspace } = context;
  const journalText = workspace.read("drizzle/meta/_journal.json");
  if (journalText === undefined) return undefined;
  const journal = JSON.parse(journalText) as Journal;
  const last = journal.entries.at(-1);
  const latestName = workspace
    .list("drizzle/meta")
    .filter((name) => name.endsWith("_snapshot.json"))
    .sort()
    .at(-1);
  if (
    last === undefined ||
    latestName !== `${last.tag.slice(0, 4)}_snapshot.json`
  )
    return undefined;
  const latest = JSON.parse(
    workspace.read(`drizzle/meta/${latestName}`) ?? "",
  ) as Snapshot;
  const missing = Object.keys(tables).filter(
    (key) => !Object.hasOwn(latest.tables, key),
  );
  if (missing.length === 0) return undefined;
  const added = Object.fromEntries(missing.map((key) => [key, tables[key]]));
  const idx = last.idx + 1;
  const tag = `${String(idx).padStart(4, "0")}_${module.replace(/-/g, "_")}_tables`;
  const id = snapshotId(latest.id, tag, added);
  const sortedTables = Object.fromEntries(
    Object.entries({ ...latest.tables, ...added }).sort(([a], [b]) =>
      a < b ? -1 : 1,
    ),
  );
  const snapshot = { ...latest, id, prevId: latest.id, tables: sortedTables };
  const names = missing.map((key) => key.replace(/^public\./, "")).join(", ");
  const sql = [
    `-- Nothing to run. This entry records the ${module} module's tables in drizzle-kit's`,
    `-- snapshot (meta/${tag.slice(0, 4)}_snapshot.json), so that \`npm run db:generate\` knows them.`,
    `-- The module's own migrations create them (${folders.map((folder) => `${folder}/`).join(", ")}),`,
    "-- applied by src/db/client.ts after this folder. Written by bulwark; do not edit.",
    `-- Tables: ${names}.`,
    "SELECT 1;",
    "",
  ].join("\n");
  return {
    tag,
    journalEntry: {
      idx,
      version: "7",
      when: last.when + 1000,
      tag,
      breakpoints: true,
    },
    snapshot: `${JSON.stringify(snapshot, null, 2)}\n`,
    sql,
  };
}

/** The intents: drizzle.config.ts lists `schemaFiles`; drizzle/ gets the entry, if any. */
export function registerTables(
  schemaFiles: readonly string[],
  entry: TablesEntry | undefined,
): FileIntent[] {
  return [
    {
      kind: "edit",
      path: "drizzle.config.ts",
      edits: schemaFiles.map((file) => ({
        op: "ensure-array-element" as const,
        variable: "SCHEMA_FILES",
        element: `'./${file}'`,
      })),
    },
    ...(entry === undefined
      ? []
      : [
          {
            kind: "content" as const,
            path: `drizzle/${entry.tag}.sql`,
            content: entry.sql,
          },
          {
            kind: "content" as const,
            path: `drizzle/meta/${entry.tag.slice(0, 4)}_snapshot.json`,
            content: entry.snapshot,
          },
          {
            kind: "json-merge" as const,
            path: "drizzle/meta/_journal.json",
            merge: {},
            append: { entries: [entry.journalEntry] },
          },
        ]),
  ];
}

/** A UUID-shaped id that depends only on what the snapshot adds: the same run writes the same bytes. */
function snapshotId(
  prevId: string,
  tag: string,
  tables: SnapshotTables,
): string {
  const hex = createHash("sha256")
    .update(`${prevId}\n${tag}\n${JSON.stringify(tables)}`)
    .digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
