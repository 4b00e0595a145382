import { execFileSync } from "node:child_process";
import { mkdir, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { tablesEntry } from "../../generators/drizzle-tables.js";
import { rbac } from "../../generators/rbac/index.js";
import { rbacOptions } from "../../generators/rbac/schema.js";
import { BulwarkError } from "../../src/errors.js";
import { defineGenerator, type FileIntent } from "../../src/generator.js";
import { plan } from "../../src/index.js";
import {
  diskWorkspace,
  memoryWorkspace,
  targetContext,
  type Workspace,
} from "../../src/workspace.js";
import { snapshot, tempDir } from "../helpers/fs.js";
import { thrown } from "../helpers/errors.js";

/** A generator that reads one path of the target through its workspace and writes what it found. */
const reader = defineGenerator({
  name: "reader",
  description: "Reads a path of the target.",
  options: z.strictObject({
    read: z.string().describe("Path to read."),
    how: z
      .enum(["read", "exists", "list"])
      .default("read")
      .describe("Which method."),
  }),
  example: { read: "x" },
  normalize: (parsed, { workspace }) => ({
    found: JSON.stringify(workspace[parsed.how](parsed.read) ?? null),
  }),
  files: (options): FileIntent[] => [
    { kind: "content", path: "found.txt", content: `${options.found}\n` },
  ],
});

/** A target next to a folder outside it that holds a secret. */
async function targetAndOutside(): Promise<{
  target: string;
  outside: string;
}> {
  const root = await tempDir();
  const target = path.join(root, "svc");
  const outside = path.join(root, "outside");
  await mkdir(target);
  await mkdir(outside);
  await writeFile(path.join(outside, "secret.txt"), "secret\n");
  return { target, outside };
}

describe("the workspace a generator reads the target through", () => {
  it.each([
    ["a parent segment", "../outside/secret.txt"],
    ["a parent segment inside", "src/../../outside/secret.txt"],
    ["an absolute path", "/etc/passwd"],
    ["a NUL byte", "secret.txt\u0000.yaml"],
    ["a backslash", "..\\outside\\secret.txt"],
    ["a drive letter", "C:/x"],
    ["an empty path", ""],
    ['a "." segment', "./secret.txt"],
  ])(
    "refuses %s with E_PATH_UNSAFE, through plan, and writes nothing",
    async (_what, bad) => {
      const { target } = await targetAndOutside();
      for (const how of ["read", "exists", "list"] as const) {
        const error = await plan(
          reader,
          { read: bad, how },
          { cwd: target },
        ).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(BulwarkError);
        expect(error).toMatchObject({ code: "E_PATH_UNSAFE" });
      }
      expect(await snapshot(target)).toStrictEqual({});
    },
  );

  it("refuses to read, test or list through a planted symbolic link that leaves the target", async () => {
    const { target, outside } = await targetAndOutside();
    await symlink(outside, path.join(target, "drizzle"));
    await symlink(
      path.join(outside, "secret.txt"),
      path.join(target, "permissions.yaml"),
    );
    const ws = diskWorkspace(target);
    for (const run of [
      () => ws.read("drizzle/secret.txt"),
      () => ws.exists("drizzle/secret.txt"),
      // Nothing is there, but the answer would still tell what is outside.
      () => ws.exists("drizzle/missing/deeper.txt"),
      () => ws.list("drizzle"),
      () => ws.read("permissions.yaml"),
      () => ws.readBytes("permissions.yaml"),
    ]) {
      expect(thrown(run)).toMatchObject({ code: "E_PATH_UNSAFE" });
    }
    const error = await plan(
      reader,
      { read: "permissions.yaml" },
      { cwd: target },
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: "E_PATH_UNSAFE",
      details: { path: "permissions.yaml" },
    });
  });

  it("refuses a link that leads nowhere, and a target reached through a link is still its own inside", async () => {
    const { target } = await targetAndOutside();
    await symlink(
      path.join(target, "gone"),
      path.join(target, "dangling.yaml"),
    );
    expect(
      thrown(() => diskWorkspace(target).read("dangling.yaml")),
    ).toMatchObject({ code: "E_PATH_UNSAFE" });

    await mkdir(path.join(target, "real"));
    await writeFile(path.join(target, "real", "a.txt"), "a\n");
    await symlink(path.join(target, "real"), path.join(target, "alias"));
    const alias = path.join(path.dirname(target), "alias-of-svc");
    await symlink(target, alias);
    for (const ws of [diskWorkspace(target), diskWorkspace(alias)]) {
      expect(ws.read("alias/a.txt")).toBe("a\n");
      expect(ws.exists("real")).toBe(true);
      expect(ws.list("alias")).toStrictEqual(["a.txt"]);
      expect(ws.list(".")).toStrictEqual(["alias", "dangling.yaml", "real"]);
    }
  });

  it("reads nothing from a target that does not exist yet, or under a file", async () => {
    const ws = diskWorkspace(path.join(await tempDir(), "not-yet"));
    expect(ws.exists(".")).toBe(false);
    expect(ws.read("package.json")).toBeUndefined();
    expect(ws.list(".")).toStrictEqual([]);
    const { target } = await targetAndOutside();
    await writeFile(path.join(target, "file"), "x");
    expect(diskWorkspace(target).read("file/below")).toBeUndefined();
    expect(diskWorkspace(target).list("file")).toStrictEqual([]);
  });

  it("refuses to read a directory or a FIFO (which would never end) as a file, with E_TARGET_INVALID", async () => {
    const { target } = await targetAndOutside();
    await mkdir(path.join(target, "dir.yaml"));
    execFileSync("mkfifo", [path.join(target, "pipe.yaml")]);
    expect(thrown(() => diskWorkspace(target).read("dir.yaml"))).toMatchObject({
      code: "E_TARGET_INVALID",
    });
    expect(thrown(() => diskWorkspace(target).read("pipe.yaml"))).toMatchObject(
      { code: "E_TARGET_INVALID" },
    );
  });

  it("in memory: the same paths are refused, and exists, read and list answer as on disk", async () => {
    const files = {
      "package.json": "{}\n",
      "drizzle/meta/_journal.json": '{"entries":[]}\n',
      "drizzle/0000_init.sql": "SELECT 1;\n",
    };
    const { target } = await targetAndOutside();
    for (const [name, content] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(target, name)), { recursive: true });
      await writeFile(path.join(target, name), content);
    }
    const answers = (ws: Workspace) => ({
      root: ws.list("."),
      drizzle: ws.list("drizzle"),
      missing: ws.list("nope"),
      journal: ws.read("drizzle/meta/_journal.json"),
      absent: ws.read("drizzle/meta/0000_snapshot.json"),
      dir: ws.exists("drizzle/meta"),
      file: ws.exists("package.json"),
      no: ws.exists("src"),
    });
    expect(answers(memoryWorkspace(files))).toStrictEqual(
      answers(diskWorkspace(target)),
    );
    expect(
      thrown(() => memoryWorkspace(files).read("../outside/secret.txt")),
    ).toMatchObject({ code: "E_PATH_UNSAFE" });
    expect(thrown(() => memoryWorkspace(files).read("drizzle"))).toMatchObject({
      code: "E_TARGET_INVALID",
    });
  });
});

