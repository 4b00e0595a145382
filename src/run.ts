import path from 'node:path';
import { apply, recover, type ApplyResult } from './apply.js';
import { BulwarkError } from './errors.js';
import type { AnyGenerator } from './generator.js';
import { hasConflicts, planGenerator, type Plan } from './plan.js';

/** How one generation runs: the same for the headless CLI and the interactive menu. */
export interface RunSettings {
  /** The target directory, absolute. */
  readonly target: string;
  /** Overwrite files the user changed, keeping theirs as `<file>.orig`. */
  readonly force: boolean;
  /** The command that runs this generation again, for the conflict error's fix. */
  readonly rerun: string;
  /** Asked with the plan before anything is written; without it, nothing is asked. */
  readonly confirm?: (p: Plan) => Promise<boolean>;
  /** Told of each long step (planning, writing), for a person watching a terminal. */
  readonly progress?: (step: string) => void;
}

/** What a run came to: written, or stopped before anything was written (with the plan, for the report). */
export type RunOutcome =
  | { readonly kind: 'applied'; readonly plan: Plan; readonly result: ApplyResult }
  | { readonly kind: 'stopped'; readonly plan: Plan; readonly error: BulwarkError };

/**
 * plan → conflicts → confirm → apply: one generation, all or nothing. A run
 * killed outright before this one (SIGKILL, power loss) left its lock and
 * staging behind: its steps are undone first.
 */
export async function runGenerator(generator: AnyGenerator, options: unknown, settings: RunSettings): Promise<RunOutcome> {
  await recover(settings.target);
  settings.progress?.(`planning ${generator.name}: rendering and formatting its files`);
  const p = await planGenerator(generator, options, { cwd: settings.target, force: settings.force });
  if (hasConflicts(p)) return { kind: 'stopped', plan: p, error: conflictError(p, settings.rerun) };
  if (settings.confirm !== undefined && !(await settings.confirm(p))) {
    return { kind: 'stopped', plan: p, error: new BulwarkError('E_ABORTED', 'Nothing was written.') };
  }
  settings.progress?.(`writing ${String(p.files.filter((f) => f.status !== 'unchanged').length)} files to ${p.target}`);
  return { kind: 'applied', plan: p, result: await apply(p) };
}

/** The one conflict error: which files, and the complete commands that review them or overwrite them. */
export function conflictError(p: Plan, rerun: string): BulwarkError {
  return new BulwarkError('E_TARGET_CONFLICT', 'Some files were changed since bulwark wrote them; nothing was written.', {
    issues: p.files.filter((f) => f.status === 'conflict').map((f) => ({ option: f.path, message: f.reason ?? 'conflict' })),
    fix: `Review with: ${rerun} --dry-run. Keep yours (do nothing), or write bulwark's and keep yours as <file>.orig with: ${rerun} --force`,
  });
}

/** What a command line that runs a generator again holds, besides the generator and the target. */
export interface RerunArgs {
  /** `--spec` as given: `-` for stdin, or a path (made absolute against `cwd`). */
  readonly spec?: string | undefined;
  readonly sets?: readonly string[] | undefined;
  readonly json?: boolean | undefined;
  readonly cwd: string;
}

/** The command that runs this generation again, complete (generator, target, spec, sets), quoted for a POSIX shell. */
export function rerunCommand(generator: AnyGenerator, target: string, args: RerunArgs): string {
  const words = generator.name === 'app' ? ['bulwark', 'new', target] : ['bulwark', 'generate', generator.name, '--cwd', target];
  if (args.spec !== undefined) words.push('--spec', args.spec === '-' ? '-' : path.resolve(args.cwd, args.spec));
  for (const pair of args.sets ?? []) words.push('--set', pair);
  if (args.json === true) words.push('--json');
  return words.map((w) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, "'\\''")}'`)).join(' ');
}
