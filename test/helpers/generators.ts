import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { plan } from '../../src/index.js';
import { MANIFEST_PATH } from '../../src/manifest.js';
import { hasConflicts, type Plan, type PlanOptions } from '../../src/plan.js';
import { memoryWorkspace, type Workspace } from '../../src/workspace.js';
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

/**
 * A service `bulwark new` would write, held in memory: plan a module against
 * it with `plan(name, options, svc)`, "apply" a plan to it, read and edit its
 * files. No disk: the engine reads it through the same workspace generators
 * use (PlanOptions.workspace). The service is planned once per test file and
 * copied for each test.
 */
export class MemoryService implements PlanOptions {
  readonly cwd: string;
  private readonly files: Map<string, string>;

  constructor(cwd: string, files: ReadonlyMap<string, string>) {
    this.cwd = cwd;
    this.files = new Map(files);
  }

  get workspace(): Workspace {
    return memoryWorkspace(this.files);
  }

  read(file: string): string | undefined {
    return this.files.get(file);
  }

  write(file: string, content: string): void {
    this.files.set(file, content);
  }

  /** Every file, with its content. */
  entries(): [string, string][] {
    return [...this.files];
  }

  /** What `apply` would leave: every planned file but conflicts, and the manifest. */
  apply(p: Plan): void {
    if (hasConflicts(p)) throw new Error(`conflicts: ${p.files.filter((f) => f.status === 'conflict').map((f) => f.path).join(', ')}`);
    for (const f of p.files) if (f.status !== 'unchanged') this.files.set(f.path, f.content);
    this.files.set(MANIFEST_PATH, p.manifest.after);
  }
}

const MEMORY_TARGET = path.join(os.tmpdir(), 'bulwark-in-memory', 'svc');
let seed: Promise<Map<string, string>> | undefined;

/** A fresh in-memory copy of the service `bulwark new svc` writes (planned once per test file). */
export async function memoryService(): Promise<MemoryService> {
  seed ??= plan('app', {}, { cwd: MEMORY_TARGET, workspace: memoryWorkspace({}) }).then((p) => {
    return new Map(p.files.map((f) => [f.path, f.content] as const).concat([[MANIFEST_PATH, p.manifest.after]]));
  });
  return new MemoryService(MEMORY_TARGET, await seed);
}
