import path from 'node:path';
import type { NodePlopAPI } from 'node-plop';
import { input } from '@inquirer/prompts';
import { toBulwarkError } from './src/errors.js';
import { askOptions, confirmPlan } from './src/interactive.js';
import { menuFinished } from './src/menu.js';
import { GENERATORS } from './src/registry.js';
import { summarize } from './src/report.js';
import { rerunCommand, runGenerator } from './src/run.js';
import { targetContext } from './src/workspace.js';

/**
 * The interactive front: one plop generator per bulwark generator. Prompts
 * come from each generator's zod schema; the plan is shown before anything
 * is written, and the same engine as the headless CLI writes it.
 */
export default function plopfile(plop: NodePlopAPI): void {
  plop.setWelcomeMessage('bulwark: which part of your service do you want to generate?');
  for (const generator of Object.values(GENERATORS)) {
    plop.setGenerator(generator.name, {
      description: generator.description,
      // The whole run happens here, as the CLI runs it (src/run.ts); plop's one action reports it.
      prompts: async () => exitOnError(async () => {
        const dir = await input({ message: 'Target directory', default: generator.name === 'app' ? `./${generator.name}` : '.' });
        const target = path.resolve(dir);
        const options = await askOptions(generator, {}, targetContext(target));
        const write = (text: string) => process.stdout.write(text);
        const outcome = await runGenerator(generator, options, {
          target,
          force: false,
          rerun: rerunCommand(generator, target, { sets: Object.entries(options).map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`), cwd: process.cwd() }),
          confirm: (p) => confirmPlan(p, write),
        });
        if (outcome.kind === 'stopped') {
          if (outcome.error.code === 'E_TARGET_CONFLICT') write(summarize(outcome.plan.files, outcome.plan.target, true));
          throw outcome.error;
        }
        for (const w of outcome.plan.warnings) process.stderr.write(`bulwark: warning ${w.code}: ${w.message}\n`);
        menuFinished();
        return { report: summarize(outcome.result.files, outcome.result.target, false).trimEnd() };
      }),
      actions: [(answers) => (answers as { report: string }).report],
    });
  }
}

/**
 * plop exits 1 on any failure; bulwark's exit codes say what kind it was
 * (docs/errors.md), so a BulwarkError ends the process with its own code.
 */
async function exitOnError<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    const failure = toBulwarkError(error);
    process.stderr.write(`bulwark: ${failure.code}: ${failure.message}\n`);
    if (failure.details.fix !== undefined) process.stderr.write(`  fix: ${failure.details.fix}\n`);
    process.exit(failure.exitCode);
  }
}
