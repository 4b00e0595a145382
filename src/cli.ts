import path from 'node:path';
import { parseArgs } from 'node:util';
import { reportOf } from './apply.js';
import { BulwarkError, toBulwarkError } from './errors.js';
import type { AnyGenerator } from './generator.js';
import { jsonSchemaOf, MAX_INPUT_BYTES, parseSetPairs, parseSpecText, readInput, tooLarge } from './options.js';
import { OWN_PACKAGE } from './package-root.js';
import { hasConflicts, planGenerator, targetPath, type Plan } from './plan.js';
import { GENERATORS, getGenerator } from './registry.js';
import { summarize } from './report.js';
import { rerunCommand, runGenerator } from './run.js';
import { targetContext } from './workspace.js';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Reads stdin, stopping once it has more than `maxBytes`. */
  readonly readStdin: (maxBytes: number) => Promise<string>;
  /** True only when both stdin and stdout are terminals: the only case bulwark prompts. */
  readonly interactive: boolean;
  readonly cwd: string;
  /** Where a long step is announced; the bin sets it only when stderr is a terminal. Never used with --json. */
  readonly progress?: (step: string) => void;
}

const USAGE = `bulwark ${OWN_PACKAGE.version}: secure-by-default TypeScript scaffolding

Usage:
  bulwark                          menu of generators (in a terminal)
  bulwark new <dir> [flags]        new service in <dir> (the app generator)
  bulwark generate <generator> [--spec file.json | --spec -] [--set key=value ...]
                   [--cwd dir] [--dry-run] [--json] [--yes] [--force]
  bulwark schema <generator>       JSON Schema of a generator's options
  bulwark list [--json]            the generators
  bulwark generate <generator> --help   that generator's options, types and defaults

Flags:
  --spec <file|->   options as a JSON object (- reads stdin)
  --set key=value   one option; JSON values (true, 3000) are parsed, others are strings
  --cwd <dir>       target directory (default: current directory)
  --dry-run         print the unified diff of every change; write nothing
  --json            print one JSON document on stdout and nothing else
  --yes             take defaults and skip the confirmation (implied without a terminal)
  --force           overwrite files you changed, keeping yours as <file>.orig
  -h, --help        this text; after a generator, its options
  -v, --version     bulwark's version

Exit codes: 0 ok, 1 bug, 2 usage, 3 invalid spec or path, 4 conflict,
5 write failed (rolled back) or target locked, 6 declined, 7 template error.
`;

const FLAGS = {
  spec: { type: 'string' },
  set: { type: 'string', multiple: true },
  cwd: { type: 'string' },
  'dry-run': { type: 'boolean' },
  json: { type: 'boolean' },
  yes: { type: 'boolean', short: 'y' },
  force: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

type Flags = ReturnType<typeof parseFlags>['values'];

function parseFlags(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options: FLAGS, allowPositionals: true, strict: true });
  } catch (error) {
    const message = (error as Error).message;
    const unknown = /^Unknown option '--([^']*)'/.exec(message)?.[1];
    const guess = unknown === undefined ? undefined : didYouMean(unknown, Object.keys(FLAGS));
    // Node's own hint about positionals that start with '-' does not apply to any bulwark command.
    throw new BulwarkError('E_USAGE', message.replace(/\. To specify a positional argument[\s\S]*$/, '.'), {
      fix: guess === undefined ? 'Run "bulwark --help" for the commands and flags.' : `Did you mean --${guess}? "bulwark --help" lists the flags.`,
    });
  }
}

