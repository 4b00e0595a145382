// Build step: what a run would otherwise compute again and again, recorded
// once (src/format.ts, loadFormatIndex; output dist/format-index.json):
// - constant: what each template that prints no value renders to, so a run
//   does not compile it;
// - formatted: prettier's output in bulwark's style for those renderings and
//   for every file the generators write with their example options, so a
//   run loads prettier only for text that depends on options.
// Every entry is keyed by the exact bytes it was made from; a run that finds
// nothing for its bytes formats them itself.
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Plans below must format everything themselves, not answer from the last build's index.
await rm(path.join(root, 'dist/format-index.json'), { force: true });
const dist = (file) => import(path.join(root, 'dist', 'src', file));
const { formatKey, isFormatted, recordFormatting, PRETTIER_OPTIONS } = await dist('format.js');
const { prettierOptionsFor } = await dist('prettier-options.js');
const { constantOutput } = await dist('render.js');
const { makeSkeleton } = await dist('skeleton.js');
const { sha256 } = await dist('hash.js');
const { plan, GENERATORS, memoryWorkspace } = await dist('index.js');

const constant = {};
const skeletons = {};
const formatted = {};
const record = (filePath, input, output) => {
  formatted[formatKey(filePath, input)] = output === input ? null : output;
};

// Templates that print no value.
const templates = path.join(root, 'templates');
for (const entry of await readdir(templates, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !entry.name.endsWith('.hbs')) continue;
  const file = path.join(entry.parentPath, entry.name);
  const source = (await readFile(file, 'utf8')).replace(/\r\n?/g, '\n');
  const name = path.relative(templates, file);
  const outputPath = entry.name.slice(0, -'.hbs'.length);
  const formats = isFormatted(outputPath);
  const output = constantOutput(source, name);
  if (output === undefined) {
    const skeleton = formats ? await makeSkeleton(source, name, outputPath, (text) => prettier.format(text, prettierOptionsFor(outputPath))) : undefined;
    if (skeleton !== undefined && skeleton.max > skeleton.min) skeletons[sha256(source)] = skeleton;
    continue;
  }
  constant[sha256(source)] = output === source ? null : output;
  if (!formats) continue;
  record(outputPath, output, await prettier.format(output, prettierOptionsFor(outputPath)));
}

// Every generator with its example options: app in a new directory, the others in the service app writes.
recordFormatting((input, output) => {
  if (input.options === undefined) record(input.path, input.content, output);
});
const target = path.join(os.tmpdir(), 'bulwark-format-index', 'svc');
const service = await plan('app', GENERATORS.app.example, { cwd: target, workspace: memoryWorkspace({}) });
const files = Object.fromEntries(service.files.map((f) => [f.path, f.content]).concat([['.bulwark/manifest.json', service.manifest.after]]));
for (const generator of Object.values(GENERATORS)) {
  if (generator.name === 'app') continue;
  // A generator whose example needs more than a service (the generator generator needs bulwark's own tree) is left out.
  await plan(generator, generator.example, { cwd: target, workspace: memoryWorkspace(files) }).catch(() => undefined);
}
recordFormatting(undefined);

const { version } = JSON.parse(await readFile(path.join(root, 'node_modules/prettier/package.json'), 'utf8'));
const sorted = (o) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
await writeFile(
  path.join(root, 'dist/format-index.json'),
  `${JSON.stringify({ prettier: version, style: PRETTIER_OPTIONS, constant: sorted(constant), formatted: sorted(formatted), skeletons: sorted(skeletons) })}\n`,
);
console.log(
  `format index: ${Object.keys(constant).length} constant template(s), ${Object.keys(skeletons).length} skeleton(s), ${Object.keys(formatted).length} formatted text(s)`,
);
