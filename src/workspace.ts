import { closeSync, fstatSync, lstatSync, openSync, readdirSync, readSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { BulwarkError } from './errors.js';

/**
 * The target as a generator may see it: read-only, and only inside the
 * target. Generators read the target through this object and never through
 * `node:fs` (an eslint rule keeps `node:fs` out of generators/), so the rules
 * below are enforced in one place:
 *
 * - a path is relative to the target, with forward slashes: no `..`, no `.`
 *   segment (except `.` alone for the target itself), not absolute, no NUL,
 *   control or bidirectional-override character;
 * - a path that resolves outside the target through a symbolic link, or
 *   through a link that leads nowhere, is refused, even if nothing is there;
 * - only regular files are read (a FIFO or a device would never end), and at
 *   most {@link MAX_TARGET_FILE_BYTES} of each.
 *
 * Every refusal is a `BulwarkError` with code `E_PATH_UNSAFE`; a file that
 * cannot be read is `E_TARGET_INVALID`; a file too large is `E_SPEC_TOO_LARGE`.
 * A missing target (a new service) is an empty workspace.
 *
 * Reads are synchronous so that `normalize` and `promptDefaults` stay plain
 * functions; they happen once per run, on a handful of small files.
 */
export interface Workspace {
  /** Whether a file or directory exists at `path`. */
  exists(path: string): boolean;
  /** The text of the file at `path` (UTF-8), or undefined when there is none. */
  read(path: string): string | undefined;
  /** The bytes of the file at `path`, or undefined when there is none (for callers that check the encoding themselves). */
  readBytes(path: string): Uint8Array | undefined;
  /** The names in the directory at `path` (`.` for the target), sorted; empty when there is no such directory. */
  list(path: string): string[];
}

// NUL, C0 and C1 controls, DEL, and the bidi overrides that disguise a name.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;

/**
 * Checks a path a generator wants to read, relative to the target: refused
 * with `E_PATH_UNSAFE` if it could name anything outside it. Reading is
 * looser than writing (src/paths.ts assertSafeRelativePath): names that are
 * not portable, or inside `.git/`, may be read.
 *
 * @returns the path's segments (none for `.`, the target itself).
 */
export function assertReadablePath(candidate: unknown, option = 'path'): string[] {
  const refuse = (problem: string): never => {
    throw new BulwarkError('E_PATH_UNSAFE', `Path ${JSON.stringify(candidate)} ${problem}; a generator reads only inside the target.`, {
      option,
      ...(typeof candidate === 'string' ? { path: candidate } : {}),
      fix: 'Use a relative path inside the target made of plain names, such as "permissions.yaml".',
    });
  };
  if (typeof candidate !== 'string') return refuse('is not a string');
  if (candidate === '.') return [];
  if (candidate.length === 0) return refuse('is empty');
  if (CONTROL.test(candidate)) return refuse('contains NUL, control or bidirectional-override characters');
  if (candidate.startsWith('/') || candidate.startsWith('\\') || /^[a-zA-Z]:/.test(candidate)) return refuse('is absolute');
  if (candidate.includes('\\')) return refuse('contains a backslash');
  const segments = candidate.split('/');
  for (const segment of segments) {
    if (segment === '') refuse('has an empty segment');
    if (segment === '.' || segment === '..') refuse('has a "." or ".." segment');
  }
  return segments;
}

/** The workspace of a target on disk. */
export function diskWorkspace(target: string): Workspace {
  const root = path.resolve(target);
  let realRoot: string | undefined;
  const rootReal = (): string => (realRoot ??= realOrSelf(root));

  /**
   * The real path of `relative`, confined to the target, or undefined when
   * nothing is there. Resolves the nearest existing ancestor, so a link that
   * leaves the target is refused even when the rest of the path is missing.
   */
  const resolve = (relative: string, option?: string): string | undefined => {
    const segments = assertReadablePath(relative, option);
    const full = path.join(root, ...segments);
    const refuse = (problem: string, at: string): never => {
      throw new BulwarkError('E_PATH_UNSAFE', `Path "${relative}" ${problem}; a generator reads only inside the target.`, {
        ...(option === undefined ? {} : { option }),
        path: relative,
        fix: `Remove the link at ${path.relative(root, at) || '.'} or choose another target.`,
      });
    };
    for (let current = full; ; current = path.dirname(current)) {
      if (lstatOrUndefined(current) !== undefined) {
        let real: string;
        try {
          real = realpathSync(current);
        } catch {
          return refuse('goes through a symbolic link that leads nowhere', current);
        }
        const top = rootReal();
        if (real !== top && !real.startsWith(top + path.sep)) return refuse('resolves outside the target through a symbolic link', current);
        return current === full ? real : undefined;
      }
      if (current === root || path.dirname(current) === current) return undefined;
    }
  };

  const readBytes = (relative: string): Uint8Array | undefined => {
    const real = resolve(relative);
    if (real === undefined) return undefined;
    const cannot = (problem: string, fix: string): never => {
      throw new BulwarkError('E_TARGET_INVALID', `${relative} ${problem}.`, { path: relative, fix });
    };
    const info = statSync(real);
    if (info.isDirectory()) return cannot('is a directory where a file was expected', `Move the directory ${relative} out of the way.`);
    if (!info.isFile()) return cannot('is not a regular file', `Replace ${relative} with a regular file.`);
    let fd: number;
    try {
      fd = openSync(real, 'r');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EACCES' || code === 'EPERM') return cannot('cannot be read: permission denied', `Give your user read and write access to ${relative}.`);
      throw error;
    }
    try {
      // Checked again on the open file: it may have been swapped since.
      if (!fstatSync(fd).isFile()) return cannot('is not a regular file', `Replace ${relative} with a regular file.`);
      return readBounded(fd, relative);
    } finally {
      closeSync(fd);
    }
  };

  return {
    exists: (relative) => resolve(relative) !== undefined,
    readBytes,
    read: (relative) => {
      const bytes = readBytes(relative);
      return bytes === undefined ? undefined : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
    },
    list: (relative) => {
      const real = resolve(relative);
      if (real === undefined || !statSync(real).isDirectory()) return [];
      return readdirSync(real).sort();
    },
  };
}

/** Reads an open file to its end, refusing more than MAX_TARGET_FILE_BYTES (it may grow while read). */
function readBounded(fd: number, relative: string): Uint8Array {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.alloc(64 * 1024);
    const n = readSync(fd, chunk, 0, chunk.length, null);
    if (n === 0) return Buffer.concat(chunks, total);
    chunks.push(n === chunk.length ? chunk : chunk.subarray(0, n));
    total += n;
    if (total > MAX_TARGET_FILE_BYTES) throw targetFileTooLarge(relative);
  }
}

