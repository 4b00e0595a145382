import path from 'node:path';
import { z } from 'zod';
import { apply } from '../../src/apply.js';
import { plan } from '../../src/index.js';
import { tempDir } from './fs.js';
import { defineGenerator, type FileIntent } from '../../src/generator.js';

/**
 * A generator for engine tests: its files come from its options, so a test
 * can make any plan it needs without templates on disk.
 */
export const fixtureGenerator = defineGenerator({
  name: 'fixture',
  description: 'Engine test generator.',
  options: z.strictObject({
    title: z.string().default('hello').describe('Text written into the files.'),
    files: z.array(z.string()).default(['a.txt', 'src/deep/b.ts']).describe('Paths to write.'),
  }),
  example: {},
  normalize: (parsed) => parsed,
  files: (options): FileIntent[] =>
    options.files.map((file) =>
      file.endsWith('.ts')
        ? { kind: 'content', path: file, content: `export const title = ${JSON.stringify(options.title)};\n` }
        : { kind: 'content', path: file, content: `${options.title}\n` },
    ),
});

/** A service `bulwark new` wrote, on disk in a fresh temporary folder, for module generators to join. */
export async function generatedService(): Promise<string> {
  const target = path.join(await tempDir(), 'svc');
  await apply(await plan('app', {}, { cwd: target }));
  return target;
}