/** Runs one command line and returns the exit code; never calls process.exit. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let json = argv.includes('--json');
  try {
    const { values, positionals } = parseFlags(argv);
    json = values.json === true;
    const [command, ...rest] = positionals;
    if (values.version === true) return done(io, json ? `${JSON.stringify({ ok: true, version: OWN_PACKAGE.version })}\n` : `${OWN_PACKAGE.version}\n`);
    if (values.help === true && (command === 'new' || (command === 'generate' && rest.length > 0))) {
      // After a generator: that generator's options, from its schema.
      return done(io, generatorHelp(generatorNamed(command === 'new' ? 'app' : one(rest, 'generate <generator> --help')), json));
    }
    if (values.help === true || command === 'help') return done(io, json ? `${JSON.stringify({ ok: true, usage: USAGE })}\n` : USAGE);
    switch (command) {
      case undefined:
        // --json and --yes promise no prompt, terminal or not.
        return await menu({ ...io, interactive: io.interactive && !json && values.yes !== true });
      case 'list':
        return list(io, json);
      case 'schema':
        io.stdout(`${JSON.stringify(jsonSchemaOf(generatorNamed(one(rest, 'schema <generator>'))), null, 2)}\n`);
        return 0;
      case 'new': {
        const dir = one(rest, 'new <dir>');
        if (values.cwd !== undefined) {
          throw new BulwarkError('E_USAGE', '"bulwark new <dir>" takes its target as <dir>; --cwd is not used with it.', {
            fix: `Run "bulwark new ${path.resolve(io.cwd, values.cwd, dir)}" for a service there, or leave out --cwd.`,
          });
        }
        return await generate(getGenerator('app'), { ...values, cwd: path.resolve(io.cwd, dir) }, io);
      }
      case 'generate':
        return await generate(generatorNamed(one(rest, 'generate <generator>')), values, io);
      default: {
        const guess = didYouMean(command, COMMANDS);
        throw new BulwarkError('E_USAGE', `Unknown command ${JSON.stringify(command)}.`, {
          fix: guess === undefined ? 'Run "bulwark --help" for the commands.' : `Did you mean "bulwark ${guess}"? "bulwark --help" lists the commands.`,
        });
      }
    }
  } catch (error) {
    return fail(io, toBulwarkError(error), json);
  }
}

const COMMANDS = ['new', 'generate', 'schema', 'list', 'help'];

interface OptionSchema {
  readonly type?: string | readonly string[];
  readonly enum?: readonly unknown[];
  readonly items?: OptionSchema;
  readonly default?: unknown;
  readonly description?: string;
}

/** One generator's options as a new user reads them: name, type, default, description. */
function generatorHelp(generator: AnyGenerator, json: boolean): string {
  const schema = jsonSchemaOf(generator) as { properties?: Record<string, OptionSchema>; required?: readonly string[] };
  const options = Object.entries(schema.properties ?? {}).map(([name, option]) => ({
    name,
    type: typeOf(option),
    required: schema.required?.includes(name) === true && option.default === undefined,
    ...(option.default === undefined ? {} : { default: option.default }),
    description: option.description ?? '',
  }));
  if (json) return `${JSON.stringify({ ok: true, generator: generator.name, description: generator.description, options })}\n`;
  const command = generator.name === 'app' ? 'bulwark new <dir>' : `bulwark generate ${generator.name} [--cwd dir]`;
  const lines = [`${command} [--set option=value ...] [--spec file.json]`, '', generator.description, '', 'Options:'];
  for (const option of options) {
    const given = option.required ? 'required' : 'default' in option ? `default ${JSON.stringify(option.default)}` : 'optional';
    lines.push(`  ${option.name} (${option.type}; ${given})`);
    if (option.description !== '') lines.push(`      ${option.description}`);
  }
  lines.push('', `Example: ${command} --set ${options[0]?.name ?? 'name'}=...  ("bulwark schema ${generator.name}" prints the JSON Schema)`);
  return `${lines.join('\n')}\n`;
}

function typeOf(option: OptionSchema): string {
  if (option.enum !== undefined) return option.enum.map((value) => JSON.stringify(value)).join(' | ');
  if (option.type === 'array') return `list of ${option.items === undefined ? 'values' : typeOf(option.items)}`;
  if (Array.isArray(option.type)) return option.type.join(' | ');
  return typeof option.type === 'string' ? option.type : 'value';
}

