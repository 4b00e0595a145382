import { lstat, mkdtemp, readdir, readFile, readlink, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const created: string[] = [];

/** A fresh directory under the OS temp dir, removed after the test file (test/setup.ts). */
export async function tempDir(prefix = 'bulwark-test-'): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  created.push(dir);
  return dir;
}

export async function removeTempDirs(): Promise<void> {
  await Promise.all(created.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/**
 * Every entry under a directory with its content (files) or a marker
 * (directories): two snapshots are equal only if nothing was added, removed
 * or changed.
 */
export async function snapshot(root: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  const info = await lstat(root).catch(() => undefined);
  if (info === undefined) return { '.': '<missing>' };
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      const rel = path.relative(root, full);
      if (entry.isSymbolicLink()) {
        result[rel] = `<link:${await readlink(full)}>`;
      } else if (entry.isDirectory()) {
        result[`${rel}/`] = '<dir>';
        await walk(full);
      } else {
        const mode = ((await lstat(full)).mode & 0o777).toString(8);
        result[rel] = `${mode}:${await readFile(full, 'utf8')}`;
      }
    }
  };
  await walk(root);
  return result;
}
