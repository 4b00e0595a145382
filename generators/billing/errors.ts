import { defineErrorCodes } from '../../src/errors.js';

/** The billing generator's own error codes (documented in docs/billing.md, "Errors"). */
export const BILLING_ERRORS = defineErrorCodes('billing', {
  E_CATALOG_INVALID: { exitCode: 3, summary: 'The billing catalogue is refused (unknown currency, an amount Stripe would refuse, repeated lookup keys).' },
});