/**
 * The most bytes a generator reads of one file of the target. Larger than
 * MAX_INPUT_BYTES, which bounds what a user hands in (a spec): a service's
 * own files, drizzle-kit's snapshots, grow with the service.
 */
export const MAX_TARGET_FILE_BYTES = 16 * 1024 * 1024;

function targetFileTooLarge(relative: string): BulwarkError {
  return new BulwarkError('E_SPEC_TOO_LARGE', `${relative} in the target is larger than ${String(MAX_TARGET_FILE_BYTES / 1024 / 1024)} MiB, the most a generator reads of one file.`, {
    path: relative,
    fix: `Make ${relative} smaller, or move it out of the way.`,
  });
}

/**
 * A workspace held in memory: path → text. For tests and for platforms that
 * plan against files they hold rather than a disk (`plan(..., { workspace })`).
 * Paths are checked exactly as on disk; there are no links to follow.
 */
export function memoryWorkspace(files: Readonly<Record<string, string>> | ReadonlyMap<string, string>): Workspace {
  const entries = new Map<string, string>(files instanceof Map ? files : Object.entries(files));
  const directories = new Set<string>();
  for (const file of entries.keys()) {
    const segments = assertReadablePath(file);
    for (let i = 1; i < segments.length; i++) directories.add(segments.slice(0, i).join('/'));
  }
  const key = (relative: string): string => assertReadablePath(relative).join('/');
  const read = (relative: string): string | undefined => {
    const k = key(relative);
    if (directories.has(k)) {
      throw new BulwarkError('E_TARGET_INVALID', `${relative} is a directory where a file was expected.`, { path: relative, fix: `Move the directory ${relative} out of the way.` });
    }
    const text = entries.get(k);
    if (text !== undefined && Buffer.byteLength(text) > MAX_TARGET_FILE_BYTES) throw targetFileTooLarge(relative);
    return text;
  };
  return {
    exists: (relative) => {
      const k = key(relative);
      return k === '' || entries.has(k) || directories.has(k);
    },
    read,
    readBytes: (relative) => {
      const text = read(relative);
      return text === undefined ? undefined : new TextEncoder().encode(text);
    },
    list: (relative) => {
      const k = key(relative);
      const prefix = k === '' ? '' : `${k}/`;
      if (k !== '' && !directories.has(k)) return [];
      const names = new Set<string>();
      for (const p of [...entries.keys(), ...directories]) {
        if (p.startsWith(prefix) && p.length > prefix.length) names.add(p.slice(prefix.length).split('/')[0] as string);
      }
      return [...names].sort();
    },
  };
}

function lstatOrUndefined(p: string): ReturnType<typeof lstatSync> | undefined {
  try {
    return lstatSync(p);
  } catch {
    return undefined;
  }
}

function realOrSelf(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

/** The context a generator gets for a target on disk. */
export function targetContext(target: string): { readonly target: string; readonly workspace: Workspace } {
  return { target, workspace: diskWorkspace(target) };
}
