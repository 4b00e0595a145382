import path from 'node:path';
import type { NodePlopAPI } from 'node-plop';
import { input } from '@inquirer/prompts';
import { apply, recover } from './src/apply.js';
import { BulwarkError, toBulwarkError } from './src/errors.js';
import { askOptions, confirmPlan } from './src/interactive.js';
import { hasConflicts, plan, type Plan } from './src/plan.js';
import { GENERATORS } from './src/registry.js';
import { summarize } from './src/report.js';

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
      prompts: async () => exitOnError(async () => {
        const dir = await input({ message: 'Target directory', default: generator.name === 'app' ? `./${generator.name}` : '.' });
        const target = path.resolve(dir);
        const options = await askOptions(generator, {}, { target });
        await recover(target);
        const p = await plan(generator, options, { cwd: target });
        const write = (text: string) => process.stdout.write(text);
        if (hasConflicts(p)) {
          write(summarize(p.files, p.target, true));
          throw new BulwarkError('E_TARGET_CONFLICT', `Some files were changed since bulwark wrote them; nothing was written. To overwrite them and keep yours as <file>.orig, run: bulwark generate ${generator.name} --cwd ${JSON.stringify(target)} --force (with your answers as --set key=value).`);
        }
        if (!(await confirmPlan(p, write))) throw new BulwarkError('E_ABORTED', 'Nothing was written.');
        return { plan: p };
      }),
      actions: [
        async (answers) =>
          exitOnError(async () => {
            const result = await apply((answers as { plan: Plan }).plan);
            return summarize(result.files, result.target, false).trimEnd();
          }),
      ],
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
