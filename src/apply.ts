import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { chmod, link, lstat, mkdir, open, readdir, readFile, rename, rm, rmdir, stat, unlink, writeFile, type FileHandle } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { BulwarkError, toBulwarkError } from './errors.js';
import { sha256 } from './hash.js';
import { assertConfined, assertEngineDirSafe, MANIFEST_PATH } from './paths.js';
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
  /** Told of each sync and each change to the target, in order. For tests of what survives a power loss. */
  readonly trace?: (event: ApplyEvent) => void;
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

/** A signal that ended an apply: every step taken was undone, and the caller decides what the process does next. */
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Writes a plan, all or nothing. Every new file is first written into a
 * staging directory inside the target (same disk, so renames are atomic),
 * then moved into place; files it replaces are moved aside, not deleted. If
 * any step fails, or SIGINT, SIGTERM or SIGHUP arrives, every step already
 * taken is undone in reverse and the target is left as it was, down to the
 * directories.
 *
 * A process killed outright (SIGKILL, power loss) cannot undo anything
 * itself: the lock names its process, its boot and its staging directory,
 * and a journal there lists every step before the first is taken, so the
 * next run finds the lock stale and undoes the steps ({@link recover}).
 * Each thing a recovery relies on is synced to the disk before what depends
 * on it (see docs/cli.md, "Atomic writes").
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

  // A signal is noted, not obeyed, until the steps taken so far are undone.
  let signal: NodeJS.Signals | undefined;
  const onSignal = (received: NodeJS.Signals) => {
    signal ??= received;
  };
  for (const name of SIGNALS) process.on(name, onSignal);
  const checkpoint = () => {
    if (signal !== undefined) throw new Interrupted(signal);
  };
  const step = async (s: ApplyStep) => {
    checkpoint();
    await options.beforeStep?.(s);
    checkpoint();
  };

  const undo: (() => Promise<void>)[] = [];
  const createdDirs: string[] = [];
  const bulwarkDir = path.join(p.target, '.bulwark');
  const lock = path.join(bulwarkDir, 'lock');
  let lockHeld = false;
  let scratch: string | undefined;
  // Directories whose entries this run changed: synced before the journal goes, so that what it undid or did stays.
  const touched = new Set<string>();
  const trace = options.trace;
  try {
    await assertEngineDirSafe(p.target);
    await recover(p.target);
    await mkdirTracked(bulwarkDir, createdDirs);
    scratch = path.join(bulwarkDir, `tmp-${randomBytes(6).toString('hex')}`);
    await takeLock(lock, trace, {
      pid: process.pid,
      host: hostname(),
      ...(BOOT_ID === undefined ? {} : { boot: BOOT_ID }),
      scratch: path.basename(scratch),
      createdDirs: createdDirs.map((d) => path.relative(p.target, d)),
    });
    lockHeld = true;
    // The lock must outlive a power loss before anything it answers for is done: its data, then its name.
    await syncDirs([bulwarkDir, ...createdDirs.map((d) => path.dirname(d))], trace);
    checkpoint();
    await assertDiskMatchesPlan(p.target, writes);

    await mkdir(path.join(scratch, 'staged'), { recursive: true });
    await mkdir(path.join(scratch, 'replaced'), { recursive: true });
    for (const [index, write] of writes.entries()) {
      await step({ kind: 'stage', path: write.path, index });
      await writeFile(path.join(scratch, 'staged', String(index)), write.content);
    }
    // Every staged file's data, and their names, are on the disk before any of them has a name in the target:
    // all at once, so the disk commits them together.
    await Promise.all(writes.map((_, index) => syncFile(path.join(scratch as string, 'staged', String(index)), trace)));
    await syncDirs([path.join(scratch, 'staged'), path.join(scratch, 'replaced'), scratch, bulwarkDir], trace);

    // The journal lists every step that touches the target before the first is taken, and is on the disk
    // (synced once) before it is: from then until the commit, which removes it, a recovery can undo any of them.
    const missing = await missingDirs(p.target, writes.map((w) => path.dirname(path.join(p.target, w.path))));
    const entries: JournalEntry[] = [
      ...missing.map((dir): JournalEntry => ({ op: 'mkdir', path: path.relative(p.target, dir) })),
      ...writes.map((write, index): JournalEntry => ({ op: write.previousSha256 === undefined ? 'link' : 'replace', path: write.path, index })),
    ];
    await writeDurably(path.join(scratch, JOURNAL), entries.map((e) => `${JSON.stringify(e)}\n`).join(''), trace);
    await syncDirs([scratch], trace);

    for (const [index, write] of writes.entries()) {
      await step({ kind: 'place', path: write.path, index });
      const final = path.join(p.target, write.path);
      const staged = path.join(scratch, 'staged', String(index));
      await mkdirTracked(path.dirname(final), createdDirs, async (dir) => {
        touched.add(path.dirname(dir));
        trace?.({ op: 'mkdir', path: dir });
        await Promise.resolve();
      });
      // The disk may have changed since the plan (a prompt can stay open for minutes): check again.
      await assertConfined(p.target, write.path);
      touched.add(path.dirname(final));
      if (write.previousSha256 === undefined) {
        // Same mode whatever the umask; link() fails if a file appeared meanwhile, where rename() would overwrite it.
        await chmod(staged, 0o644);
        trace?.({ op: 'link', path: final });
        await link(staged, final).catch((error: unknown) => {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
          throw conflictError([{ option: write.path, message: 'appeared on disk after the plan was made' }]);
        });
        undo.push(() => unlink(final));
        continue;
      }
      const aside = path.join(scratch, 'replaced', String(index));
      await chmod(staged, (await stat(final)).mode & 0o7777);
      trace?.({ op: 'rename', path: final });
      await rename(final, aside);
      undo.push(() => rename(aside, final));
      // What was moved aside must be what the plan saw, or someone saved it meanwhile.
      if (sha256(await readFile(aside)) !== write.previousSha256) {
        throw conflictError([{ option: write.path, message: 'changed on disk after the plan was made' }]);
      }
      await rename(staged, final);
      undo.push(() => unlink(final));
    }
    checkpoint();
    // Every name placed is on the disk before the commit: after it, a recovery finds nothing to undo.
    await syncDirs(touched, trace);
    trace?.({ op: 'commit', path: path.join(scratch, JOURNAL) });
    await unlink(path.join(scratch, JOURNAL));
    await syncDirs([scratch], trace);
  } catch (error) {
    for (const undoStep of undo.reverse()) await undoStep().catch(() => undefined);
    // What was undone is on the disk before the journal that would undo it goes.
    await syncDirs(touched, trace).catch(() => undefined);
    if (scratch !== undefined) await rm(scratch, { recursive: true, force: true }).catch(() => undefined);
    if (lockHeld) await rm(lock, { force: true }).catch(() => undefined);
    for (const dir of createdDirs.reverse()) await rmdir(dir).catch(() => undefined);
    for (const name of SIGNALS) process.off(name, onSignal);
    if (error instanceof Interrupted) {
      throw new BulwarkError('E_ABORTED', `Interrupted by ${error.signal}: every step taken was undone and ${p.target} is as it was.`, {
        fix: 'Nothing was changed. Run the command again to write the files.',
      });
    }
    if (error instanceof BulwarkError && error.code !== 'E_INTERNAL') throw error;
    const cause = toBulwarkError(error);
    throw new BulwarkError('E_APPLY_FAILED', `Writing to ${p.target} failed and was rolled back: ${cause.message.replace(/^Unexpected error: /, '')}`, {
      fix: 'Nothing was changed. Fix the cause (disk space, permissions) and run again.',
    }, { cause: error });
  }
  // Committed: a failure to tidy up must not leave the target locked.
  try {
    await rm(scratch, { recursive: true, force: true }).catch(() => undefined);
    await rm(lock, { force: true });
    await syncDirs([bulwarkDir], trace).catch(() => undefined);
  } finally {
    for (const name of SIGNALS) process.off(name, onSignal);
  }
  return result;
}

