import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Opens plop's generator menu on bulwark's plopfile: compiled next to this
 * module in dist/, or the TypeScript source when run through tsx.
 */
export async function runPlopMenu(): Promise<void> {
  const compiled = fileURLToPath(new URL('../plopfile.js', import.meta.url));
  const configPath = existsSync(compiled) ? compiled : fileURLToPath(new URL('../plopfile.ts', import.meta.url));
  const { Plop, run } = await import('plop');
  await new Promise<void>((resolve) => {
    Plop.prepare({ cwd: process.cwd(), configPath, preload: [], completion: undefined }, (env) => {
      Plop.execute(env, (e) => {
        void run(e, undefined, true);
        resolve();
      });
    });
  });
}
