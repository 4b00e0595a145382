import { spawn } from 'node:child_process';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { apply, recover } from '../../src/apply.js';
import { main } from '../../src/cli.js';
import { PACKAGE_ROOT } from '../../src/package-root.js';
import type { Plan } from '../../src/plan.js';
import { plan } from '../../src/index.js';
import { snapshot, tempDir } from '../helpers/fs.js';
import { fixtureGenerator } from '../helpers/generators.js';

const CHILD = path.join(import.meta.dirname, '..', 'helpers', 'apply-child.ts');
const FILES = ['f0.txt', 'd1/e/f1.txt'];
/** Every step of an apply of FILES and the manifest: staged, then placed. */
const STEPS = ['stage', 'place'].flatMap((kind) => FILES.concat('manifest').map((_, i) => `${kind}:${String(i)}`));

/** Writes a plan where a child process can read it. */
async function planFile(p: Plan): Promise<string> {
  const file = path.join(await tempDir(), 'plan.json');
  await writeFile(file, JSON.stringify(p));
  return file;
}

/**
 * Runs a real apply in a child process and sends it `signal` at step `at`
 * (the child waits there until the signal is sent), or, with `pause` false,
 * whenever the child happens to be once it has reported that step.
 */
async function killedAt(p: Plan, at: string, signal: NodeJS.Signals, pause = true): Promise<{ lines: string[]; signal: NodeJS.Signals | null }> {
  const file = await planFile(p);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, file, ...(pause ? [at] : [])], { stdio: ['pipe', 'pipe', 'inherit'] });
    const lines: string[] = [];
    createInterface({ input: child.stdout }).on('line', (line) => {
      lines.push(line);
      if (line !== `step ${at}`) return;
      child.kill(signal);
      // A process that handles the signal goes on once it has noted it.
      if (pause) setTimeout(() => child.stdin.write('go\n'), 100);
    });
    child.stdin.on('error', () => undefined);
    child.on('error', reject);
    child.on('close', (_code, received) => {
      resolve({ lines, signal: received });
    });
  });
}

/** Runs `each` at every step, a few child processes at a time. */
async function atEveryStep<T>(each: (at: string) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < STEPS.length; i += 3) results.push(...(await Promise.all(STEPS.slice(i, i + 3).map(each))));
  return results;
}

/** A service bulwark wrote (v1, the first file) with a file of the user's beside, and a snapshot of it. */
async function service(): Promise<{ target: string; before: Record<string, string> }> {
  const target = path.join(await tempDir(), 'svc');
  await apply(await plan(fixtureGenerator, { files: FILES.slice(0, 1), title: 'v1' }, { cwd: target }));
  await writeFile(path.join(target, 'mine.txt'), "not bulwark's\n");
  return { target, before: await snapshot(target) };
}

const v2 = (target: string, files = FILES) => plan(fixtureGenerator, { files, title: 'v2' }, { cwd: target });

