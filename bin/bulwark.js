#!/usr/bin/env node
// The published entry: runs the compiled CLI (npm's "prepare" builds dist/).
import module from 'node:module';

// Node keeps the code it compiles for bulwark's modules (and prettier's) on disk, in its own cache
// directory, as TypeScript's tsc does: later runs skip most of the compiling. NODE_DISABLE_COMPILE_CACHE=1 turns it off.
module.enableCompileCache?.();

const args = process.argv.slice(2);
// FORCE_COLOR=0 asks for no colour, as NO_COLOR does; picocolors (plop's menu) would take any FORCE_COLOR as "on".
if (process.env.FORCE_COLOR === '0' || process.env.FORCE_COLOR === 'false') {
  delete process.env.FORCE_COLOR;
  process.env.NO_COLOR = '1';
}
const { main } = await import('../dist/src/cli.js');

// A reader that stops early (`bulwark new x --dry-run | head -1`) is not an error: end quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

// Stops reading once there is more than maxBytes: the CLI refuses that much (E_SPEC_TOO_LARGE).
const readStdin = async (maxBytes) => {
  const chunks = [];
  let length = 0;
  for await (const chunk of process.stdin) {
    chunks.push(chunk);
    length += chunk.length;
    if (length > maxBytes) break;
  }
  return Buffer.concat(chunks).toString('utf8');
};

process.exitCode = await main(args, {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readStdin,
  interactive: process.stdin.isTTY === true && process.stdout.isTTY === true,
  cwd: process.cwd(),
  // Progress only for a person watching a terminal: never into a pipe, a log or --json output.
  ...(process.stderr.isTTY === true ? { progress: (step) => process.stderr.write(`bulwark: ${step}…\n`) } : {}),
});
