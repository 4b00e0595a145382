import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { mergeYaml } from '../../src/yaml-merge.js';

describe('mergeYaml', () => {
  const spec = '# my roles\nresources:\n  doc: { actions: [read] } # mine\nroles:\n  finance:\n    sensitive: false\n    grants:\n      - { resource: doc, actions: [read] }\n';

  it('adds missing keys at any depth, appends list elements it lacks, keeps values and comments', () => {
    const merged = mergeYaml('permissions.yaml', spec, {
      resources: { invoice: { actions: ['read'] }, doc: { actions: ['read', 'write'] } },
      roles: { finance: { sensitive: true, grants: [{ resource: 'doc', actions: ['read'] }, { resource: 'invoice', actions: ['read'] }] } },
    });
    expect(merged).toContain('# my roles');
    expect(merged).toContain('# mine');
    expect(parse(merged)).toStrictEqual({
      resources: { doc: { actions: ['read', 'write'] }, invoice: { actions: ['read'] } },
      roles: {
        finance: {
          sensitive: false, // the user's value is kept; the generator decides what to do about it
          grants: [
            { resource: 'doc', actions: ['read'] },
            { resource: 'invoice', actions: ['read'] },
          ],
        },
      },
    });
  });

  it('changes nothing the second time', () => {
    const merge = { roles: { finance: { grants: [{ resource: 'invoice', actions: ['read'] }] } } };
    const once = mergeYaml('permissions.yaml', spec, merge);
    expect(mergeYaml('permissions.yaml', once, merge)).toBe(once);
  });

  it('creates the file from the merge when there is none', () => {
    expect(parse(mergeYaml('x.yaml', undefined, { a: { b: [1] } }))).toStrictEqual({ a: { b: [1] } });
  });

  it.each([
    ['YAML that does not parse', 'a: [1\n'],
    ['aliases (a billion laughs)', 'a: &x [1]\nb: *x\n'],
    ['a list at the top', '- 1\n'],
    ['a scalar where the merge needs a mapping', 'roles: none\n'],
  ])('refuses %s with E_EDIT_FAILED', (_what, text) => {
    expect(() => mergeYaml('permissions.yaml', text, { roles: { finance: {} } })).toThrow(expect.objectContaining({ code: 'E_EDIT_FAILED' }) as Error);
  });
});
