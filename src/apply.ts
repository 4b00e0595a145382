import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, open, readFile, rename, rm, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BulwarkError, toBulwarkError } from './errors.js';
import { MANIFEST_PATH, sha256 } from './manifest.js';
import { assertConfined, assertEngineDirSafe } from './paths.js';
import type { FileStatus, Plan, PlannedFile } from './plan.js';

export interface FileReport {
  readonly path: string;
  readonly status: FileStatus;
  readonly sha256: string;
  readonly previousSha256?: string;
  readonly reason?: string;
  readonly keptAs?: string;
}

export interface ApplyResult {
  readonly generator: string;
  readonly target: string;
  readonly files: readonly FileReport[];
  /** Whether .bulwark/manifest.json was written. */
  readonly manifestWritten: boolean;
}

/** A step of an apply, as seen by a test that injects a failure into it. */
export interface ApplyStep {
  readonly kind: 'stage' | 'place';
  readonly path: string;
  readonly index: number;
}

export interface ApplyOptions {
  /** Called before each step; a throw here is handled like a disk failure. For tests. */
  readonly beforeStep?: (step: ApplyStep) => void | Promise<void>;
}

export function reportOf(file: PlannedFile): FileReport {
  return {
    path: file.path,
    status: file.status,
    sha256: file.sha256,
    ...(file.previousSha256 === undefined ? {} : { previousSha256: file.previousSha256 }),
    ...(file.reason === undefined ? {} : { reason: file.reason }),
    ...(file.keptAs === undefined ? {} : { keptAs: file.keptAs }),
  };
}

/**
 * Writes a plan, all or nothing. Every new file is first written into a
 * staging directory inside the target (same disk, so renames are atomic),
 * then moved into place; files it replaces are moved aside, not deleted. If
 * any step fails, every step already taken is undone in reverse and the
 * target is left as it was, down to the directories.
 */
