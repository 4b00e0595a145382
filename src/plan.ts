import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { ensureBlock, mergeJson } from './blocks.js';
import { applyTsEdits } from './edit.js';
import { BulwarkError } from './errors.js';
import { formatAll, formatKey, loadFormatIndex, type KnownOutputs } from './format.js';
import type { AnyGenerator, FileIntent, GeneratorContext } from './generator.js';
import { MANIFEST_PATH, parseManifest, serializeManifest, sha256, type Manifest } from './manifest.js';
import { resolveOptions } from './options.js';
import { mergeYaml } from './yaml-merge.js';
import { PACKAGE_ROOT, TEMPLATES_DIR, testedVersion } from './package-root.js';
import { assertConfined, assertEngineDirSafe, assertSafeRelativePath, confinementCache } from './paths.js';
import { targetStyle, type FormatStyle, type PlanWarning } from './prettier-config.js';
import { ignoredByPrettier } from './prettier-ignore.js';
import { renderTemplate } from './render.js';
import { fillSkeleton } from './skeleton.js';
import { diskWorkspace, type Workspace } from './workspace.js';

export type FileStatus = 'created' | 'updated' | 'unchanged' | 'conflict';

export interface PlannedFile {
  readonly path: string;
  readonly status: FileStatus;
  /** Hash of the content bulwark would write (for a conflict: would have written). */
  readonly sha256: string;
  /** Hash of the file on disk now, when there is one. */
  readonly previousSha256?: string;
  readonly content: string;
  /** Unified diff from the file on disk to the new content; empty when unchanged. */
  readonly diff: string;
  /** Why a file is in conflict. */
  readonly reason?: string;
  /** With --force: where the user's version of a conflicting file is kept. */
  readonly keptAs?: string;
  /** Whether the manifest records this file as bulwark's. */
  readonly owned: boolean;
  /** The generator the manifest records as its writer, when not the one planned (output written on another's behalf). */
  readonly writer?: string;
}

export interface Plan {
  readonly generator: string;
  readonly target: string;
  readonly options: Readonly<Record<string, unknown>>;
  readonly force: boolean;
  readonly files: readonly PlannedFile[];
  readonly manifest: { readonly before: string | undefined; readonly after: string };
  /** What the user should know that did not stop the plan (a prettier configuration ignored, ...), each with a stable code. */
  readonly warnings: readonly PlanWarning[];
}

export interface PlanOptions {
  /** The target directory; it need not exist yet. */
  readonly cwd: string;
  /** Overwrite files the user changed, keeping their version beside as `<file>.orig`. */
  readonly force?: boolean;
  /**
   * What the target holds, when it is not the disk at `cwd`: a plan against
   * files held in memory (tests, platforms that keep the tree themselves;
   * see `memoryWorkspace`). Applying such a plan writes to `cwd`.
   */
  readonly workspace?: Workspace;
}

/**
 * Computes everything a generator would do to a target, without writing:
 * validated options, every file's new content (rendered, edited, formatted),
 * its status against the disk and the manifest, and a unified diff.
 *
 * The engine takes a generator's definition; looking one up by name is the
 * caller's (the public `plan` of src/index.ts, the CLI).
 *
 * @example
 * const p = await planGenerator(appGenerator, { name: 'billing-api' }, { cwd: '../billing-api' });
 * for (const f of p.files) console.log(f.status, f.path);
 */
