import { mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BulwarkError } from '../../src/errors.js';
import { assertConfined, assertSafeRelativePath, isValidIdentifier } from '../../src/paths.js';
import { tempDir } from '../helpers/fs.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error instanceof BulwarkError ? error.code : 'not a BulwarkError';
  }
}

describe('assertSafeRelativePath', () => {
  it.each([
    ['parent traversal', '../x'],
    ['nested traversal', 'src/../../x'],
    ['dot segment', 'src/./x.ts'],
    ['absolute posix', '/etc/passwd'],
    ['absolute windows drive', 'C:/Windows/x'],
    ['drive-relative windows', 'C:x'],
    ['UNC path', '\\\\server\\share'],
    ['backslash traversal', '..\\x'],
    ['NUL byte', 'src/a\u0000.ts'],
    ['newline', 'src/a\n.ts'],
    ['escape character', 'src/\u001b[31m.ts'],
    ['bidi override', 'src/\u202egnp.ts'],
    ['windows device', 'CON'],
    ['windows device with extension', 'src/nul.txt'],
    ['windows device, other case', 'Lpt1.ts'],
    ['superscript com port', 'COM¹'],
    ['trailing dot', 'src/file.'],
    ['trailing space', 'src/file '],
    ['reserved character', 'src/a:b.ts'],
    ['empty', ''],
    ['empty segment', 'src//a.ts'],
    ['into .git', '.git/hooks/pre-commit'],
    ['into .bulwark', '.bulwark/manifest.json'],
    ['into .GIT on a case-insensitive disk', '.GIT/config'],
    ['too long', `${'a/'.repeat(130)}x`],
  ])('refuses %s', (_attack, candidate) => {
    expect(codeOf(() => assertSafeRelativePath(candidate))).toBe('E_PATH_UNSAFE');
  });

  it.each(['package.json', 'src/routes/orders.ts', '.gitignore', '.github/workflows/ci.yml', 'docs/con-tributing.md', 'console.ts'])(
    'accepts %s',
    (candidate) => {
      expect(assertSafeRelativePath(candidate)).toBe(candidate);
    },
  );

  it('never accepts a path that resolves outside the target (property)', () => {
    const root = path.resolve('/srv/target');
    const segment = fc.oneof(fc.constantFrom('..', '.', '', 'a', 'b.ts', '..\\x', 'C:', '/'), fc.string({ maxLength: 6 }));
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 6 }), (segments) => {
        const candidate = segments.join('/');
        let accepted = true;
        try {
          assertSafeRelativePath(candidate);
        } catch {
          accepted = false;
        }
        if (accepted) {
          const resolved = path.resolve(root, candidate);
          expect(resolved.startsWith(root + path.sep)).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('assertConfined', () => {
  it('refuses a write through a symbolic link that leaves the target', async () => {
    const outside = await tempDir();
    const target = await tempDir();
    await symlink(outside, path.join(target, 'src'));
    await expect(assertConfined(target, 'src/app.ts')).rejects.toMatchObject({ code: 'E_PATH_UNSAFE' });
  });

  it('accepts a link that stays inside the target, and paths that do not exist yet', async () => {
    const target = await tempDir();
    await mkdir(path.join(target, 'real'));
    await symlink(path.join(target, 'real'), path.join(target, 'alias'));
    await expect(assertConfined(target, 'alias/x.ts')).resolves.toBeUndefined();
    await expect(assertConfined(target, 'new/deep/x.ts')).resolves.toBeUndefined();
  });
});

describe('isValidIdentifier', () => {
  it.each(['orders', '_private', '$el', 'café', 'Order2'])('accepts %s', (name) => {
    expect(isValidIdentifier(name)).toBe(true);
  });
  it.each(['2fa', 'class', 'await', 'eval', 'arguments', 'undefined', 'a-b', 'a b', '', 'x;alert(1)', 'a\u200b'])('refuses %j', (name) => {
    expect(isValidIdentifier(name)).toBe(false);
  });
});