export async function apply(p: Plan, options: ApplyOptions = {}): Promise<ApplyResult> {
  const conflicts = p.files.filter((f) => f.status === 'conflict');
  if (conflicts.length > 0) throw conflictError(conflicts.map((f) => ({ option: f.path, message: f.reason ?? 'conflict' })));

  const changes = p.files.filter((f) => f.status === 'created' || f.status === 'updated');
  const manifestChanged = p.manifest.before !== p.manifest.after;
  const result: ApplyResult = { generator: p.generator, target: p.target, files: p.files.map(reportOf), manifestWritten: manifestChanged };
  if (changes.length === 0 && !manifestChanged) return result;

  const writes = [...changes.map((f) => ({ path: f.path, content: f.content, previousSha256: f.previousSha256 }))];
  if (manifestChanged) {
    writes.push({
      path: MANIFEST_PATH,
      content: p.manifest.after,
      previousSha256: p.manifest.before === undefined ? undefined : sha256(p.manifest.before),
    });
  }

  const undo: (() => Promise<void>)[] = [];
  const createdDirs: string[] = [];
  const bulwarkDir = path.join(p.target, '.bulwark');
  let lockHeld = false;
  let scratch: string | undefined;
  try {
    await assertEngineDirSafe(p.target);
    await mkdirTracked(bulwarkDir, createdDirs);
    const lock = path.join(bulwarkDir, 'lock');
    try {
      await (await open(lock, 'wx')).close();
      lockHeld = true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      throw new BulwarkError('E_TARGET_LOCKED', `Another bulwark run holds ${p.target}.`, {
        path: '.bulwark/lock',
        fix: 'Wait for it to finish; if none is running, delete .bulwark/lock.',
      });
    }
    await assertDiskMatchesPlan(p.target, writes);

    scratch = path.join(bulwarkDir, `tmp-${randomBytes(6).toString('hex')}`);
    await mkdir(path.join(scratch, 'staged'), { recursive: true });
    await mkdir(path.join(scratch, 'replaced'), { recursive: true });
    for (const [index, write] of writes.entries()) {
      await options.beforeStep?.({ kind: 'stage', path: write.path, index });
      await writeFile(path.join(scratch, 'staged', String(index)), write.content);
    }
    for (const [index, write] of writes.entries()) {
      await options.beforeStep?.({ kind: 'place', path: write.path, index });
      const final = path.join(p.target, write.path);
      const staged = path.join(scratch, 'staged', String(index));
      await mkdirTracked(path.dirname(final), createdDirs);
      // The disk may have changed since the plan (a prompt can stay open for minutes): check again.
      await assertConfined(p.target, write.path);
      if (write.previousSha256 === undefined) {
        // Same mode whatever the umask; link() fails if a file appeared meanwhile, where rename() would overwrite it.
        await chmod(staged, 0o644);
        await link(staged, final).catch((error: unknown) => {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
          throw conflictError([{ option: write.path, message: 'appeared on disk after the plan was made' }]);
        });
        undo.push(() => unlink(final));
        continue;
      }
      const aside = path.join(scratch, 'replaced', String(index));
      await chmod(staged, (await stat(final)).mode & 0o7777);
      await rename(final, aside);
      undo.push(() => rename(aside, final));
      // What was moved aside must be what the plan saw, or someone saved it meanwhile.
      if (sha256(await readFile(aside)) !== write.previousSha256) {
        throw conflictError([{ option: write.path, message: 'changed on disk after the plan was made' }]);
      }
      await rename(staged, final);
      undo.push(() => unlink(final));
    }
  } catch (error) {
    for (const step of undo.reverse()) await step().catch(() => undefined);
    if (scratch !== undefined) await rm(scratch, { recursive: true, force: true }).catch(() => undefined);
    if (lockHeld) await rm(path.join(bulwarkDir, 'lock'), { force: true }).catch(() => undefined);
    for (const dir of createdDirs.reverse()) await rmdir(dir).catch(() => undefined);
    if (error instanceof BulwarkError && error.code !== 'E_INTERNAL') throw error;
    const cause = toBulwarkError(error);
    throw new BulwarkError('E_APPLY_FAILED', `Writing to ${p.target} failed and was rolled back: ${cause.message.replace(/^Unexpected error: /, '')}`, {
      fix: 'Nothing was changed. Fix the cause (disk space, permissions) and run again.',
    }, { cause: error });
  }
  // Everything is in place: a failure to tidy up must not leave the target locked.
  await rm(scratch, { recursive: true, force: true }).catch(() => undefined);
  await rm(path.join(bulwarkDir, 'lock'), { force: true });
  return result;
}

function conflictError(issues: { option: string; message: string }[]): BulwarkError {
  return new BulwarkError('E_TARGET_CONFLICT', `${issues.length} file(s) would overwrite changes bulwark did not make: ${issues.map((i) => i.option).join(', ')}.`, {
    ...(issues[0] ? { path: issues[0].option } : {}),
    issues,
    fix: 'Review the diff with --dry-run; keep your version (do nothing), or re-run with --force to write bulwark\'s and keep yours beside it as <file>.orig.',
  });
}

/** Refuses to write if the disk changed between plan and apply. */
async function assertDiskMatchesPlan(target: string, writes: readonly { path: string; previousSha256: string | undefined }[]): Promise<void> {
  const moved: { option: string; message: string }[] = [];
  await Promise.all(
    writes.map(async (write) => {
      const now = await readFile(path.join(target, write.path)).then(sha256, () => undefined);
      if (now !== write.previousSha256) moved.push({ option: write.path, message: 'changed on disk after the plan was made' });
    }),
  );
  if (moved.length > 0) throw conflictError(moved);
}

/** mkdir -p that remembers which directories it created, so a rollback can remove them. */
async function mkdirTracked(dir: string, created: string[]): Promise<void> {
  const missing: string[] = [];
  for (let current = dir; ; current = path.dirname(current)) {
    const info = await stat(current).catch(() => undefined);
    if (info !== undefined) {
      if (!info.isDirectory()) {
        throw new BulwarkError('E_TARGET_INVALID', `${current} is a file where bulwark needs a directory.`, {
          path: current,
          fix: `Move ${current} out of the way.`,
        });
      }
      break;
    }
    missing.unshift(current);
    if (path.dirname(current) === current) break;
  }
  for (const m of missing) {
    await mkdir(m);
    created.push(m);
  }
}
