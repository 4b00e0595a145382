import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { apply, recover, type ApplyEvent } from '../../src/apply.js';
import { plan } from '../../src/index.js';
import { snapshot, tempDir } from '../helpers/fs.js';
import { fixtureGenerator } from '../helpers/generators.js';

const FILES = ['a.txt', 'src/deep/b.ts', 'src/c.txt', 'd/e/f.txt'];

/** The events of one apply: over an existing service (replacing two files, adding the rest) when `over` is set. */
async function traced(over: boolean): Promise<{ target: string; events: ApplyEvent[] }> {
  const target = path.join(await tempDir(), 'svc');
  if (over) await apply(await plan(fixtureGenerator, { files: FILES.slice(0, 2), title: 'v1' }, { cwd: target }));
  const events: ApplyEvent[] = [];
  await apply(await plan(fixtureGenerator, { files: FILES, title: 'v2' }, { cwd: target }), { trace: (e) => void events.push(e) });
  return { target, events };
}

const at = (events: readonly ApplyEvent[], test: (e: ApplyEvent) => boolean) => events.findIndex(test);
const lastAt = (events: readonly ApplyEvent[], test: (e: ApplyEvent) => boolean) => events.findLastIndex(test);

describe('an apply survives a power loss: what must be on the disk is synced before what depends on it', () => {
  it.each([false, true])('orders its syncs (over an existing service: %s)', async (over) => {
    const { target, events } = await traced(over);
    const journal = at(events, (e) => e.op === 'sync-file' && e.path.endsWith(`${path.sep}journal`));
    const changes = events.flatMap((e, i) => (e.op === 'link' || e.op === 'rename' || e.op === 'mkdir' ? [i] : []));
    const commit = at(events, (e) => e.op === 'commit');
    expect(journal).toBeGreaterThan(-1);
    expect(changes.length).toBeGreaterThanOrEqual(FILES.length + 1);
    expect(commit).toBeGreaterThan(Math.max(...changes));

    // The lock's content and name, before anything it answers for.
    const lockData = at(events, (e) => e.op === 'sync-file' && /lock\.\d+-[0-9a-f]+$/.test(e.path));
    const lockName = at(events, (e) => e.op === 'sync-dir' && e.path === path.join(target, '.bulwark'));
    expect(lockData).toBeGreaterThan(-1);
    expect(lockName).toBeGreaterThan(lockData);
    expect(lockName).toBeLessThan(journal);

    // Every staged file's data, and the staging directory's names, before the journal that points at them.
    const staged = events.filter((e) => e.op === 'sync-file' && /staged[\\/]\d+$/.test(e.path));
    expect(staged).toHaveLength(FILES.length + 1);
    for (const e of staged) expect(events.indexOf(e)).toBeLessThan(journal);
    expect(at(events, (e) => e.op === 'sync-dir' && /staged$/.test(e.path))).toBeLessThan(journal);

    // The journal's data and name before the first change to the target.
    const journalName = at(events, (e) => e.op === 'sync-dir' && /tmp-[0-9a-f]+$/.test(e.path) && events.indexOf(e) > journal);
    expect(journalName).toBeGreaterThan(journal);
    expect(journalName).toBeLessThan(Math.min(...changes));

    // Every directory whose names changed is synced after its last change and before the commit.
    const dirs = new Set(changes.map((i) => path.dirname((events[i] as ApplyEvent).path)));
    for (const dir of dirs) {
      const lastChange = Math.max(...changes.filter((i) => path.dirname((events[i] as ApplyEvent).path) === dir));
      const synced = events.some((e, i) => e.op === 'sync-dir' && e.path === dir && i > lastChange && i < commit);
      expect(synced, `${path.relative(target, dir) || '.'} synced after its last change and before the commit`).toBe(true);
    }
    // The commit (the journal's removal) is itself synced.
    expect(lastAt(events, (e) => e.op === 'sync-dir' && /tmp-[0-9a-f]+$/.test(e.path))).toBeGreaterThan(commit);
  });

  it.skipIf(!existsSync('/proc/sys/kernel/random/boot_id'))(
    'a lock from before a reboot is stale even when its process id now belongs to a live process',
    async () => {
      const target = path.join(await tempDir(), 'svc');
      await apply(await plan(fixtureGenerator, { files: FILES.slice(0, 1), title: 'v1' }, { cwd: target }));
      const before = await snapshot(target);
      // A run cut by a power loss after placing one file: its journal lists every step, one was taken.
      const scratch = path.join(target, '.bulwark', 'tmp-0123456789ab');
      await mkdir(path.join(scratch, 'staged'), { recursive: true });
      await mkdir(path.join(scratch, 'replaced'));
      await writeFile(path.join(scratch, 'staged', '0'), 'v2\n');
      await writeFile(path.join(target, 'new.txt'), 'v2\n');
      const { link } = await import('node:fs/promises');
      await link(path.join(target, 'new.txt'), path.join(scratch, 'staged', '1'));
      await writeFile(path.join(scratch, 'journal'), `${JSON.stringify({ op: 'link', path: 'new.txt', index: 1 })}\n${JSON.stringify({ op: 'link', path: 'later.txt', index: 2 })}\n`);
      // process.pid is alive: only the boot tells the lock is stale.
      const lock = { pid: process.pid, host: hostname(), boot: 'a-boot-before-the-power-loss', scratch: 'tmp-0123456789ab', createdDirs: [] };
      await writeFile(path.join(target, '.bulwark', 'lock'), JSON.stringify(lock));
      expect(await recover(target)).toBe(true);
      expect(await snapshot(target)).toStrictEqual(before);

      // The same lock from this boot, with its process alive, is respected.
      await mkdir(scratch);
      await writeFile(path.join(target, '.bulwark', 'lock'), JSON.stringify({ ...lock, boot: (await import('node:fs')).readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() }));
      await expect(recover(target)).rejects.toMatchObject({ code: 'E_TARGET_LOCKED' });
    },
  );
});
