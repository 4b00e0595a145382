import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

let menuDone = false;

/** Called by the plopfile when a generator it ran has finished: the menu then ends with 0. */
export function menuFinished(): void {
  menuDone = true;
}

/**
 * Opens plop's generator menu on bulwark's plopfile: compiled next to this
 * module in dist/, or the TypeScript source when run through tsx.
 */
export async function runPlopMenu(): Promise<void> {
  // Ctrl-C in plop's menu closes it with the cursor still hidden, and the process would end with 0 (or be
  // killed by the SIGINT inquirer sends itself): show the cursor again, and end quietly with 130, as a
  // shell reports an interrupted command, unless a generator ran to its end.
  const showCursor = () => {
    if (process.stdout.isTTY) process.stdout.write('\u001b[?25h');
  };
  process.once('exit', (code) => {
    showCursor();
    if (!menuDone && code === 0) process.exitCode = 130;
  });
  process.once('SIGINT', () => {
    process.exit(130);
  });
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
