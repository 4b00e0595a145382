import { lstat, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { apply, type ApplyStep } from '../../src/apply.js';
import { plan } from '../../src/index.js';
import { snapshot, tempDir } from '../helpers/fs.js';
import { fixtureGenerator } from '../helpers/generators.js';

const FILES = ['a.txt', 'src/deep/b.ts', 'src/c.txt', 'd/e/f.txt'];

/** Every step an apply of this plan takes, so each can be made to fail. */
async function stepsOf(options: Record<string, unknown>): Promise<ApplyStep[]> {
  const steps: ApplyStep[] = [];
  const scratch = path.join(await tempDir(), 'copy');
  await apply(await plan(fixtureGenerator, options, { cwd: scratch }), { beforeStep: (s) => void steps.push(s) });
  expect(steps.length).toBeGreaterThan(0);
  return steps;
}

describe('apply is all or nothing', () => {
  it('leaves a new target missing when a step fails half-way, at every step', async () => {
    const steps = await stepsOf({ files: FILES });
    for (const failing of steps) {
      const target = path.join(await tempDir(), 'service');
      const p = await plan(fixtureGenerator, { files: FILES }, { cwd: target });
      await expect(
        apply(p, {
          beforeStep: (s) => {
            if (s.kind === failing.kind && s.index === failing.index) throw new Error('disk full (injected)');
          },
        }),
      ).rejects.toMatchObject({ code: 'E_APPLY_FAILED' });
      expect(await snapshot(target), `failure at ${failing.kind} #${failing.index}`).toEqual({ '.': '<missing>' });
    }
  });

  it('restores an existing target exactly, including replaced files and its manifest', async () => {
    const target = await tempDir();
    await writeFile(path.join(target, 'unrelated.txt'), 'keep me\n');
    await apply(await plan(fixtureGenerator, { files: FILES }, { cwd: target }));
    await mkdir(path.join(target, 'src', 'empty'));
    const before = await snapshot(target);
    const steps = await stepsOf({ files: FILES, title: 'v2' });
    for (const failing of steps) {
      const p = await plan(fixtureGenerator, { files: [...FILES, 'x/new.txt'], title: 'v2' }, { cwd: target });
      await expect(
        apply(p, {
          beforeStep: (s) => {
            if (s.kind === failing.kind && s.index === failing.index) throw new Error('EIO (injected)');
          },
        }),
      ).rejects.toMatchObject({ code: 'E_APPLY_FAILED' });
      expect(await snapshot(target), `failure at ${failing.kind} #${failing.index}`).toEqual(before);
    }
    // and without a failure the same plan goes through
    await apply(await plan(fixtureGenerator, { files: [...FILES, 'x/new.txt'], title: 'v2' }, { cwd: target }));
    expect((await snapshot(target))['a.txt']).toBe('644:v2\n');
  });

  it('refuses to write when the disk changed after the plan was made', async () => {
    const target = await tempDir();
    const p = await plan(fixtureGenerator, {}, { cwd: target });
    await writeFile(path.join(target, 'a.txt'), 'written by someone else meanwhile\n');
    const before = await snapshot(target);
    await expect(apply(p)).rejects.toMatchObject({ code: 'E_TARGET_CONFLICT' });
    expect(await snapshot(target)).toEqual(before);
  });

  it('refuses a target another run holds, and leaves it as it was', async () => {
    const target = await tempDir();
    await mkdir(path.join(target, '.bulwark'));
    await writeFile(path.join(target, '.bulwark', 'lock'), '');
    const before = await snapshot(target);
    await expect(apply(await plan(fixtureGenerator, {}, { cwd: target }))).rejects.toMatchObject({ code: 'E_TARGET_LOCKED' });
    expect(await snapshot(target)).toEqual(before);
  });

  it('leaves no staging or lock behind after success', async () => {
    const target = await tempDir();
    await apply(await plan(fixtureGenerator, {}, { cwd: target }));
    expect(Object.keys(await snapshot(target)).filter((k) => k.startsWith('.bulwark'))).toEqual(['.bulwark/', '.bulwark/manifest.json']);
  });
});

describe('apply never writes through links or over files that appear meanwhile', () => {
  it('refuses a .bulwark that is a link elsewhere (the manifest and lock would land outside)', async () => {
    const outside = await tempDir();
    const target = await tempDir();
    await symlink(outside, path.join(target, '.bulwark'));
    await expect(plan(fixtureGenerator, {}, { cwd: target })).rejects.toMatchObject({ code: 'E_PATH_UNSAFE' });
    expect(await snapshot(outside)).toEqual({});
  });

  it('refuses a directory swapped for a link between plan and apply, and restores the target', async () => {
    // Attack: while the confirmation prompt is open, src/ becomes a link to another directory.
    const outside = await tempDir();
    const target = await tempDir();
    const p = await plan(fixtureGenerator, { files: ['a.txt', 'src/deep/b.ts'] }, { cwd: target });
    await symlink(outside, path.join(target, 'src'));
    const before = await snapshot(target);
    await expect(apply(p)).rejects.toMatchObject({ code: 'E_PATH_UNSAFE' });
    expect(await snapshot(outside)).toEqual({});
    expect(await snapshot(target)).toEqual(before);
  });

  it('refuses a dangling link at a generated path, and leaves the link alone', async () => {
    const target = await tempDir();
    await symlink('config/missing.txt', path.join(target, 'a.txt'));
    await expect(plan(fixtureGenerator, {}, { cwd: target })).rejects.toMatchObject({ code: 'E_PATH_UNSAFE' });
    expect((await lstat(path.join(target, 'a.txt'))).isSymbolicLink()).toBe(true);
  });

  it('does not overwrite a file created after the disk check, nor delete it on rollback', async () => {
    const target = await tempDir();
    const p = await plan(fixtureGenerator, { files: ['a.txt', 'b.txt'] }, { cwd: target });
    await expect(
      apply(p, {
        beforeStep: async (s) => {
          // an editor saves b.txt just before bulwark places it
          if (s.kind === 'place' && s.path === 'b.txt') await writeFile(path.join(target, 'b.txt'), 'saved by an editor\n');
        },
      }),
    ).rejects.toMatchObject({ code: 'E_TARGET_CONFLICT' });
    expect(await readFile(path.join(target, 'b.txt'), 'utf8')).toBe('saved by an editor\n');
    expect(Object.keys(await snapshot(target))).toEqual(['b.txt']);
  });

  it('does not replace a file changed after the disk check', async () => {
    const target = await tempDir();
    await apply(await plan(fixtureGenerator, { files: ['a.txt'] }, { cwd: target }));
    const p = await plan(fixtureGenerator, { files: ['a.txt'], title: 'v2' }, { cwd: target });
    await expect(
      apply(p, {
        beforeStep: async (s) => {
          if (s.kind === 'place' && s.path === 'a.txt') await writeFile(path.join(target, 'a.txt'), 'edited meanwhile\n');
        },
      }),
    ).rejects.toMatchObject({ code: 'E_TARGET_CONFLICT' });
    expect(await readFile(path.join(target, 'a.txt'), 'utf8')).toBe('edited meanwhile\n');
  });

  it('writes new files with mode 644 whatever the umask', async () => {
    const target = await tempDir();
    const previous = process.umask(0o077);
    try {
      await apply(await plan(fixtureGenerator, { files: ['a.txt'] }, { cwd: target }));
    } finally {
      process.umask(previous);
    }
    expect((await lstat(path.join(target, 'a.txt'))).mode & 0o777).toBe(0o644);
  });
});
