import { describe, expect, it } from 'vitest';
import { jsonSchemaOf, parseSetPairs, parseSpecText, resolveOptions } from '../../src/options.js';
import { targetContext } from '../../src/workspace.js';
import { fixtureGenerator } from '../helpers/generators.js';

const context = targetContext('/tmp/nowhere');

describe('parseSetPairs', () => {
  it('parses JSON values and keeps everything else a string', () => {
    expect(parseSetPairs(['name=billing', 'port=3000', 'on=true', 'list=["a"]', 'quoted="3000"', 'eq=a=b'])).toEqual({
      name: 'billing',
      port: 3000,
      on: true,
      list: ['a'],
      quoted: '"3000"',
      eq: 'a=b',
    });
  });

  it('builds nested objects from dotted keys', () => {
    expect(parseSetPairs(['a.b=1', 'a.c=x'])).toEqual({ a: { b: 1, c: 'x' } });
  });

  it.each(['__proto__.polluted=1', 'constructor.prototype.x=1', 'a..b=1'])('refuses the prototype-polluting or empty key %s', (pair) => {
    expect(() => parseSetPairs([pair])).toThrow(expect.objectContaining({ code: 'E_SPEC_INVALID' }));
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('refuses a pair without "="', () => {
    expect(() => parseSetPairs(['name'])).toThrow(expect.objectContaining({ code: 'E_USAGE' }));
  });
});

describe('parseSpecText', () => {
  it.each(['not json', '[1,2]', '"text"', 'null'])('refuses %s', (text) => {
    expect(() => parseSpecText(text, 'spec.json')).toThrow(expect.objectContaining({ code: 'E_SPEC_PARSE' }));
  });
});

describe('resolveOptions', () => {
  it('fills schema defaults', () => {
    expect(resolveOptions(fixtureGenerator, {}, context)).toEqual({ title: 'hello', files: ['a.txt', 'src/deep/b.ts'] });
  });

  it('refuses unknown keys, naming each one', () => {
    expect(() => resolveOptions(fixtureGenerator, { title: 'x', tittle: 'y', extra: 1 }, context)).toThrow(
      expect.objectContaining({
        code: 'E_SPEC_INVALID',
        details: expect.objectContaining({
          option: 'tittle',
          issues: [expect.objectContaining({ option: 'tittle' }), expect.objectContaining({ option: 'extra' })],
        }) as unknown,
      }),
    );
  });

  it('names the option and the fix for a wrong type', () => {
    try {
      resolveOptions(fixtureGenerator, { title: 42 }, context);
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'E_SPEC_INVALID', details: { option: 'title' } });
      expect((error as Error).message).toContain('title');
      expect((error as { details: { fix: string } }).details.fix).toContain('bulwark schema fixture');
    }
  });
});

describe('jsonSchemaOf', () => {
  it('derives the JSON Schema from the zod schema, closed to unknown keys', () => {
    const schema = jsonSchemaOf(fixtureGenerator);
    expect(schema).toMatchObject({
      title: 'fixture',
      type: 'object',
      additionalProperties: false,
      properties: { title: { type: 'string', default: 'hello', description: 'Text written into the files.' } },
    });
  });
});