/** What an apply does to the disk, in order, for tests of its durability (see {@link ApplyOptions.trace}). */
export interface ApplyEvent {
  readonly op: 'sync-file' | 'sync-dir' | 'mkdir' | 'link' | 'rename' | 'commit';
  readonly path: string;
}

/** This boot of the machine (Linux): a lock from another boot is stale whatever its process id, which a reboot hands out again. */
const BOOT_ID = (() => {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
})();

/** Writes a new file and puts its data on the disk (not its name: sync its directory for that). */
async function writeDurably(file: string, content: string, trace: ApplyOptions['trace']): Promise<void> {
  const handle = await open(file, 'wx');
  try {
    await handle.writeFile(content);
    await handle.datasync();
    trace?.({ op: 'sync-file', path: file });
  } finally {
    await handle.close();
  }
}

async function syncFile(file: string, trace: ApplyOptions['trace']): Promise<void> {
  const handle = await open(file, 'r');
  try {
    await handle.datasync();
    trace?.({ op: 'sync-file', path: file });
  } finally {
    await handle.close();
  }
}

/**
 * Puts the entries of each directory on the disk (fsync of the directory), so
 * that a name created, renamed or removed there survives a power loss. A
 * platform that cannot sync a directory (Windows) skips it; a directory gone
 * meanwhile has nothing to keep.
 */
