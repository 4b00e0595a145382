import { describe, expect, it } from 'vitest';
import { ensureBlock, mergeJson } from '../../src/blocks.js';
import { BulwarkError } from '../../src/errors.js';

describe('ensureBlock', () => {
  it('appends a marked block after the user text, then replaces only the block on a re-run', () => {
    const first = ensureBlock('THREAT_MODEL.md', '# Threats\n\nMine.\n', 'webhooks', 'markdown', '## Webhooks\n\nv1');
    expect(first).toBe('# Threats\n\nMine.\n\n<!-- bulwark:begin webhooks -->\n## Webhooks\n\nv1\n<!-- bulwark:end webhooks -->\n');
    expect(ensureBlock('THREAT_MODEL.md', first, 'webhooks', 'markdown', '## Webhooks\n\nv1')).toBe(first);

    const userAddsBelow = `${first}\nMore of mine.\n`;
    const second = ensureBlock('THREAT_MODEL.md', userAddsBelow, 'webhooks', 'markdown', '## Webhooks\n\nv2\n');
    expect(second).toBe('# Threats\n\nMine.\n\n<!-- bulwark:begin webhooks -->\n## Webhooks\n\nv2\n<!-- bulwark:end webhooks -->\n\nMore of mine.\n');
  });

  it('keeps blocks with different ids apart, in hash-comment files too', () => {
    const one = ensureBlock('.env.example', 'A=1\n', 'auth', 'hash', 'OIDC_ISSUER=');
    const two = ensureBlock('.env.example', one, 'webhooks', 'hash', 'WEBHOOK_SECRET=');
    expect(two).toBe('A=1\n\n# bulwark:begin auth\nOIDC_ISSUER=\n# bulwark:end auth\n\n# bulwark:begin webhooks\nWEBHOOK_SECRET=\n# bulwark:end webhooks\n');
    expect(ensureBlock('x.ts', '', 'rbac', 'slash', 'export {};')).toBe('// bulwark:begin rbac\nexport {};\n// bulwark:end rbac\n');
  });

  it.each([
    ['a begin without its end', '<!-- bulwark:begin webhooks -->\nx\n'],
    ['an end without its begin', 'x\n<!-- bulwark:end webhooks -->\n'],
    ['the end before the begin', '<!-- bulwark:end webhooks -->\n<!-- bulwark:begin webhooks -->\n'],
    ['two begins', '<!-- bulwark:begin webhooks -->\n<!-- bulwark:begin webhooks -->\n<!-- bulwark:end webhooks -->\n'],
  ])('refuses a file with %s instead of guessing what to replace', (_what, source) => {
    expect(() => ensureBlock('README.md', source, 'webhooks', 'markdown', 'new')).toThrow(expect.objectContaining({ code: 'E_EDIT_FAILED' }) as Error);
  });

  it('refuses a block id that could smuggle marker text', () => {
    expect(() => ensureBlock('README.md', '', 'x -->\n<!-- y', 'markdown', 'new')).toThrow(BulwarkError);
  });
});

describe('mergeJson', () => {
  it('adds missing keys at any depth, keeps every existing value, and sorts dependency lists', () => {
    const pkg = JSON.stringify({ name: 'svc', dependencies: { zod: '4.0.0', fastify: '5.0.0' }, scripts: { test: 'vitest run' } });
    const merged = mergeJson('package.json', pkg, {
      dependencies: { jose: '6.2.17', zod: '9.9.9' },
      scripts: { 'rbac:map': 'tsx scripts/permission-map.ts' },
    });
    expect(JSON.parse(merged)).toStrictEqual({
      name: 'svc',
      dependencies: { fastify: '5.0.0', jose: '6.2.17', zod: '4.0.0' },
      scripts: { test: 'vitest run', 'rbac:map': 'tsx scripts/permission-map.ts' },
    });
    expect(Object.keys((JSON.parse(merged) as { dependencies: object }).dependencies)).toStrictEqual(['fastify', 'jose', 'zod']);
    expect(mergeJson('package.json', merged, { dependencies: { jose: '6.2.17' } })).toBe(merged);
  });

  it('appends array elements once, after those already there', () => {
    const journal = JSON.stringify({ version: '7', entries: [{ idx: 0, tag: '0000_a' }] });
    const appended = mergeJson('_journal.json', journal, {}, { entries: [{ idx: 1, tag: '0001_b' }] });
    expect((JSON.parse(appended) as { entries: unknown[] }).entries).toStrictEqual([
      { idx: 0, tag: '0000_a' },
      { idx: 1, tag: '0001_b' },
    ]);
    expect(mergeJson('_journal.json', appended, {}, { entries: [{ idx: 1, tag: '0001_b' }] })).toBe(appended);
    expect(() => mergeJson('_journal.json', journal, {}, { version: [1] })).toThrow(expect.objectContaining({ code: 'E_EDIT_FAILED' }) as Error);
  });

  it.each([
    ['invalid JSON', '{ "name": '],
    ['an array', '[]'],
  ])('refuses %s with E_EDIT_FAILED', (_what, source) => {
    expect(() => mergeJson('package.json', source, { a: 1 })).toThrow(expect.objectContaining({ code: 'E_EDIT_FAILED' }) as Error);
  });
});
