// Cold, whole-process timings of a headless generator run: bulwark against
// plop and hygen writing the same files from equivalent templates; then a
// cold `bulwark generate <module>` in a service, and warm in-process plans.
// Usage: npm run bench [-- --runs 15]
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

const BULWARK = path.join(root, 'bin/bulwark.js');
const tools = {
  'node (floor)': (dir) => [process.execPath, ['-e', ''], dir, {}],
  'bulwark new': (dir) => [process.execPath, [BULWARK, 'new', NAME, '--set', `name=${NAME}`, '--json'], dir, {}],
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

// A service on disk for the module runs, copied afresh before each (not timed).
const service = path.join(work, 'service');
{
  const { apply } = await import(path.join(root, 'dist/src/index.js'));
  await apply(await plan('app', { name: NAME }, { cwd: service }));
}
const MODULES = ['rbac', 'webhooks', 'auth'];
for (const module of MODULES) {
  tools[`bulwark ${module}`] = (dir) => {
    cpSync(service, path.join(dir, NAME), { recursive: true });
    return [process.execPath, [BULWARK, 'generate', module, '--cwd', NAME, '--json'], dir, {}];
  };
}

/** CPU time (user + system) of this process's finished children so far, in ms (Linux: /proc/self/stat). */
function childrenCpuMs() {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    return (Number(fields[13]) + Number(fields[14])) * 10; // cutime, cstime in clock ticks of 10 ms
  } catch {
    return Number.NaN;
  }
}

function runOnce(tool) {
  const dir = mkdtempSync(path.join(work, 'run-'));
  const [cmd, args, cwd, env] = tools[tool](dir);
  const cpu = childrenCpuMs();
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const cpuMs = childrenCpuMs() - cpu;
  if (r.status !== 0) throw new Error(`${tool} failed: ${r.stderr}`);
  if (tool === 'bulwark new' || tool === 'plop' || tool === 'hygen') {
    const written = countFiles(path.join(dir, NAME));
    if (written !== files.length) throw new Error(`${tool} wrote ${written} files, expected ${files.length}`);
  } else if (tool.startsWith('bulwark ')) {
    const doc = JSON.parse(r.stdout.toString());
    if (!doc.ok || !doc.files.some((f) => f.status === 'created')) throw new Error(`${tool} wrote nothing`);
  }
  rmSync(dir, { recursive: true, force: true });
  return { ms, cpuMs };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = {};
const load = [os.loadavg()[0]];
for (const tool of Object.keys(tools)) runOnce(tool); // one warm-up each: disk cache, Node's compile cache, not the process
for (let i = 0; i < RUNS; i += 1) {
  // interleave tools so drift on a shared machine hits all alike
  for (const tool of Object.keys(tools)) (results[tool] ??= []).push(runOnce(tool));
  load.push(os.loadavg()[0]);
}

// Warm, in-process plans of each module against the service on disk (the platform case).
const warm = {};
for (const module of MODULES) {
  for (let i = 0; i < 5; i += 1) await plan(module, {}, { cwd: service });
  const times = [];
  for (let i = 0; i < 4 * RUNS; i += 1) {
    const start = process.hrtime.bigint();
    await plan(module, {}, { cwd: service });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  warm[module] = times;
}

const hygen = median(results.hygen.map((r) => r.ms));
console.log(`${files.length} files per app run, ${RUNS} cold runs each, interleaved (${os.cpus().length} cores, node ${process.version}, load average ${load.map((l) => l.toFixed(1)).join(' → ')})`);
console.log('run                median ms   min ms   median CPU ms   vs hygen (wall)');
for (const [tool, runs] of Object.entries(results)) {
  const ms = runs.map((r) => r.ms);
  const cpu = runs.map((r) => r.cpuMs);
  console.log(`${tool.padEnd(18)} ${median(ms).toFixed(0).padStart(9)} ${Math.min(...ms).toFixed(0).padStart(8)} ${median(cpu).toFixed(0).padStart(15)}   ${(median(ms) / hygen).toFixed(2)}x`);
}
for (const [module, times] of Object.entries(warm)) {
  console.log(`warm plan ${module.padEnd(8)} ${median(times).toFixed(1).padStart(9)} ${Math.min(...times).toFixed(1).padStart(8)}   (in process, ${times.length} plans)`);
}
mkdirSync(path.join(root, '.bench-out'), { recursive: true });
writeFileSync(path.join(root, '.bench-out', 'results.json'), JSON.stringify({ files: files.length, runs: RUNS, load, results, warm }, null, 2));
rmSync(work, { recursive: true, force: true });

