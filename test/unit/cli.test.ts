import { execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { toBulwarkError } from '../../src/errors.js';
import { plan } from '../../src/index.js';
import { PACKAGE_ROOT } from '../../src/package-root.js';
import { snapshot, tempDir } from '../helpers/fs.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(argv: string[], options: { cwd?: string; stdin?: string; interactive?: boolean; progress?: (step: string) => void } = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    readStdin: () => Promise.resolve(options.stdin ?? ''),
    interactive: options.interactive ?? false,
    cwd: options.cwd ?? process.cwd(),
    ...(options.progress === undefined ? {} : { progress: options.progress }),
  });
  return { code, stdout, stderr };
}

/** --json promises exactly one JSON document on stdout. */
function json(r: Run): { ok: boolean; files: { path: string; status: string; diff?: string; keptAs?: string }[]; errors: { code: string; option?: string }[] } {
  return JSON.parse(r.stdout) as ReturnType<typeof json>;
}

describe('bulwark CLI, headless', () => {
  it('lists generators as JSON', async () => {
    const r = await run(['list', '--json']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { generators: { name: string }[] }).generators.map((g) => g.name)).toContain('app');
  });

  it.each([['--version'], ['--help']])('%s --json prints one JSON document', async (flag) => {
    const r = await run([flag, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true });
  });

  it.each([['-v'], ['--version']])('%s prints the version alone', async (flag) => {
    const r = await run([flag]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+\S*\n$/);
  });

  it.each([
    [['generate', 'auth', '--help'], 'auth'],
    [['generate', 'rbac', '-h'], 'rbac'],
    [['new', '--help'], 'app'],
  ])('%j lists that generator\'s options with their types and defaults', async (argv, name) => {
    const schema = JSON.parse((await run(['schema', name])).stdout) as { properties: Record<string, { default?: unknown }> };
    const r = await run(argv);

    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('Usage:');
    for (const [option, { default: given }] of Object.entries(schema.properties)) {
      const line = r.stdout.split('\n').find((l) => l.startsWith(`  ${option} (`));
      expect(line, option).toBeDefined();
      if (given !== undefined) expect(line).toContain(`default ${JSON.stringify(given)}`);
    }
    const listed = JSON.parse((await run([...argv, '--json'])).stdout) as { options: { name: string }[] };
    expect(listed.options.map((o) => o.name)).toStrictEqual(Object.keys(schema.properties));
  });

  it('answers --help after a generator that does not exist with the nearest name', async () => {
    const r = await run(['generate', 'webhook', '--help', '--json']);
    expect(r.code).toBe(2);
    expect(json(r).errors[0]).toMatchObject({ code: 'E_UNKNOWN_GENERATOR', fix: expect.stringContaining('"webhooks"') as unknown });
  });

  it('names an unknown flag without Node\'s hint about positionals, and guesses the flag meant', async () => {
    const r = await run(['new', 'x', '--dryrun']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`Unknown option '--dryrun'.`);
    expect(r.stderr).not.toContain('positional');
    expect(r.stderr).toContain('Did you mean --dry-run?');
  });

  it('announces its long steps where a terminal shows them, and never with --json', async () => {
    const dir = await tempDir();
    const steps: string[] = [];
    expect((await run(['new', 'svc'], { cwd: dir, progress: (step) => steps.push(step) })).code).toBe(0);
    expect(steps).toStrictEqual([expect.stringMatching(/^planning app: /), expect.stringMatching(/^writing \d+ files to /)]);

    const quiet: string[] = [];
    const r = await run(['new', 'other', '--json'], { cwd: dir, progress: (step) => quiet.push(step) });
    expect(r.code).toBe(0);
    expect(quiet).toStrictEqual([]);
  });

  it('refuses new with --cwd, and the fix names where the service would go', async () => {
    const dir = await tempDir();
    const r = await run(['new', 'svc', '--cwd', 'apps'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`bulwark new ${path.join(dir, 'apps', 'svc')}`);
    const absolute = await run(['new', path.join(dir, 'abs'), '--cwd', 'apps'], { cwd: dir });
    expect(absolute.stderr).toContain(`bulwark new ${path.join(dir, 'abs')}"`);
    expect(await snapshot(dir)).toEqual({});
  });

  it.each([['--json'], ['--yes']])('bare bulwark %s never opens the menu, even in a terminal', async (flag) => {
    const r = await run([flag, '--json'], { interactive: true });
    expect(r.code).toBe(2);
    expect(json(r).errors[0]?.code).toBe('E_NO_TTY');
  });

  it('prints the JSON Schema of a generator', async () => {
    const r = await run(['schema', 'app']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ type: 'object', additionalProperties: false, properties: { name: { type: 'string' } } });
  });

  it.each([
    [['generate', 'nope'], 'E_UNKNOWN_GENERATOR', 2],
    [['generate'], 'E_USAGE', 2],
    [['frobnicate'], 'E_USAGE', 2],
    [['generate', 'app', '--no-such-flag'], 'E_USAGE', 2],
    [[], 'E_NO_TTY', 2],
  ])('%j fails with %s, exit %i', async (argv, code, exit) => {
    const r = await run([...argv, '--json']);
    expect(r.code).toBe(exit);
    expect(json(r).errors[0]?.code).toBe(code);
  });

  it('refuses an unknown option before anything is written, naming it', async () => {
    const dir = await tempDir();
    const r = await run(['generate', 'app', '--cwd', 'svc', '--set', 'nmae=billing', '--json'], { cwd: dir });
    expect(r.code).toBe(3);
    expect(json(r).errors[0]).toMatchObject({ code: 'E_SPEC_INVALID', option: 'nmae' });
    expect(await snapshot(dir)).toEqual({});
  });

  it('refuses an invalid package name with the option and a fix, in human form on stderr', async () => {
    const dir = await tempDir();
    const r = await run(['new', 'Not A Name'], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('E_SPEC_INVALID');
    expect(r.stderr).toContain('fix: Pass a name, for example --set name="not-a-name"');
    expect(await snapshot(dir)).toEqual({});
  });

  it('refuses a spec that is not JSON', async () => {
    const r = await run(['generate', 'app', '--spec', '-', '--json'], { stdin: '{name: x}', cwd: await tempDir() });
    expect(r.code).toBe(3);
    expect(json(r).errors[0]?.code).toBe('E_SPEC_PARSE');
  });

  it('refuses a spec larger than it reads, from stdin or from a file that never ends, with E_SPEC_TOO_LARGE', async () => {
    const target = path.join(await tempDir(), 'svc');
    const big = await run(['new', target, '--spec', '-', '--json'], { stdin: `{"name":"${'a'.repeat(3 * 1024 * 1024)}"}` });
    expect({ code: big.code, errors: json(big).errors.map((e) => [e.code, e.option]) }).toStrictEqual({ code: 3, errors: [['E_SPEC_TOO_LARGE', 'spec']] });
    const endless = await run(['new', target, '--spec', '/dev/zero', '--json']);
    expect(json(endless).errors.map((e) => e.code)).toStrictEqual(['E_SPEC_TOO_LARGE']);
    expect(await snapshot(target)).toStrictEqual({ '.': '<missing>' });
  });

  it('reports what is not a bug as such: a target path too long, a NUL in it (API too), Ctrl-C at a prompt', async () => {
    const long = await run(['new', path.join(await tempDir(), 'a'.repeat(300)), '--json']);
    expect(json(long).errors.map((e) => [e.code, e.option])).toStrictEqual([['E_TARGET_INVALID', 'cwd']]);
    const deep = await run(['new', path.join(await tempDir(), ...Array.from({ length: 40 }, () => 'b'.repeat(100))), '--json']);
    expect(json(deep).errors.map((e) => e.code)).toStrictEqual(['E_TARGET_INVALID']);
    await expect(plan('app', {}, { cwd: 'svc\0x' })).rejects.toMatchObject({ code: 'E_TARGET_INVALID' });
    const ctrlC = Object.assign(new Error('User force closed the prompt with SIGINT'), { name: 'ExitPromptError' });
    expect(toBulwarkError(ctrlC).code).toBe('E_ABORTED');
  });

  it.each([
    [['genrate', 'app'], 'E_USAGE', '"bulwark generate"'],
    [['new', 'x', '--dryrun'], 'E_USAGE', '--dry-run'],
    [['generate', 'webhook'], 'E_UNKNOWN_GENERATOR', '"webhooks"'],
    [['schema', 'rbca'], 'E_UNKNOWN_GENERATOR', '"rbac"'],
  ])('a mistyped %j gets "did you mean"', async (argv, code, guess) => {
    const r = await run([...argv, '--json'], { cwd: await tempDir() });
    const error = json(r).errors[0] as { code: string; fix?: string };
    expect(error.code).toBe(code);
    expect(error.fix).toContain(`Did you mean ${guess}`);
  });

  it('refuses "new <dir> --cwd y" instead of ignoring --cwd', async () => {
    const dir = await tempDir();
    const r = await run(['new', 'x', '--cwd', 'y', '--json'], { cwd: dir });
    expect(json(r).errors.map((e) => e.code)).toStrictEqual(['E_USAGE']);
    expect(await snapshot(dir)).toStrictEqual({});
  });

  it('never echoes terminal escape sequences it was given', async () => {
    const r = await run(['--bad\u001b[31mred', '--yes']);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain('\u001b');
    expect(r.stderr).toContain('\\u001b[31mred');
  });

  it('refuses a spec file that is not UTF-8 instead of reading U+FFFD into options', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'spec.json'), Buffer.from([0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]));
    const r = await run(['new', path.join(dir, 'svc'), '--spec', 'spec.json', '--json'], { cwd: dir });
    expect(json(r).errors.map((e) => e.code)).toStrictEqual(['E_SPEC_PARSE']);
  });

  it('dry run: reports every file with a diff and writes nothing', async () => {
    const dir = await tempDir();
    const r = await run(['generate', 'app', '--cwd', 'svc', '--spec', '-', '--dry-run', '--json'], { cwd: dir, stdin: '{"name":"billing-api"}' });
    expect(r.code).toBe(0);
    const doc = json(r);
    expect(doc.files.length).toBeGreaterThan(10);
    expect(doc.files.every((f) => f.status === 'created')).toBe(true);
    expect(doc.files.find((f) => f.path === 'package.json')?.diff).toContain('+  "name": "billing-api",');
    expect(await snapshot(dir)).toEqual({});
  });

  it('generates, then a re-run changes nothing; an edited file is a conflict (exit 4) until --force keeps it as .orig', async () => {
    const dir = await tempDir();
    const target = path.join(dir, 'svc');
    const first = await run(['new', 'svc', '--json'], { cwd: dir });
    expect(first.code).toBe(0);
    expect(json(first).files.every((f) => f.status === 'created')).toBe(true);

    const before = await snapshot(target);
    const second = await run(['new', 'svc', '--json'], { cwd: dir });
    expect(second.code).toBe(0);
    expect(json(second).files.every((f) => f.status === 'unchanged')).toBe(true);
    expect(await snapshot(target)).toEqual(before);

    await writeFile(path.join(target, 'src/app.ts'), '// mine\n');
    const third = await run(['new', 'svc', '--set', 'name=other', '--json'], { cwd: dir });
    expect(third.code).toBe(4);
    expect(json(third).errors[0]?.code).toBe('E_TARGET_CONFLICT');
    // The fix is a command to paste: generator, target and options included.
    expect((json(third).errors[0] as { fix?: string }).fix).toContain(`bulwark new ${target} --set name=other --json --force`);
    expect(json(third).files.find((f) => f.path === 'src/app.ts')?.status).toBe('conflict');
    expect(await readFile(path.join(target, 'src/app.ts'), 'utf8')).toBe('// mine\n');

    const forced = await run(['new', 'svc', '--force', '--json'], { cwd: dir });
    expect(forced.code).toBe(0);
    expect(json(forced).files.find((f) => f.path === 'src/app.ts')).toMatchObject({ status: 'updated', keptAs: 'src/app.ts.orig' });
    expect(await readFile(path.join(target, 'src/app.ts.orig'), 'utf8')).toBe('// mine\n');
  });
});

