import { describe, expect, it } from 'vitest';
import { RBAC_ERRORS } from '../../generators/rbac/errors.js';
import { allErrorCodes, BulwarkError, defineErrorCodes, toBulwarkError } from '../../src/errors.js';

describe("a generator's own error codes", () => {
  it('keep their string and exit code, and reach callers like the engine\'s', () => {
    const error = new BulwarkError(RBAC_ERRORS.E_PERMISSIONS_INVALID, 'The permission spec is refused.', { option: 'roles' });
    expect(error.code).toBe('E_PERMISSIONS_INVALID');
    expect(error.exitCode).toBe(3);
    expect(toBulwarkError(error)).toBe(error);
    expect(JSON.parse(JSON.stringify(error))).toStrictEqual({ code: 'E_PERMISSIONS_INVALID', message: 'The permission spec is refused.', option: 'roles' });
    expect(allErrorCodes()['E_PERMISSIONS_INVALID']).toMatchObject({ exitCode: 3, generator: 'rbac' });
  });

  it("cannot take an engine's code or another generator's, or a name that is not E_UPPER_SNAKE", () => {
    expect(() => defineErrorCodes('other', { E_SPEC_INVALID: { exitCode: 3, summary: 'x' } })).toThrow(/already defined by the engine/);
    expect(() => defineErrorCodes('other', { E_PERMISSIONS_INVALID: { exitCode: 3, summary: 'x' } })).toThrow(/already defined by rbac/);
    expect(() => defineErrorCodes('other', { 'e-lower': { exitCode: 3, summary: 'x' } })).toThrow(/E_UPPER_SNAKE_CASE/);
  });
});