describe("generators read through the workspace", () => {
  const SPEC =
    "version: 1\nresources:\n  invoice:\n    attributes: { amount: number }\n    actions: [read]\nroles:\n  auditor:\n    grants: [{ resource: invoice, actions: [read] }]\n";

  it("rbac still reads the permission spec in the target", async () => {
    const { target } = await targetAndOutside();
    await writeFile(path.join(target, "permissions.yaml"), SPEC);
    const options = rbac.normalize(
      rbacOptions.parse({}),
      targetContext(target),
    );
    expect(Object.keys(options.permissions.resources)).toStrictEqual([
      "invoice",
    ]);
    expect(options.writeSpec).toBe(false);
    // The same from memory: the engine decides where the bytes come from, not the generator.
    const inMemory = rbac.normalize(rbacOptions.parse({}), {
      target,
      workspace: memoryWorkspace({ "permissions.yaml": SPEC }),
    });
    expect(inMemory.permissions).toStrictEqual(options.permissions);
  });

  it("rbac refuses a permission spec that is a link out of the target, naming the option", async () => {
    const { target, outside } = await targetAndOutside();
    await writeFile(path.join(outside, "permissions.yaml"), SPEC);
    await symlink(
      path.join(outside, "permissions.yaml"),
      path.join(target, "permissions.yaml"),
    );
    expect(
      thrown(() =>
        rbac.normalize(rbacOptions.parse({}), targetContext(target)),
      ),
    ).toMatchObject({
      code: "E_PATH_UNSAFE",
      details: { option: "spec", path: "permissions.yaml" },
    });
  });

  it("the drizzle snapshot reader refuses a drizzle/ that is a link out of the target", async () => {
    const { target, outside } = await targetAndOutside();
    await mkdir(path.join(outside, "meta"));
    await writeFile(
      path.join(outside, "meta", "_journal.json"),
      '{"entries":[]}',
    );
    await symlink(outside, path.join(target, "drizzle"));
    expect(
      thrown(() =>
        tablesEntry(targetContext(target), "rbac", ["drizzle/rbac"], {}),
      ),
    ).toMatchObject({ code: "E_PATH_UNSAFE" });
  });
});
