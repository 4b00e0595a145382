import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import type { Options } from 'prettier';
import { BulwarkError } from './errors.js';
import { sha256 } from './hash.js';
import { PRETTIER_OPTIONS, prettierOptionsFor } from './prettier-options.js';
import type { Skeleton } from './skeleton.js';

export { PRETTIER_OPTIONS };


const FORMATTED_EXTENSIONS = new Set(['.ts', '.mts', '.cts', '.tsx', '.js', '.mjs', '.cjs', '.json', '.md', '.yaml', '.yml', '.css', '.html']);

export interface FormatInput {
  readonly path: string;
  readonly content: string;
  /** The style to format with (the target's own configuration); bulwark's when absent. */
  readonly options?: Options | undefined;
}

/**
 * Formats every file in one pass with one prettier instance, loaded only if
 * some file needs it. Files prettier has no parser for are returned as they
 * are; a file whose exact bytes are in `known` (see {@link loadFormatIndex})
 * gets prettier's output recorded there at build time, without prettier;
 * `keepAsIs[i]` leaves file i alone (a user's file bulwark only edited).
 */
export async function formatAll(
  files: readonly FormatInput[],
  known: Pick<ReadonlyMap<string, string | null>, 'get'> = new Map(),
  keepAsIs: readonly boolean[] = [],
): Promise<string[]> {
  const result = files.map((f, i) => {
    if (keepAsIs[i] === true || !FORMATTED_EXTENSIONS.has(extension(f.path))) return f.content;
    // The index records bulwark's own style only.
    if (f.options === undefined) {
      const indexed = known.get(formatKey(f.path, f.content));
      if (indexed !== undefined) return indexed ?? f.content;
      const json = stringified(f);
      if (json !== undefined) return json;
    }
    return recent.get(recentKey(f));
  });
  const todo = files.filter((_, i) => result[i] === undefined);
  if (todo.length === 0) return result as string[];
  // A worker failure of any kind falls back to formatting here, which also reports errors properly.
  const done = (await warmFormatter?.format(todo).catch(() => undefined)) ?? (await formatHere(todo));
  let next = 0;
  return files.map((f, i) => {
    const ready = result[i];
    if (ready !== undefined) return ready;
    const formatted = done[next++] ?? f.content;
    remember(recentKey(f), formatted);
    recorder?.(f, formatted);
    return formatted;
  });
}

/**
 * prettier's output for a package.json that is exactly `JSON.stringify(value)`,
 * in bulwark's style: prettier formats a package.json like
 * `JSON.stringify(value, null, 2)` (its json-stringify parser), which
 * test/unit/format.test.ts checks against prettier for any JSON value.
 */
function stringified(f: FormatInput): string | undefined {
  if (f.options !== undefined || (f.path !== 'package.json' && !f.path.endsWith('/package.json'))) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(f.content);
  } catch {
    return undefined;
  }
  return JSON.stringify(value) === f.content ? `${JSON.stringify(value, null, 2)}\n` : undefined;
}

let recorder: ((input: FormatInput, formatted: string) => void) | undefined;

/** For the build (scripts/build-format-index.mjs): sees every file prettier formats, with its output. */
export function recordFormatting(record: ((input: FormatInput, formatted: string) => void) | undefined): void {
  recorder = record;
}

/**
 * What prettier made of recent inputs, in this process: formatting is a pure
 * function of the text, the path and the options, and a long-lived caller
 * (a platform, a test suite) plans the same templates again and again.
 * Bounded; the oldest entries go first.
 */
const recent = new Map<string, string>();
const RECENT_LIMIT = 4096;

function recentKey(f: FormatInput): string {
  return `${f.path}\0${f.options === undefined ? '' : JSON.stringify(f.options)}\0${sha256(f.content)}`;
}

function remember(key: string, formatted: string): void {
  recent.delete(key);
  recent.set(key, formatted);
  if (recent.size > RECENT_LIMIT) recent.delete(recent.keys().next().value as string);
}

async function formatHere(files: readonly FormatInput[]): Promise<string[]> {
  const prettier = await import('prettier');
  return Promise.all(
    files.map((file) =>
      prettier.format(file.content, prettierOptionsFor(file.path, file.options)).catch((error: unknown) => {
        throw new BulwarkError('E_TEMPLATE_INVALID', `${file.path} does not parse after rendering: ${(error as Error).message.split('\n')[0] ?? ''}`, {
          path: file.path,
          fix: 'The template or generator that writes this file produces invalid code; fix it there.',
        });
      }),
    ),
  );
}

interface Formatter {
  format(files: readonly FormatInput[]): Promise<string[]>;
}

let warmFormatter: Formatter | undefined;