export async function planGenerator(definition: AnyGenerator, rawOptions: unknown, planOptions: PlanOptions): Promise<Plan> {
  const target = targetPath(planOptions.cwd);
  const force = planOptions.force ?? false;
  const onDisk = planOptions.workspace === undefined;
  if (onDisk) {
    await assertTargetUsable(target);
    await assertEngineDirSafe(target);
  }
  const workspace = planOptions.workspace ?? diskWorkspace(target);
  const context: GeneratorContext = { target, workspace };
  assertRequiredModules(definition, context);
  const options = resolveOptions(definition, rawOptions, context) as Record<string, unknown>;
  const intents = definition.files(options, context);
  assertIntentPaths(intents);
  if (onDisk) {
    const cache = confinementCache(target);
    await Promise.all(intents.map((intent) => assertConfined(target, intent.path, cache)));
  }

  const manifestText = workspace.read(MANIFEST_PATH);
  const manifest = parseManifest(manifestText);
  const existing = intents.map((intent) => workspace.read(intent.path));
  const known = await loadFormatIndex(path.join(PACKAGE_ROOT, 'dist', 'format-index.json'), testedVersion('prettier'));
  // What the index's skeletons say prettier makes of this plan's templates, by formatKey.
  const filled = new Map<string, string>();
  const raw = await Promise.all(intents.map((intent, i) => produce(intent, existing[i], known, filled)));
  // The target's own prettier configuration, if it has one; in memory there is no disk to search.
  const style: FormatStyle = onDisk
    ? await targetStyle(target, intents.map((intent) => intent.path), new Map(intents.map((intent, i) => [intent.path, raw[i] ?? ''])))
    : { options: undefined, warnings: [] };
  const formatted = await formatAll(
    intents.map((intent, i) => ({ path: intent.path, content: raw[i] ?? '', options: style.options?.[i] })),
    { get: (key: string) => filled.get(key) ?? known.formatted.get(key) },
    await keptAsIs(intents, existing, style, raw, workspace, onDisk ? target : undefined),
  );

  const files: PlannedFile[] = [];
  const claimed = new Set(intents.map((i) => i.path));
  for (const [i, intent] of intents.entries()) {
    const writer = (intent.kind === 'content' || intent.kind === 'template' ? intent.generator : undefined) ?? definition.name;
    const classified = classify(workspace, writer, intent, formatted[i] ?? '', existing[i], manifest, force, claimed);
    files.push(...(writer === definition.name ? classified : classified.map((f) => (f.path === intent.path ? withWriter(f, writer) : f))));
  }

  const next = nextManifest(manifest, definition.name, options, files);
  return {
    generator: definition.name,
    target,
    options,
    force,
    files,
    manifest: { before: manifestText, after: serializeManifest(next) },
    warnings: style.warnings,
  };
}

/** For each intent, whether its file is written as produced, not formatted: the target's prettier ignores it, or it keeps its own style. */
async function keptAsIs(
  intents: readonly FileIntent[],
  existing: readonly (string | undefined)[],
  style: FormatStyle,
  raw: readonly string[],
  workspace: Workspace,
  disk: string | undefined,
): Promise<boolean[]> {
  const planned = new Map(intents.map((intent, i) => [intent.path, raw[i] ?? '']));
  const [ignored, own] = await Promise.all([ignoredByPrettier(intents.map((i) => i.path), planned, workspace, disk), ownStyle(intents, existing, style)]);
  return intents.map((_, i) => ignored[i] === true || own[i] === true);
}

/**
 * For each intent, whether the file keeps its own formatting: an existing
 * file that a TypeScript edit changes is the user's, so it is reformatted
 * only if prettier already leaves it unchanged (as in a generated service,
 * whose lint checks formatting); otherwise only the added lines change.
 */
async function ownStyle(intents: readonly FileIntent[], existing: readonly (string | undefined)[], style: FormatStyle): Promise<boolean[]> {
  const edited = intents.map((intent, i) => intent.kind === 'edit' && existing[i] !== undefined);
  const originals = intents.flatMap((intent, i) =>
    edited[i] === true ? [{ path: intent.path, content: existing[i] ?? '', options: style.options?.[i] }] : [],
  );
  if (originals.length === 0) return edited;
  const reformatted = await formatAll(originals).catch(() => undefined);
  if (reformatted === undefined) return edited;
  let next = 0;
  return edited.map((isEdited) => {
    if (!isEdited) return false;
    const original = originals[next];
    const after = reformatted[next];
    next += 1;
    return original?.content !== after;
  });
}

/** The file, recorded in the manifest as `writer`'s (its diff stays computed on first read). */
function withWriter(file: PlannedFile, writer: string): PlannedFile {
  return Object.defineProperty(file, 'writer', { value: writer, enumerable: true });
}

/**
 * Stops with E_MODULE_MISSING, before any option is read, when the target
 * lacks a module the generator builds on; every missing one is named, with
 * the command that adds it.
 */
