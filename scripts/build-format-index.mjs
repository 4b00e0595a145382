// Build step: records which placeholder-free templates prettier leaves
// unchanged, so a run can skip loading prettier's parsers for them
// (src/format.ts, loadFormatIndex). Output: dist/format-index.json.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { formatKey } = await import(path.join(root, 'dist/src/format.js'));
const { prettierOptionsFor } = await import(path.join(root, 'dist/src/prettier-options.js'));
const templates = path.join(root, 'templates');
const clean = [];
for (const entry of await readdir(templates, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !entry.name.endsWith('.hbs')) continue;
  const source = await readFile(path.join(entry.parentPath, entry.name), 'utf8');
  if (source.includes('{{')) continue; // its output depends on options
  const outputPath = entry.name.slice(0, -'.hbs'.length);
  const info = await prettier.getFileInfo(outputPath);
  if (info.inferredParser === null) continue;
  const formatted = await prettier.format(source, prettierOptionsFor(outputPath));
  if (formatted === source) clean.push(formatKey(outputPath, source));
}
const { version } = JSON.parse(await readFile(path.join(root, 'node_modules/prettier/package.json'), 'utf8'));
await writeFile(path.join(root, 'dist/format-index.json'), `${JSON.stringify({ prettier: version, clean: clean.sort() }, null, 2)}\n`);
console.log(`format index: ${clean.length} template(s) already formatted`);