describe('signals during an apply (a real child process, signalled at every step)', { timeout: 120_000 }, () => {
  it('SIGINT rolls back a first run completely: no file, no lock, no staging, not even the target directory', async () => {
    const outcomes = await atEveryStep(async (at) => {
      const target = path.join(await tempDir(), 'new');
      const outcome = await killedAt(await plan(fixtureGenerator, { files: FILES }, { cwd: target }), at, 'SIGINT');
      return { at, outcome, after: await snapshot(target) };
    });
    for (const { at, outcome, after } of outcomes) {
      expect(outcome.lines.at(-1), `SIGINT at ${at}`).toBe('error E_ABORTED');
      expect(after, `SIGINT at ${at}`).toStrictEqual({ '.': '<missing>' });
    }
  });

  it('SIGTERM restores an existing service exactly: replaced files put back, new files and directories gone', async () => {
    const outcomes = await atEveryStep(async (at) => {
      const { target, before } = await service();
      const outcome = await killedAt(await v2(target), at, 'SIGTERM');
      return { at, outcome, before, after: await snapshot(target) };
    });
    for (const { at, outcome, before, after } of outcomes) {
      expect(outcome.lines.at(-1), `SIGTERM at ${at}`).toBe('error E_ABORTED');
      expect(after, `SIGTERM at ${at}`).toStrictEqual(before);
    }
  });

  it('after SIGKILL at any step, the next run finds the stale lock, undoes the steps, and then writes the service', async () => {
    const outcomes = await atEveryStep(async (at) => {
      const { target, before } = await service();
      const outcome = await killedAt(await v2(target), at, 'SIGKILL');
      const left = await snapshot(target);
      const recovered = await recover(target);
      const restored = await snapshot(target);
      await apply(await v2(target));
      return { at, outcome, before, left, recovered, restored, final: await snapshot(target) };
    });
    for (const { at, outcome, before, left, recovered, restored, final } of outcomes) {
      expect(outcome.signal, at).toBe('SIGKILL');
      expect(left['.bulwark/lock'], `the lock stays after SIGKILL at ${at}`).toBeDefined();
      expect(recovered, at).toBe(true);
      expect(restored, `recovered after SIGKILL at ${at}`).toStrictEqual(before);
      expect(final['d1/e/f1.txt'], at).toBe('644:v2\n');
      expect(final['mine.txt'], at).toBe("644:not bulwark's\n");
      expect(Object.keys(final).filter((k) => k.startsWith('.bulwark')), at).toStrictEqual(['.bulwark/', '.bulwark/manifest.json']);
    }
  });

  it('after SIGKILL of a first run at any step, recovery removes the target directory it created', async () => {
    const results = await atEveryStep(async (at) => {
      const target = path.join(await tempDir(), 'new');
      await killedAt(await plan(fixtureGenerator, { files: FILES }, { cwd: target }), at, 'SIGKILL');
      await recover(target);
      return { at, after: await snapshot(target) };
    });
    for (const { at, after } of results) expect(after, at).toStrictEqual({ '.': '<missing>' });
  });

  it('after SIGKILL at any moment (inside steps too), recovery leaves the service as before or as after, never between', async () => {
    const many = [...FILES, ...Array.from({ length: 40 }, (_, i) => `m/${String(i % 5)}/f${String(i)}.txt`)];
    const { target: reference } = await service();
    await apply(await v2(reference, many));
    const done = await snapshot(reference);
    const results = await Promise.all(
      [0, 5, 14, 27, 41].map(async (seen) => {
        const { target, before } = await service();
        await killedAt(await v2(target, many), `place:${String(seen)}`, 'SIGKILL', false);
        await recover(target);
        return { seen, before, after: await snapshot(target) };
      }),
    );
    for (const { seen, before, after } of results) expect([before, done], `SIGKILL after place:${String(seen)}`).toContainEqual(after);
  });

  it('bulwark generate after a SIGKILLed run recovers by itself and writes the files (CLI, --json)', async () => {
    const target = await tempDir();
    await mkdir(path.join(target, 'src'));
    await copyFile(path.join(PACKAGE_ROOT, 'src', 'registry.ts'), path.join(target, 'src', 'registry.ts'));
    const before = await snapshot(target);
    const killed = await killedAt(await plan('generator', { name: 'audit-log' }, { cwd: target }), 'place:3', 'SIGKILL');
    expect(killed.signal).toBe('SIGKILL');
    expect(await snapshot(target)).not.toStrictEqual(before);
    let stdout = '';
    const code = await main(['generate', 'generator', '--set', 'name=audit-log', '--cwd', target, '--json'], {
      stdout: (t) => (stdout += t),
      stderr: () => undefined,
      readStdin: () => Promise.resolve(''),
      interactive: false,
      cwd: target,
    });
    const doc = JSON.parse(stdout) as { ok: boolean; files: { path: string; status: string }[] };
    expect({ code, ok: doc.ok }).toStrictEqual({ code: 0, ok: true });
    expect(doc.files.filter((f) => f.status !== 'created' && f.status !== 'updated')).toStrictEqual([]);
    const after = Object.keys(await snapshot(target));
    expect(after).toContain('generators/audit-log/index.ts');
    expect(after.filter((k) => k.startsWith('.bulwark'))).toStrictEqual(['.bulwark/', '.bulwark/manifest.json']);
  });

  it('a lock held by a live process is respected: E_TARGET_LOCKED, nothing touched', async () => {
    const target = await tempDir();
    await mkdir(path.join(target, '.bulwark', 'tmp-abc'), { recursive: true });
    await writeFile(path.join(target, '.bulwark', 'lock'), JSON.stringify({ pid: process.pid, host: hostname(), scratch: 'tmp-abc', createdDirs: [] }));
    const before = await snapshot(target);
    await expect(recover(target)).rejects.toMatchObject({ code: 'E_TARGET_LOCKED' });
    await expect(apply(await plan(fixtureGenerator, {}, { cwd: target }))).rejects.toMatchObject({ code: 'E_TARGET_LOCKED' });
    expect(await snapshot(target)).toStrictEqual(before);
  });
});