function assertRequiredModules(definition: AnyGenerator, context: GeneratorContext): void {
  const missing = (definition.requires ?? []).filter((r) => !context.workspace.exists(r.marker));
  if (missing.length === 0) return;
  const commands = missing.map((r) => `npx bulwark generate ${r.generator} --cwd ${JSON.stringify(context.target)}`);
  throw new BulwarkError(
    'E_MODULE_MISSING',
    `The ${definition.name} generator builds on ${missing.map((r) => `the ${r.generator} module`).join(' and ')}, which this service does not have (${missing.map((r) => r.marker).join(', ')} missing).`,
    {
      option: missing.map((r) => r.generator).join(','),
      issues: missing.map((r) => ({ option: r.generator, message: `missing (${r.marker} does not exist): add it with \`npx bulwark generate ${r.generator}\`` })),
      fix: `Run ${commands.map((c) => `\`${c}\``).join(', then ')}, then run this again.`,
    },
  );
}

/** True when a plan has a conflict that stops it from being applied. */
export function hasConflicts(p: Plan): boolean {
  return p.files.some((f) => f.status === 'conflict');
}

/**
 * The target as an absolute path, or E_TARGET_INVALID for one no file system
 * takes: not a string, a NUL byte, a name longer than 255 bytes, or a path
 * so long that the files under it could not be written.
 */
export function targetPath(cwd: unknown): string {
  const refuse = (problem: string): never => {
    throw new BulwarkError('E_TARGET_INVALID', `The target ${problem}.`, { option: 'cwd', fix: 'Choose a shorter, plain directory path as the target.' });
  };
  if (typeof cwd !== 'string' || cwd === '') return refuse('must be a directory path');
  if (cwd.includes('\0')) return refuse('contains a NUL byte');
  const target = path.resolve(cwd);
  if (target.split(path.sep).some((part) => Buffer.byteLength(part) > 255)) return refuse('has a name longer than 255 bytes');
  // PATH_MAX is 4096 on Linux; generated paths add up to 240 more.
  if (Buffer.byteLength(target) > 4096 - 256) return refuse(`is ${String(Buffer.byteLength(target))} bytes long, too long for the files under it`);
  return target;
}

async function assertTargetUsable(target: string): Promise<void> {
  const info = await stat(target).catch(() => undefined);
  if (info !== undefined && !info.isDirectory()) {
    throw new BulwarkError('E_TARGET_INVALID', `The target ${target} exists and is not a directory.`, {
      fix: 'Choose a directory (it may not exist yet) as the target.',
    });
  }
}

function assertIntentPaths(intents: readonly FileIntent[]): void {
  const seen = new Map<string, string>();
  for (const intent of intents) {
    assertSafeRelativePath(intent.path);
    // Two names that differ only in case are one file on macOS and Windows.
    const key = intent.path.toLowerCase();
    const other = seen.get(key);
    if (other !== undefined) {
      throw new BulwarkError('E_PATH_UNSAFE', `Paths "${other}" and "${intent.path}" name the same file on a case-insensitive disk.`, {
        path: intent.path,
        fix: 'Give each generated file a distinct name.',
      });
    }
    seen.set(key, intent.path);
  }
}

/** Template sources read so far, with LF line endings (a CRLF checkout must not change the output) and their hash. */
const templateSources = new Map<string, Promise<{ readonly text: string; readonly sha256: string }>>();

async function produce(intent: FileIntent, current: string | undefined, known: KnownOutputs, filled: Map<string, string>): Promise<string> {
  switch (intent.kind) {
    case 'content':
      return intent.content;
    case 'template': {
      assertSafeRelativePath(intent.template, 'template');
      let source = templateSources.get(intent.template);
      if (source === undefined) {
        source = readFile(path.join(TEMPLATES_DIR, intent.template), 'utf8').then((raw) => {
          const text = raw.replace(/\r\n?/g, '\n');
          return { text, sha256: sha256(text) };
        });
        templateSources.set(intent.template, source);
        source.catch(() => templateSources.delete(intent.template));
      }
      const { text, sha256: hash } = await source;
      // A template that prints no value renders the same whatever the data: the build recorded what.
      const constant = known.constant.get(hash);
      if (constant !== undefined) return constant ?? text;
      const skeleton = known.skeletons.get(hash);
      const fill = skeleton !== undefined && skeleton.file === path.posix.basename(intent.path) ? fillSkeleton(skeleton, intent.data) : undefined;
      if (fill === undefined) return renderTemplate(text, { ...intent.data }, intent.template);
      filled.set(formatKey(intent.path, fill.raw), fill.formatted);
      return fill.raw;
    }
    case 'edit': {
      const base = current ?? intent.initial;
      if (base === undefined) {
        throw new BulwarkError('E_EDIT_FAILED', `${intent.path} does not exist, and the edit needs it.`, {
          path: intent.path,
          fix: `Run the generator that creates ${intent.path} first.`,
        });
      }
      return applyTsEdits(intent.path, base, intent.edits);
    }
    case 'block':
      return ensureBlock(intent.path, current ?? intent.initial ?? '', intent.id, intent.comment, intent.content);
    case 'yaml-merge':
      return mergeYaml(intent.path, current, intent.merge);
    case 'json-merge': {
      if (current === undefined) {
        throw new BulwarkError('E_EDIT_FAILED', `${intent.path} does not exist, and the generator adds to it.`, {
          path: intent.path,
          fix: `Run this generator in a service that has ${intent.path} (bulwark new <dir> writes one).`,
        });
      }
      return mergeJson(intent.path, current, intent.merge, intent.append);
    }
  }
}

function classify(
  workspace: Workspace,
  generator: string,
  intent: FileIntent,
  content: string,
  current: string | undefined,
  manifest: Manifest,
  force: boolean,
  claimed: Set<string>,
): PlannedFile[] {
  const hash = sha256(content);
  const filePath = intent.path;
  if (current === undefined) {
    return [planned({ path: filePath, status: 'created', sha256: hash, content, owned: true }, undefined)];
  }
  const previousSha256 = sha256(current);
  const recorded = manifest.files[filePath]?.sha256;
  const lastWriter = manifest.files[filePath]?.generator;
  const untouched = recorded === previousSha256;
  if (current === content) {
    // Identical content is adopted, whoever wrote it.
    return [planned({ path: filePath, status: 'unchanged', sha256: hash, previousSha256, content, owned: true }, content)];
  }
  // Edits, blocks and merges are meant for files the user owns; they add, never change what the user wrote.
  if (intent.kind !== 'template' && intent.kind !== 'content') {
    return [planned({ path: filePath, status: 'updated', sha256: hash, previousSha256, content, owned: untouched }, current)];
  }
  // Another generator (a module) added to this file since: rewriting it would silently drop that.
  if (untouched && (lastWriter === undefined || lastWriter === generator)) {
    return [planned({ path: filePath, status: 'updated', sha256: hash, previousSha256, content, owned: true }, current)];
  }
  const reason =
    recorded === undefined
      ? 'exists and was not written by bulwark'
      : untouched
        ? `has additions by the ${String(lastWriter)} generator; rewriting it would drop them (run ${String(lastWriter)} again after --force)`
        : 'was changed since bulwark wrote it';
  if (!force) {
    return [planned({ path: filePath, status: 'conflict', sha256: hash, previousSha256, content, reason, owned: false }, current)];
  }
  const keptAs = freeName(workspace, `${filePath}.orig`, claimed);
  claimed.add(keptAs);
  return [
    planned({ path: filePath, status: 'updated', sha256: hash, previousSha256, content, reason, keptAs, owned: true }, current),
    planned({ path: keptAs, status: 'created', sha256: previousSha256, content: current, owned: false }, undefined),
  ];
}

/** A name for the user's kept copy that neither the plan nor the disk uses. */
function freeName(workspace: Workspace, wanted: string, claimed: Set<string>): string {
  let candidate = wanted;
  for (let n = 1; claimed.has(candidate) || workspace.exists(candidate); n += 1) {
    candidate = `${wanted}.${n}`;
  }
  return candidate;
}

/**
 * A planned file whose unified diff is computed when first read: a headless
 * apply never reads it, a dry run reads every one.
 */
function planned(file: Omit<PlannedFile, 'diff'>, before: string | undefined): PlannedFile {
  let diff: string | undefined;
  return Object.defineProperty({ ...file }, 'diff', {
    enumerable: true,
    get: () => (diff ??= before === file.content ? '' : unifiedDiff(file.path, before, file.content)),
  }) as PlannedFile;
}

function unifiedDiff(filePath: string, before: string | undefined, after: string): string {
  return createTwoFilesPatch(before === undefined ? '/dev/null' : `a/${filePath}`, `b/${filePath}`, before ?? '', after, undefined, undefined, {
    context: 3,
  });
}

function nextManifest(previous: Manifest, generator: string, options: Record<string, unknown>, files: readonly PlannedFile[]): Manifest {
  const next: Manifest = {
    manifestVersion: 1,
    generators: { ...previous.generators, [generator]: { options: JSON.parse(JSON.stringify(options)) as Record<string, unknown> } },
    files: { ...previous.files },
  };
  for (const file of files) {
    if (file.status === 'conflict') continue;
    if (file.owned) next.files[file.path] = { sha256: file.sha256, generator: file.writer ?? generator };
    else if (file.status !== 'unchanged') Reflect.deleteProperty(next.files, file.path);
  }
  return next;
}
