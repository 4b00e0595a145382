import { defineErrorCodes } from '../../src/errors.js';

/** The rbac generator's own error codes (documented in docs/rbac.md, "Errors"). */
export const RBAC_ERRORS = defineErrorCodes('rbac', {
  E_PERMISSIONS_INVALID: { exitCode: 3, summary: 'The permission spec is refused (unknown names, wildcards, loops, dead grants).' },
});