/**
 * Starts loading prettier in a worker thread, so that it is warm by the time
 * a plan needs it; the CLI calls this first thing on a generate. Only the
 * compiled worker is used (dist/); from source, formatting stays in-process.
 * The worker never keeps the process alive.
 */
export function prewarmFormatter(): void {
  const script = new URL('./format-worker.js', import.meta.url);
  if (warmFormatter !== undefined || !existsSync(script)) return;
  const worker = new Worker(script);
  let nextId = 0;
  const pending = new Map<number, { resolve: (v: string[]) => void; reject: (e: Error) => void }>();
  worker.on('message', (m: { id: number; formatted?: string[]; error?: string }) => {
    const waiter = pending.get(m.id);
    pending.delete(m.id);
    if (pending.size === 0) worker.unref();
    if (m.formatted !== undefined) waiter?.resolve(m.formatted);
    else waiter?.reject(new Error(m.error ?? 'prettier failed'));
  });
  worker.on('error', (error: unknown) => {
    const failure = error instanceof Error ? error : new Error('the prettier worker failed');
    for (const waiter of pending.values()) waiter.reject(failure);
    pending.clear();
    warmFormatter = undefined;
  });
  // Listeners ref the worker; it may hold the process open only while a request waits on it.
  worker.unref();
  warmFormatter = {
    format: (files) =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        worker.ref();
        worker.postMessage({ id, files: files.map((f) => ({ path: f.path, content: f.content, options: f.options })) });
      }),
  };
}

/**
 * Identifies content for the format index: the file's name (prettier picks
 * the parser by it: `package.json` is not formatted like `a.json`) and the
 * exact bytes.
 */
export function formatKey(filePath: string, content: string): string {
  return `${filePath.slice(filePath.lastIndexOf('/') + 1)}:${sha256(content)}`;
}

/** dist/format-index.json, written by the build (scripts/build-format-index.mjs). */
export interface FormatIndex {
  /** The prettier version that made `formatted`. */
  readonly prettier: string;
  /** bulwark's style when the index was made ({@link PRETTIER_OPTIONS}). */
  readonly style: Readonly<Record<string, unknown>>;
  /**
   * Templates that print no value, by the sha256 of their source (LF line
   * endings): what they render to, or null when that is the source itself.
   */
  readonly constant: Readonly<Record<string, string | null>>;
  /** prettier's output in bulwark's style by {@link formatKey} of its input, or null when it leaves the input as it is. */
  readonly formatted: Readonly<Record<string, string | null>>;
  /** Templates whose values land where prettier formats any plain value alike, by the sha256 of their source. */
  readonly skeletons: Readonly<Record<string, Skeleton>>;
}

export interface KnownOutputs {
  /** See {@link FormatIndex.constant}. */
  readonly constant: ReadonlyMap<string, string | null>;
  /** See {@link FormatIndex.formatted}. */
  readonly formatted: ReadonlyMap<string, string | null>;
  /** See {@link FormatIndex.skeletons}. */
  readonly skeletons: ReadonlyMap<string, Skeleton>;
}

const NOTHING_KNOWN: KnownOutputs = { constant: new Map(), formatted: new Map(), skeletons: new Map() };
const indexes = new Map<string, Promise<KnownOutputs>>();

/**
 * Reads the index the build writes (dist/format-index.json), once per
 * process: what templates without placeholders render to, and prettier's
 * output for the texts the generators' example options produce. A run then
 * compiles and formats only files whose text is not in it; every entry is
 * keyed by the exact bytes of its input, so a template changed since the
 * build is simply not found. A missing index, or one made with another
 * prettier version or style, only costs time: nothing is taken from it.
 */
export function loadFormatIndex(indexPath: string, prettierVersion: string): Promise<KnownOutputs> {
  let known = indexes.get(indexPath);
  if (known === undefined) {
    known = readFile(indexPath, 'utf8')
      .then((text) => {
        const index = JSON.parse(text) as Partial<FormatIndex>;
        if (index.prettier !== prettierVersion || JSON.stringify(index.style) !== JSON.stringify(PRETTIER_OPTIONS)) return NOTHING_KNOWN;
        return {
          constant: new Map(Object.entries(index.constant ?? {})),
          formatted: new Map(Object.entries(index.formatted ?? {})),
          skeletons: new Map(Object.entries(index.skeletons ?? {})),
        };
      })
      .catch(() => NOTHING_KNOWN);
    indexes.set(indexPath, known);
  }
  return known;
}

/** Whether bulwark formats a file of this name (by its extension). */
export function isFormatted(filePath: string): boolean {
  return FORMATTED_EXTENSIONS.has(extension(filePath));
}

function extension(filePath: string): string {
  const base = filePath.slice(filePath.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot).toLowerCase();
}