/** The generator of that name, or E_UNKNOWN_GENERATOR with the nearest name as the fix. */
function generatorNamed(name: string): AnyGenerator {
  try {
    return getGenerator(name);
  } catch (error) {
    const guess = didYouMean(name, Object.keys(GENERATORS));
    if (!(error instanceof BulwarkError) || guess === undefined) throw error;
    throw new BulwarkError(error.code, error.message, { ...error.details, fix: `Did you mean "${guess}"? ${error.details.fix ?? ''}`.trim() });
  }
}

/** The candidate nearest to what was typed (edit distance at most 2, or a prefix of it), if any. */
export function didYouMean(typed: string, candidates: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    const distance = name.startsWith(typed) || typed.startsWith(name) ? 1 : editDistance(typed.toLowerCase(), name);
    if (distance <= 2 && (best === undefined || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

/** Levenshtein distance, with a swap of two neighbours counted as one edit. */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2 || a.length > 64) return 3;
  const rows = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = rows[i] as number[];
      const up = rows[i - 1] as number[];
      row[j] = Math.min((up[j] as number) + 1, (row[j - 1] as number) + 1, (up[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j] as number, ((rows[i - 2] as number[])[j - 2] as number) + 1);
    }
  }
  return (rows[a.length] as number[])[b.length] as number;
}

function one(rest: readonly string[], usage: string): string {
  const [value, ...extra] = rest;
  if (value === undefined || extra.length > 0) {
    throw new BulwarkError('E_USAGE', `Expected: bulwark ${usage}.`, { fix: 'Run "bulwark --help" for the commands.' });
  }
  return value;
}

function done(io: CliIo, text: string): number {
  io.stdout(text);
  return 0;
}

function list(io: CliIo, json: boolean): number {
  const generators = Object.values(GENERATORS).map((g) => ({ name: g.name, description: g.description }));
  if (json) return done(io, `${JSON.stringify({ ok: true, generators })}\n`);
  return done(io, generators.map((g) => `${g.name.padEnd(12)} ${g.description}`).join('\n') + '\n');
}

async function menu(io: CliIo): Promise<number> {
  if (!io.interactive) {
    throw new BulwarkError('E_NO_TTY', 'The generator menu needs a terminal, and there is none.', {
      fix: 'Run "bulwark generate <generator> --spec file.json" headlessly, or "bulwark list" to see the generators.',
    });
  }
  const { runPlopMenu } = await import('./menu.js');
  await runPlopMenu();
  return 0;
}

/** A spec file's text; bytes that are not UTF-8 are refused, not turned into U+FFFD. */
function utf8(bytes: Uint8Array, source: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new BulwarkError('E_SPEC_PARSE', `The spec ${source} is not UTF-8.`, { option: 'spec', fix: 'Save the spec as UTF-8 JSON.' });
  }
}

async function readOptions(flags: Flags, io: CliIo): Promise<Record<string, unknown>> {
  let spec: Record<string, unknown> = {};
  if (flags.spec !== undefined) {
    const source = flags.spec === '-' ? 'on stdin' : JSON.stringify(flags.spec);
    let text: string;
    try {
      text = flags.spec === '-' ? await io.readStdin(MAX_INPUT_BYTES) : utf8(await readInput(path.resolve(io.cwd, flags.spec), `spec ${source}`, 'spec'), source);
    } catch (error) {
      if (error instanceof BulwarkError) throw error;
      throw new BulwarkError('E_SPEC_PARSE', `Cannot read the spec ${source}: ${(error as Error).message}`, { fix: 'Check the --spec path.' });
    }
    if (Buffer.byteLength(text) > MAX_INPUT_BYTES) throw tooLarge(`spec ${source}`, 'spec');
    spec = parseSpecText(text, source);
  }
  return { ...spec, ...parseSetPairs(flags.set ?? []) };
}

