/**
 * ISO 4217 active currencies and their minor units (ISO's own table, not
 * `Intl`'s, which disagrees on 16 of them), with Stripe's exceptions:
 *
 * - Stripe's zero-decimal currencies take amounts in whole units even where
 *   ISO has minor units (MGA);
 * - its three-decimal ones (BHD, JOD, KWD, OMR, TND) take three decimals,
 *   but an amount must end in 0;
 * - ISK, zero-decimal in ISO, is two-decimal in Stripe's API for backwards
 *   compatibility, and an amount must be a whole number of krónur (a
 *   multiple of 100);
 * - HUF and TWD are two-decimal for charges, but paid out only in whole
 *   units (a payout amount must be a multiple of 100).
 *
 * The generator checks the catalogue with it, and writes it into the
 * service as src/billing/currencies.ts (one table, two places it is used).
 */
const ISO_EXPONENTS: Readonly<Record<string, number>> = {
  AED: 2, AFN: 2, ALL: 2, AMD: 2, ANG: 2, AOA: 2, ARS: 2, AUD: 2, AWG: 2, AZN: 2, BAM: 2, BBD: 2, BDT: 2, BGN: 2, BHD: 3, BIF: 0,
  BMD: 2, BND: 2, BOB: 2, BOV: 2, BRL: 2, BSD: 2, BTN: 2, BWP: 2, BYN: 2, BZD: 2, CAD: 2, CDF: 2, CHE: 2, CHF: 2, CHW: 2, CLF: 4,
  CLP: 0, CNY: 2, COP: 2, COU: 2, CRC: 2, CUP: 2, CVE: 2, CZK: 2, DJF: 0, DKK: 2, DOP: 2, DZD: 2, EGP: 2, ERN: 2, ETB: 2, EUR: 2,
  FJD: 2, FKP: 2, GBP: 2, GEL: 2, GHS: 2, GIP: 2, GMD: 2, GNF: 0, GTQ: 2, GYD: 2, HKD: 2, HNL: 2, HTG: 2, HUF: 2, IDR: 2, ILS: 2,
  INR: 2, IQD: 3, IRR: 2, ISK: 0, JMD: 2, JOD: 3, JPY: 0, KES: 2, KGS: 2, KHR: 2, KMF: 0, KPW: 2, KRW: 0, KWD: 3, KYD: 2, KZT: 2,
  LAK: 2, LBP: 2, LKR: 2, LRD: 2, LSL: 2, LYD: 3, MAD: 2, MDL: 2, MGA: 2, MKD: 2, MMK: 2, MNT: 2, MOP: 2, MRU: 2, MUR: 2, MVR: 2,
  MWK: 2, MXN: 2, MXV: 2, MYR: 2, MZN: 2, NAD: 2, NGN: 2, NIO: 2, NOK: 2, NPR: 2, NZD: 2, OMR: 3, PAB: 2, PEN: 2, PGK: 2, PHP: 2,
  PKR: 2, PLN: 2, PYG: 0, QAR: 2, RON: 2, RSD: 2, RUB: 2, RWF: 0, SAR: 2, SBD: 2, SCR: 2, SDG: 2, SEK: 2, SGD: 2, SHP: 2, SLE: 2,
  SOS: 2, SRD: 2, SSP: 2, STN: 2, SVC: 2, SYP: 2, SZL: 2, THB: 2, TJS: 2, TMT: 2, TND: 3, TOP: 2, TRY: 2, TTD: 2, TWD: 2, TZS: 2,
  UAH: 2, UGX: 0, USD: 2, USN: 2, UYI: 0, UYU: 2, UYW: 4, UZS: 2, VED: 2, VES: 2, VND: 0, VUV: 0, WST: 2, XAF: 0, XCD: 2, XCG: 2,
  XOF: 0, XPF: 0, YER: 2, ZAR: 2, ZMW: 2, ZWG: 2,
};

/** Stripe's zero-decimal currencies: amounts in whole units. */
const STRIPE_ZERO_DECIMAL = new Set(['BIF', 'CLP', 'DJF', 'GNF', 'JPY', 'KMF', 'KRW', 'MGA', 'PYG', 'RWF', 'UGX', 'VND', 'VUV', 'XAF', 'XOF', 'XPF']);
/** Stripe's three-decimal currencies: amounts must end in 0. */
const STRIPE_THREE_DECIMAL = new Set(['BHD', 'JOD', 'KWD', 'OMR', 'TND']);

export interface CurrencyInfo {
  /** Digits after the decimal point in ISO 4217: how an amount is shown. */
  readonly iso: number;
  /** Digits of Stripe's minor unit: `amount` in Stripe's API is in 10^-stripe of a unit. */
  readonly stripe: number;
  /** A charge amount, in Stripe's minor units, must be a multiple of this. */
  readonly chargeStep: number;
  /** A payout amount, in Stripe's minor units, must be a multiple of this. */
  readonly payoutStep: number;
}

export const CURRENCIES: Readonly<Record<string, CurrencyInfo>> = Object.freeze(
  Object.fromEntries(
    Object.entries(ISO_EXPONENTS).map(([code, iso]) => {
      const stripe = STRIPE_ZERO_DECIMAL.has(code) ? 0 : code === 'ISK' ? 2 : iso;
      const chargeStep = STRIPE_THREE_DECIMAL.has(code) ? 10 : code === 'ISK' ? 100 : 1;
      const payoutStep = code === 'HUF' || code === 'TWD' || code === 'ISK' ? 100 : chargeStep;
      return [code.toLowerCase(), { iso, stripe, chargeStep, payoutStep }];
    }),
  ),
);

/** The table as the service's src/billing/currencies.ts. */
export function currenciesModule(header: string): string {
  const rows = Object.entries(CURRENCIES).map(
    ([code, c]) => `  ${code}: { iso: ${String(c.iso)}, stripe: ${String(c.stripe)}, chargeStep: ${String(c.chargeStep)}n, payoutStep: ${String(c.payoutStep)}n },`,
  );
  return `// ${header}

/**
 * ISO 4217 currencies (lower case, as Stripe writes them) with their minor
 * units and Stripe's exceptions. \`iso\` is how many decimals an amount is
 * shown with; \`stripe\` how many Stripe's integer \`amount\` carries (zero for
 * its zero-decimal currencies, 2 for ISK); a charge must be a multiple of
 * \`chargeStep\` (10 in BHD, JOD, KWD, OMR, TND; 100 in ISK) and a payout of
 * \`payoutStep\` (100 in HUF, TWD and ISK). Intl's own digits are not used:
 * they disagree with ISO 4217 for 16 currencies.
 */
export const CURRENCIES = {
${rows.join('\n')}
} as const satisfies Readonly<Record<string, CurrencyInfo>>;

export interface CurrencyInfo {
  readonly iso: number;
  readonly stripe: number;
  readonly chargeStep: bigint;
  readonly payoutStep: bigint;
}

export type CurrencyCode = keyof typeof CURRENCIES;

/** Whether \`code\` is a currency of the table (own keys only: "constructor" is not a currency). */
export function isCurrencyCode(code: string): code is CurrencyCode {
  return Object.hasOwn(CURRENCIES, code);
}
`;
}
