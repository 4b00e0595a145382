#!/usr/bin/env node
// The published entry: runs the compiled CLI (npm's "prepare" builds dist/).
import { prewarmFormatter } from '../dist/src/format.js';

const args = process.argv.slice(2);
// Load prettier in a worker while the engine loads here: a cold run's largest cost, off the critical path.
if (args[0] === 'generate' || args[0] === 'new') prewarmFormatter();
const { main } = await import('../dist/src/cli.js');

const readStdin = async () => {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
};

process.exitCode = await main(args, {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readStdin,
  interactive: process.stdin.isTTY === true && process.stdout.isTTY === true,
  cwd: process.cwd(),
});