async function generate(generator: AnyGenerator, flags: Flags, io: CliIo): Promise<number> {
  const json = flags.json === true;
  const target = targetPath(path.resolve(io.cwd, flags.cwd ?? '.'));
  // Prompts only in a terminal, never with --json or --yes: headless runs cannot hang.
  const prompting = io.interactive && !json && flags.yes !== true;
  let options = await readOptions(flags, io);
  if (prompting) {
    const { askOptions } = await import('./interactive.js');
    options = await askOptions(generator, options, targetContext(target));
  }
  const force = flags.force === true;
  if (flags['dry-run'] === true) return dryRun(await planGenerator(generator, options, { cwd: target, force }), io, json);
  const confirmPlan = prompting ? (await import('./interactive.js')).confirmPlan : undefined;
  const progress = json ? undefined : io.progress;
  const outcome = await runGenerator(generator, options, {
    target,
    force,
    rerun: rerunCommand(generator, target, { spec: flags.spec, sets: flags.set, json, cwd: io.cwd }),
    ...(confirmPlan === undefined ? {} : { confirm: (p: Plan) => confirmPlan(p, io.stdout) }),
    ...(progress === undefined ? {} : { progress }),
  });
  if (outcome.kind === 'stopped') return fail(io, outcome.error, json, outcome.plan);
  const { plan: p, result } = outcome;
  if (json) {
    io.stdout(`${JSON.stringify({ ok: true, generator: p.generator, target: p.target, dryRun: false, files: result.files, manifestWritten: result.manifestWritten, errors: [], warnings: p.warnings }, null, 2)}\n`);
  } else {
    io.stdout(summarize(result.files, p.target, false));
    warn(io, p);
  }
  return 0;
}

/** Warnings go to stderr, one line each with their code; in JSON they are the document's `warnings`. */
function warn(io: CliIo, p: Plan): void {
  for (const w of p.warnings) io.stderr(`${forTerminal(`bulwark: warning ${w.code}: ${w.message}`)}\n`);
}

function dryRun(p: Plan, io: CliIo, json: boolean): number {
  const exitCode = hasConflicts(p) ? 4 : 0;
  if (json) {
    const files = p.files.map((f) => ({ ...reportOf(f), diff: f.diff }));
    const errors = exitCode === 0 ? [] : [{ code: 'E_TARGET_CONFLICT', message: 'Some files would be in conflict.' }];
    const doc = { ok: exitCode === 0, generator: p.generator, target: p.target, dryRun: true, files, manifestWritten: false, errors, warnings: p.warnings };
    io.stdout(`${JSON.stringify(doc, null, 2)}\n`);
  } else {
    for (const f of p.files) if (f.diff !== '') io.stdout(f.diff);
    io.stdout(summarize(p.files, p.target, true));
    io.stdout('dry run: nothing was written\n');
    warn(io, p);
  }
  return exitCode;
}

/** Control characters (ESC starts terminal escape sequences) and invisible ones shown as \\uXXXX. */
function forTerminal(line: string): string {
  // eslint-disable-next-line no-control-regex
  return line.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function fail(io: CliIo, error: BulwarkError, json: boolean, p?: Plan): number {
  if (json) {
    const files = p?.files.map(reportOf) ?? [];
    io.stdout(`${JSON.stringify({ ok: false, ...(p ? { generator: p.generator, target: p.target } : {}), files, errors: [error.toJSON()], warnings: p?.warnings ?? [] }, null, 2)}\n`);
  } else {
    const { fix, issues } = error.details;
    const lines = [`bulwark: ${error.code}: ${error.message}`];
    for (const issue of issues ?? []) lines.push(`  - ${issue.option}: ${issue.message}`);
    if (fix !== undefined) lines.push(`  fix: ${fix}`);
    // Messages quote what the user typed: no escape sequence reaches the terminal.
    io.stderr(`${lines.map(forTerminal).join('\n')}\n`);
  }
  return error.exitCode;
}
