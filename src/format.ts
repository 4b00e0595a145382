import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import type { Options } from 'prettier';
import { BulwarkError } from './errors.js';
import { sha256 } from './hash.js';
import { PRETTIER_OPTIONS, prettierOptionsFor } from './prettier-options.js';

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
 * are, and so are files whose exact bytes are in `knownClean` (see
 * {@link loadFormatIndex}): formatting them is proven to change nothing;
 * `keepAsIs[i]` leaves file i alone (a user's file bulwark only edited).
 */
export async function formatAll(
  files: readonly FormatInput[],
  knownClean: ReadonlySet<string> = new Set(),
  keepAsIs: readonly boolean[] = [],
): Promise<string[]> {
  const result = files.map((f, i) =>
    keepAsIs[i] === true || !FORMATTED_EXTENSIONS.has(extension(f.path)) || (f.options === undefined && knownClean.has(formatKey(f.path, f.content)))
      ? f.content
      : recent.get(recentKey(f)),
  );
  const todo = files.filter((_, i) => result[i] === undefined);
  if (todo.length === 0) return result as string[];
  // A worker failure of any kind falls back to formatting here, which also reports errors properly.
  const done = (await warmFormatter?.format(todo).catch(() => undefined)) ?? (await formatHere(todo));
  let next = 0;
  return files.map((f, i) => {
    const known = result[i];
    if (known !== undefined) return known;
    const formatted = done[next++] ?? f.content;
    remember(recentKey(f), formatted);
    return formatted;
  });
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

/** Identifies content for the format index: the parser (by extension) and the exact bytes. */
export function formatKey(filePath: string, content: string): string {
  return `${extension(filePath)}:${sha256(content)}`;
}

export interface FormatIndex {
  readonly prettier: string;
  readonly clean: readonly string[];
}

/**
 * Reads the index the build writes (dist/format-index.json): the keys of
 * template texts with no placeholders that prettier leaves unchanged. A cold
 * run then loads prettier's parsers only for files whose text depends on
 * options. A missing or stale index (another prettier version) only costs
 * time: every file is formatted.
 */
export async function loadFormatIndex(indexPath: string, prettierVersion: string): Promise<ReadonlySet<string>> {
  try {
    const index = JSON.parse(await readFile(indexPath, 'utf8')) as FormatIndex;
    return index.prettier === prettierVersion ? new Set(index.clean) : new Set();
  } catch {
    return new Set();
  }
}

function extension(filePath: string): string {
  const base = filePath.slice(filePath.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot).toLowerCase();
}
