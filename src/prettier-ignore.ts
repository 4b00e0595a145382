import path from 'node:path';
import type { Workspace } from './workspace.js';

/** The files whose patterns `prettier --check` run in the target honours (prettier 3's default --ignore-path). */
export const IGNORE_FILES = ['.gitignore', '.prettierignore'] as const;

/**
 * For each planned file, whether the target's own prettier ignores it
 * (`.gitignore`, `.prettierignore` in the target, as the plan leaves them):
 * such a file is written as rendered, not formatted, as `prettier --write`
 * would leave it (a tool's own output, such as drizzle-kit's snapshots).
 *
 * The common patterns (names, paths, `*` within a name, a trailing or
 * leading `/`, `!`) are matched here, as git does, without loading prettier;
 * a file with any other pattern (`**`, `?`, `[...]`, escapes) on disk is
 * asked of prettier itself (`getFileInfo`). test/unit/prettier-ignore.test.ts
 * compares the two.
 */
export async function ignoredByPrettier(
  paths: readonly string[],
  planned: ReadonlyMap<string, string>,
  workspace: Pick<Workspace, 'read'>,
  /** The target on disk, when there is one: prettier reads ignore files with other patterns there. */
  disk: string | undefined,
): Promise<boolean[]> {
  const ignored = paths.map(() => false);
  const onDisk: string[] = [];
  for (const name of IGNORE_FILES) {
    const text = planned.get(name) ?? workspace.read(name);
    if (text === undefined) continue;
    let patterns = parsedIgnores.get(text);
    if (!parsedIgnores.has(text)) {
      patterns = parseIgnore(text);
      parsedIgnores.set(text, patterns);
      if (parsedIgnores.size > 64) parsedIgnores.delete(parsedIgnores.keys().next().value as string);
    }
    if (patterns === undefined) {
      // Outside what is matched here: prettier decides, from the file on disk (a planned one is only bulwark's own).
      if (!planned.has(name) && disk !== undefined) onDisk.push(path.join(disk, name));
      continue;
    }
    paths.forEach((p, i) => {
      if (isIgnored(patterns, p)) ignored[i] = true;
    });
  }
  if (onDisk.length > 0) {
    const prettier = await import('prettier');
    await Promise.all(
      paths.map(async (p, i) => {
        if ((await prettier.getFileInfo(path.join(disk as string, p), { ignorePath: onDisk, resolveConfig: false })).ignored) ignored[i] = true;
      }),
    );
  }
  return ignored;
}

const parsedIgnores = new Map<string, Pattern[] | undefined>();

interface Pattern {
  readonly regex: RegExp;
  /** A "!" pattern: includes again what an earlier one ignored. */
  readonly negated: boolean;
  /** Matches a path from the target's root, not a name at any depth. */
  readonly anchored: boolean;
  /** Matches directories only (a trailing "/"). */
  readonly dirOnly: boolean;
}

const SIMPLE = /^\/?[A-Za-z0-9._*-]+(?:\/[A-Za-z0-9._*-]+)*\/?$/;

/** The patterns of an ignore file, or undefined when one is outside what {@link matches} handles. */
export function parseIgnore(text: string): Pattern[] | undefined {
  const patterns: Pattern[] = [];
  for (const rawLine of text.split(/\r?\n/)) {
    const trimmed = rawLine.replace(/[ \t]+$/, '');
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const negated = trimmed.startsWith('!');
    const line = negated ? trimmed.slice(1) : trimmed;
    if (!SIMPLE.test(line) || line.includes('**') || line === '/') return undefined;
    const dirOnly = line.endsWith('/');
    const body = line.replace(/\/$/, '');
    const anchored = body.includes('/');
    const glob = body.replace(/^\//, '');
    const source = glob.split('*').map((part) => part.replace(/[.+^${}()|[\]\\-]/g, '\\$&')).join('[^/]*');
    patterns.push({ regex: new RegExp(`^${source}$`), negated, anchored, dirOnly });
  }
  return patterns;
}

/**
 * Whether the patterns ignore a file (its path relative to the target, with
 * "/"), as git decides: the last pattern that matches a path wins, and a
 * file inside an ignored directory stays ignored whatever comes after.
 */
export function isIgnored(patterns: readonly Pattern[], file: string): boolean {
  const segments = file.split('/');
  for (let end = 1; end <= segments.length; end += 1) {
    const isDir = end < segments.length;
    let ignored = false;
    for (const pattern of patterns) {
      if (pattern.dirOnly && !isDir) continue;
      const candidate = pattern.anchored ? segments.slice(0, end).join('/') : (segments[end - 1] as string);
      if (pattern.regex.test(candidate)) ignored = !pattern.negated;
    }
    if (ignored) return true;
  }
  return false;
}
