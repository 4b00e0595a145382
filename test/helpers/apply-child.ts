/**
 * A real process that applies a plan, for tests that kill it: prints each
 * step as `step <kind>:<index>` and, at the step named, waits for a line on
 * stdin before going on, so the parent can signal it at exactly that point.
 * Usage: node --import tsx apply-child.ts <plan.json> [<kind>:<index>]
 */
import { readFile } from 'node:fs/promises';
import { apply } from '../../src/apply.js';
import type { Plan } from '../../src/plan.js';

const [planFile = '', pauseAt] = process.argv.slice(2);
const waitForParent = () =>
  new Promise<void>((resolve) => {
    process.stdin.once('data', () => {
      resolve();
    });
  });

try {
  const p = JSON.parse(await readFile(planFile, 'utf8')) as Plan;
  await apply(p, {
    beforeStep: async (step) => {
      process.stdout.write(`step ${step.kind}:${String(step.index)}\n`);
      if (`${step.kind}:${String(step.index)}` === pauseAt) await waitForParent();
    },
  });
  process.stdout.write('ok\n');
} catch (error) {
  process.stdout.write(`error ${(error as { code?: string }).code ?? String(error)}\n`);
}
process.stdin.destroy();
