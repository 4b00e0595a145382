import { lstat, realpath } from 'node:fs/promises';
import path from 'node:path';
import { BulwarkError } from './errors.js';

// Names Windows reserves in every directory, with or without an extension.
const WINDOWS_DEVICE = /^(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;
// Characters that are not portable in a path segment (Windows refuses them).
const NON_PORTABLE = /[<>:"|?*\\]/;
// NUL, C0 and C1 controls, DEL, and the bidi overrides that disguise a name.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;

/** Directories inside a target that only the engine itself may write. */
/** Where bulwark records what it wrote in a target (src/manifest.ts). */
export const MANIFEST_PATH = '.bulwark/manifest.json';

const RESERVED_ROOTS = new Set(['.git', '.bulwark']);

/**
 * Checks a path a generator wants to write, relative to the target. Refuses
 * anything that could land outside the target or behave differently on
 * another operating system, before a byte is written.
 *
 * @returns the path in normal form (forward slashes).
 */
export function assertSafeRelativePath(candidate: string, option = 'path'): string {
  const refuse = (problem: string): never => {
    throw new BulwarkError('E_PATH_UNSAFE', `Path ${JSON.stringify(candidate)} ${problem}.`, {
      option,
      path: candidate,
      fix: 'Use a relative path inside the target made of plain names, such as "src/routes/orders.ts".',
    });
  };
  if (candidate.length === 0) refuse('is empty');
  if (CONTROL.test(candidate)) refuse('contains NUL, control or bidirectional-override characters');
  if (candidate.startsWith('/') || candidate.startsWith('\\') || /^[a-zA-Z]:/.test(candidate)) {
    refuse('is absolute');
  }
  const segments = candidate.split('/');
  for (const segment of segments) {
    if (segment === '') refuse('has an empty segment');
    if (segment === '.' || segment === '..') refuse('has a "." or ".." segment');
    if (NON_PORTABLE.test(segment)) refuse('contains a character Windows does not allow (<>:"|?*\\)');
    if (WINDOWS_DEVICE.test(segment)) refuse(`uses the Windows device name "${segment}"`);
    if (/[. ]$/.test(segment)) refuse('has a segment ending in a dot or a space');
  }
  const first = segments[0] ?? '';
  if (RESERVED_ROOTS.has(first.toLowerCase())) refuse(`writes inside ${first}/, which bulwark reserves`);
  if (candidate.length > 240) refuse('is longer than 240 characters');
  return candidate;
}

/**
 * Refuses a write that could leave the target through a symbolic link: the
 * path itself must not be a link (writing would replace or follow it), and
 * its nearest existing ancestor must resolve inside the target. A lexically
 * safe path can still escape through a link the user, or an attacker,
 * planted; apply checks again right before each write.
 */
export async function assertConfined(targetRoot: string, relativePath: string, cache?: ConfinementCache): Promise<void> {
  const realRoot = await (cache?.realRoot ?? realpathOrSelf(targetRoot));
  const refuse = (problem: string, at: string): never => {
    throw new BulwarkError('E_PATH_UNSAFE', `Path "${relativePath}" ${problem}.`, {
      path: relativePath,
      fix: `Remove the link at ${path.relative(targetRoot, at) || '.'} or choose another target.`,
    });
  };
  const full = path.join(targetRoot, relativePath);
  const info = await lstat(full).catch(() => undefined);
  if (info?.isSymbolicLink() === true) refuse('is a symbolic link', full);
  // A path that is there and not a link resolves where its directory does.
  for (let current = info === undefined ? full : path.dirname(full); ; current = path.dirname(current)) {
    const real = await realOf(current, cache);
    if (real !== MISSING) {
      if (real === undefined) refuse('goes through a symbolic link that leads nowhere', current);
      else if (real !== realRoot && !real.startsWith(realRoot + path.sep)) refuse('resolves outside the target through a symbolic link', current);
      return;
    }
    if (current === targetRoot || path.dirname(current) === current) return;
  }
}

/** What one plan has found out about the directories above its files, so that each is looked at once. */
export interface ConfinementCache {
  readonly realRoot: Promise<string>;
  readonly reals: Map<string, Promise<string | undefined | typeof MISSING>>;
}

export function confinementCache(targetRoot: string): ConfinementCache {
  return { realRoot: realpathOrSelf(targetRoot), reals: new Map() };
}

const MISSING: unique symbol = Symbol('missing');

/** The real path of an existing path, undefined for a link that leads nowhere, MISSING when nothing is there. */
function realOf(p: string, cache: ConfinementCache | undefined): Promise<string | undefined | typeof MISSING> {
  const known = cache?.reals.get(p);
  if (known !== undefined) return known;
  const found = lstat(p).then(
    () => realpath(p).catch(() => undefined),
    (): typeof MISSING => MISSING,
  );
  cache?.reals.set(p, found);
  return found;
}

export async function assertEngineDirSafe(targetRoot: string): Promise<void> {
  const info = await lstat(path.join(targetRoot, '.bulwark')).catch(() => undefined);
  if (info !== undefined && (info.isSymbolicLink() || !info.isDirectory())) {
    throw new BulwarkError('E_PATH_UNSAFE', '.bulwark in the target is not a plain directory.', {
      path: '.bulwark',
      fix: 'Replace .bulwark with the directory from version control; bulwark will not write through a link.',
    });
  }
}

async function realpathOrSelf(p: string): Promise<string> {
  return realpath(p).catch(() => path.resolve(p));
}

const RESERVED_WORDS = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for ' +
    'function if import in instanceof new null return super switch this throw true try typeof var void while with ' +
    'implements interface let package private protected public static yield await ' +
    // Strict mode cannot bind these, and TypeScript refuses to declare undefined.
    'eval arguments undefined'
  ).split(' '),
);

/** True for a name usable as a TypeScript identifier in a module (strict mode). */
export function isValidIdentifier(name: string): boolean {
  return /^[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*$/u.test(name) && !RESERVED_WORDS.has(name);
}