describe('the menu in a real terminal (a pseudo-terminal from python3)', () => {
  const python = spawnSync('python3', ['--version']).status === 0;
  const bin = path.join(PACKAGE_ROOT, 'bin', 'bulwark.js');
  const built = existsSync(path.join(PACKAGE_ROOT, 'dist', 'plopfile.js'));
  const ctrlC = async (env: NodeJS.ProcessEnv) => {
    const { stdout } = await promisify(execFile)('python3', [path.join(PACKAGE_ROOT, 'test', 'helpers', 'pty-ctrl-c.py'), process.execPath, bin], { env, encoding: 'utf8', timeout: 90_000 });
    const [code, shown, coloured] = stdout.trim().split(' ').map(Number);
    return { code, shown, coloured };
  };

  it.skipIf(!python || !built)('Ctrl-C at the menu ends quietly with 130 and shows the cursor again; FORCE_COLOR=0 is honoured like NO_COLOR', { timeout: 200_000 }, async () => {
    const plain = Object.fromEntries(Object.entries(process.env).filter(([key]) => key !== 'FORCE_COLOR' && key !== 'NO_COLOR'));
    expect(await ctrlC({ ...plain, FORCE_COLOR: '1' })).toStrictEqual({ code: 130, shown: 1, coloured: 1 });
    expect(await ctrlC({ ...plain, FORCE_COLOR: '0' })).toStrictEqual({ code: 130, shown: 1, coloured: 0 });
  });
});

describe('the bin', () => {
  const bin = path.join(PACKAGE_ROOT, 'bin', 'bulwark.js');
  it.skipIf(!existsSync(path.join(PACKAGE_ROOT, 'dist', 'src', 'cli.js')))('ends quietly when its reader stops early (bulwark new x --dry-run | head -1)', { timeout: 60_000 }, async () => {
    const dir = await tempDir();
    const child = spawn(process.execPath, [bin, 'new', 'svc', '--dry-run'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // Read the first chunk, then close the pipe, as head -1 does.
    await new Promise<void>((resolve) => {
      child.stdout.once('data', () => {
        resolve();
      });
    });
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect({ code, stderr }).toStrictEqual({ code: 0, stderr: '' });
    expect(await snapshot(dir)).toStrictEqual({});
  });
});
