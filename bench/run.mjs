// Cold, whole-process timings of a headless generator run: bulwark against
// plop and hygen writing the same files from equivalent templates.
// Usage: npm run bench [-- --runs 15]
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '11' } } });
const RUNS = Number(values.runs);
const NAME = 'bench-service';
const work = mkdtempSync(path.join(os.tmpdir(), 'bulwark-bench-'));

// The files bulwark's app generator writes, as the payload for every tool.
const { plan } = await import(path.join(root, 'dist/src/index.js'));
const files = (await plan('app', { name: NAME }, { cwd: path.join(work, 'probe') })).files.map((f) => ({ path: f.path, content: f.content }));

// plop: one "add" action per file, the name as a Handlebars variable.
const plopDir = path.join(work, 'plop');
files.forEach((f, i) => {
  mkdirSync(path.join(plopDir, 'templates'), { recursive: true });
  writeFileSync(path.join(plopDir, 'templates', `${i}.hbs`), f.content.replaceAll('{{', '\\{{').replaceAll(NAME, '{{name}}'));
});
writeFileSync(
  path.join(plopDir, 'plopfile.js'),
  `export default function (plop) {
  plop.setGenerator('module', {
    prompts: [{ type: 'input', name: 'name' }],
    actions: ${JSON.stringify(files.map((f, i) => ({ type: 'add', path: `{{name}}/${f.path}`, templateFile: `templates/${i}.hbs` })))},
  });
}
`,
);

// hygen: one EJS template per file with a "to:" front matter.
const hygenDir = path.join(work, 'hygen', '_templates', 'module', 'new');
mkdirSync(hygenDir, { recursive: true });
files.forEach((f, i) => {
  const body = f.content.replaceAll('<%', '<%%').replaceAll(NAME, '<%= name %>');
  writeFileSync(path.join(hygenDir, `${i}.ejs.t`), `---\nto: <%= name %>/${f.path}\n---\n${body}`);
});

const tools = {
  'node (floor)': (dir) => [process.execPath, ['-e', ''], dir, {}],
  bulwark: (dir) => [process.execPath, [path.join(root, 'bin/bulwark.js'), 'generate', 'app', '--cwd', NAME, '--set', `name=${NAME}`, '--json'], dir, {}],
  plop: (dir) => [process.execPath, [path.join(root, 'node_modules/plop/bin/plop.js'), '--plopfile', path.join(plopDir, 'plopfile.js'), '--dest', dir, 'module', NAME], dir, {}],
  hygen: (dir) => [process.execPath, [path.join(root, 'node_modules/hygen/dist/bin.js'), 'module', 'new', '--name', NAME], dir, { HYGEN_TMPLS: path.join(work, 'hygen', '_templates') }],
};

function countFiles(dir) {
  let n = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === '.bulwark') continue;
    n += entry.isDirectory() ? countFiles(path.join(dir, entry.name)) : 1;
  }
  return n;
}

function runOnce(tool) {
  const dir = mkdtempSync(path.join(work, 'run-'));
  const [cmd, args, cwd, env] = tools[tool](dir);
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${tool} failed: ${r.stderr}`);
  const written = tool === 'node (floor)' ? files.length : countFiles(path.join(dir, NAME));
  if (written !== files.length) throw new Error(`${tool} wrote ${written} files, expected ${files.length}`);
  rmSync(dir, { recursive: true, force: true });
  return ms;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = {};
for (const tool of Object.keys(tools)) runOnce(tool); // one warm-up each: disk cache, not the process
for (let i = 0; i < RUNS; i += 1) {
  // interleave tools so drift on a shared machine hits all alike
  for (const tool of Object.keys(tools)) (results[tool] ??= []).push(runOnce(tool));
}

const plopMedian = median(results.plop);
console.log(`${files.length} files per run, ${RUNS} cold runs each, median wall time (${os.cpus().length} cores, node ${process.version})`);
console.log('tool            median ms   min ms   vs plop');
for (const [tool, xs] of Object.entries(results)) {
  console.log(`${tool.padEnd(15)} ${median(xs).toFixed(0).padStart(9)} ${Math.min(...xs).toFixed(0).padStart(8)}   ${(median(xs) / plopMedian).toFixed(2)}x`);
}
mkdirSync(path.join(root, '.bench-out'), { recursive: true });
writeFileSync(path.join(root, '.bench-out', 'results.json'), JSON.stringify({ files: files.length, runs: RUNS, results }, null, 2));
rmSync(work, { recursive: true, force: true });