async function syncDirs(dirs: Iterable<string>, trace: ApplyOptions['trace']): Promise<void> {
  await Promise.all(
    [...new Set(dirs)].map(async (dir) => {
      let handle: FileHandle;
      try {
        handle = await open(dir, 'r');
      } catch (error) {
        if (['ENOENT', 'EISDIR', 'EPERM', 'EACCES'].includes((error as NodeJS.ErrnoException).code ?? '')) return;
        throw error;
      }
      try {
        await handle.sync();
        trace?.({ op: 'sync-dir', path: dir });
      } catch (error) {
        if (!['EINVAL', 'EISDIR', 'EPERM', 'EBADF'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
      } finally {
        await handle.close();
      }
    }),
  );
}

/** The directories that do not exist yet among these and their parents, parents first. */
async function missingDirs(target: string, dirs: readonly string[]): Promise<string[]> {
  const missing = new Set<string>();
  const known = new Map<string, boolean>();
  const exists = async (dir: string) => {
    let found = known.get(dir);
    if (found === undefined) {
      found = (await stat(dir).catch(() => undefined)) !== undefined;
      known.set(dir, found);
    }
    return found;
  };
  for (const dir of new Set(dirs)) {
    const chain: string[] = [];
    for (let current = dir; current !== target && current.startsWith(target + path.sep) && !(await exists(current)); current = path.dirname(current)) chain.unshift(current);
    for (const d of chain) missing.add(d);
  }
  return [...missing].sort((a, b) => a.split(path.sep).length - b.split(path.sep).length);
}

class Interrupted extends Error {
  readonly signal: NodeJS.Signals;
  constructor(signal: NodeJS.Signals) {
    super(`interrupted by ${signal}`);
    this.signal = signal;
  }
}

const JOURNAL = 'journal';

/** One step that touches the target, written to the journal (with all the others) before the first is taken. */
type JournalEntry =
  | { readonly op: 'mkdir'; readonly path: string }
  | { readonly op: 'link'; readonly path: string; readonly index: number }
  | { readonly op: 'replace'; readonly path: string; readonly index: number };

interface LockInfo {
  readonly pid: number;
  readonly host: string;
  /** The machine's boot (Linux's boot_id), when known. */
  readonly boot?: string;
  /** The staging directory's name under .bulwark/. */
  readonly scratch: string;
  /** Directories the run created before it held the lock (.bulwark/, the target itself), relative to the target. */
  readonly createdDirs: readonly string[];
}

/** Takes the lock with its content in one step: written beside it, then hard-linked, which fails if it exists. */
async function takeLock(lock: string, trace: ApplyOptions['trace'], info: LockInfo): Promise<void> {
  const draft = `${lock}.${String(process.pid)}-${randomBytes(4).toString('hex')}`;
  // Its content on the disk before its name: a lock that survives a power loss empty would hold the target for ever.
  await writeDurably(draft, `${JSON.stringify(info)}\n`, trace);
  try {
    await link(draft, lock);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    throw lockedError();
  } finally {
    await unlink(draft).catch(() => undefined);
  }
}

function lockedError(): BulwarkError {
  return new BulwarkError('E_TARGET_LOCKED', 'Another bulwark run holds the target.', {
    path: '.bulwark/lock',
    fix: 'Wait for it to finish; if none is running, delete .bulwark/lock.',
  });
}

/** Whether a process on this machine still runs: signal 0 checks without sending anything. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Finishes what a killed run left behind. A lock whose process is gone (on
 * this machine) is stale: the steps its journal lists are undone in
 * reverse, each only if it was taken, then its staging directory, the lock
 * and the directories it created go. Without a journal the run had either
 * touched nothing yet or committed: only the tidying is left. A recovery
 * killed half-way is taken up again the same way. A lock held by a running
 * process, another machine's, or one that cannot be read is
 * `E_TARGET_LOCKED`.
 *
 * @returns whether there was anything to recover.
 */
export async function recover(target: string): Promise<boolean> {
  const bulwarkDir = path.join(target, '.bulwark');
  const names = await readdir(bulwarkDir).catch(() => undefined);
  if (names === undefined) return false;
  let recovered = false;
  const mine = path.join(bulwarkDir, `lock.recovering-${String(process.pid)}`);
  // A recoverer that was killed itself, then the lock of a killed run.
  // (a recoverer from another boot is gone too, whatever process has its id now).
  const recoverers = await Promise.all(
    names
      .filter((n) => /^lock\.recovering-\d+$/.test(n))
      .map(async (n) => {
        const info = parseLock(await readFile(path.join(bulwarkDir, n), 'utf8').catch(() => ''));
        return !isAlive(Number(n.slice('lock.recovering-'.length))) || fromAnotherBoot(info) ? [n] : [];
      }),
  );
  const stale = [...recoverers.flat(), ...(names.includes('lock') ? ['lock'] : [])];
  for (const name of stale) {
    const file = path.join(bulwarkDir, name);
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    const info = parseLock(text);
    // After a reboot (a power loss) the process id may belong to another process: a lock from another boot is stale.
    if (info === undefined || info.host !== hostname() || (!fromAnotherBoot(info) && isAlive(info.pid))) throw lockedError();
    // One recoverer: whoever moves the stale lock aside does the work.
    await rename(file, mine).catch(() => {
      throw lockedError();
    });
    if ((await readFile(mine, 'utf8').catch(() => '')) !== text) throw lockedError();
    const scratch = path.join(bulwarkDir, info.scratch);
    const entries = await readJournal(scratch);
    // Files first, newest first; then the directories made for them, deepest first.
    for (const entry of [...entries.filter((e) => e.op !== 'mkdir').reverse(), ...entries.filter((e) => e.op === 'mkdir').reverse()]) await undoEntry(target, scratch, entry);
    // What was undone is on the disk before the journal goes, or a power loss now would leave it half undone with no journal.
    await syncDirs(entries.map((e) => path.dirname(path.resolve(target, e.path))).filter((d) => d === target || d.startsWith(target + path.sep)), undefined);
    await rm(scratch, { recursive: true, force: true });
    await unlink(mine);
    for (const dir of [...info.createdDirs].reverse()) await rmdir(path.join(target, dir)).catch(() => undefined);
    recovered = true;
  }
  // Debris no lock refers to: drafts of a lock from a dead process, and staging directories.
  const left = await readdir(bulwarkDir).catch(() => [] as string[]);
  if (left.includes('lock')) return recovered;
  for (const name of left) {
    const draft = /^lock\.(\d+)-[0-9a-f]+$/.exec(name);
    if ((draft !== null && !isAlive(Number(draft[1]))) || /^tmp-[0-9a-f]+$/.test(name)) {
      await rm(path.join(bulwarkDir, name), { recursive: true, force: true });
      recovered = true;
    }
  }
  if (recovered) await rmdir(bulwarkDir).catch(() => undefined);
  return recovered;
}

function fromAnotherBoot(info: LockInfo | undefined): boolean {
  return info?.boot !== undefined && BOOT_ID !== undefined && info.boot !== BOOT_ID;
}

function parseLock(text: string): LockInfo | undefined {
  try {
    const info = JSON.parse(text) as Partial<LockInfo>;
    if (typeof info.pid !== 'number' || !Number.isSafeInteger(info.pid) || typeof info.host !== 'string') return undefined;
    if (typeof info.scratch !== 'string' || !/^tmp-[0-9a-f]+$/.test(info.scratch)) return undefined;
    if (!Array.isArray(info.createdDirs) || !info.createdDirs.every((d) => typeof d === 'string' && !d.split(/[\\/]/).includes('..') && !path.isAbsolute(d))) return undefined;
    if (info.boot !== undefined && typeof info.boot !== 'string') return undefined;
    return info as LockInfo;
  } catch {
    return undefined;
  }
}

async function readJournal(scratch: string): Promise<JournalEntry[]> {
  const text = await readFile(path.join(scratch, JOURNAL), 'utf8').catch(() => '');
  return text.split('\n').filter((line) => line !== '').flatMap((line): JournalEntry[] => {
    try {
      return [JSON.parse(line) as JournalEntry];
    } catch {
      return []; // the last line, cut short by the kill: its step was not taken
    }
  });
}

/** Undoes one journalled step if it was taken; each is safe to run twice. */
async function undoEntry(target: string, scratch: string, entry: JournalEntry): Promise<void> {
  // The journal is bulwark's own, but a path in it must still stay inside the target.
  const final = path.resolve(target, entry.path);
  if (!final.startsWith(target + path.sep)) return;
  switch (entry.op) {
    case 'mkdir':
      await rmdir(final).catch(() => undefined);
      return;
    case 'link': {
      if (!Number.isSafeInteger(entry.index)) return;
      // Placed only if the file there is the staged one (a hard link: the same inode).
      const [placed, staged] = await Promise.all([lstat(final).catch(() => undefined), lstat(path.join(scratch, 'staged', String(entry.index))).catch(() => undefined)]);
      if (placed !== undefined && staged !== undefined && placed.ino === staged.ino && placed.dev === staged.dev) await unlink(final);
      return;
    }
    case 'replace': {
      if (!Number.isSafeInteger(entry.index)) return;
      // Moved aside means taken: put the original back over whatever is there now.
      const aside = path.join(scratch, 'replaced', String(entry.index));
      if ((await lstat(aside).catch(() => undefined)) !== undefined) await rename(aside, final);
      return;
    }
  }
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
async function mkdirTracked(dir: string, created: string[], before?: (dir: string) => Promise<void>): Promise<void> {
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
    await before?.(m);
    await mkdir(m);
    created.push(m);
  }
}
