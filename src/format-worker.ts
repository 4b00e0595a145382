/**
 * Worker thread that loads prettier and warms its parsers while the main
 * thread loads the engine and renders templates: on a cold run, prettier's
 * start-up is the largest single cost, and this takes it off the critical
 * path. Answers { id, files } with { id, formatted } or { id, error }.
 */
import { parentPort } from 'node:worker_threads';
import * as prettier from 'prettier';
import type { Options } from 'prettier';
import { prettierOptionsFor } from './prettier-options.js';

interface Request {
  readonly id: number;
  readonly files: readonly { path: string; content: string; options?: Options | undefined }[];
}

const port = parentPort;
if (port === null) throw new Error('format-worker must run in a worker thread');

// The parsers every generated repository needs; warm-up output is discarded.
// (An empty text would not load a parser.)
const SAMPLES: Readonly<Record<string, string>> = {
  'x.ts': 'export const a: number = f(1);\n',
  'x.md': '# a\n\n- b\n',
  'x.json': '{ "a": [1] }\n',
};
const warm = Promise.all(
  Object.entries(SAMPLES).map(([filepath, text]) => prettier.format(text, prettierOptionsFor(filepath)).catch(() => '')),
);

port.on('message', (request: Request) => {
  void warm
    .then(() => Promise.all(request.files.map((f) => prettier.format(f.content, prettierOptionsFor(f.path, f.options)))))
    .then(
      (formatted) => {
        port.postMessage({ id: request.id, formatted });
      },
      (error: unknown) => {
        port.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) });
      },
    );
});
