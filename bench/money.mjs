// Money per invoice line: the generated src/billing/money.ts side by side
// with plain integer numbers of minor units (the floor: fast, and wrong past
// 2^53 or with a float anywhere) and dinero.js 2 (its number and its bigint
// calculators). Each line: unit price × quantity, 19 % tax rounded half-even
// per line, added to the invoice total. Every engine must reach the same
// totals before anything is timed.
// Usage: npm run build && node bench/money.mjs [--invoices 2000] [--lines 20] [--rounds 7]
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { tsImport } from 'tsx/esm/api';
import * as dineroNumber from 'dinero.js';
import * as dineroBigint from 'dinero.js/bigint';
import { USD as USD_NUMBER } from 'dinero.js/currencies';
import { USD as USD_BIGINT } from 'dinero.js/bigint/currencies';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: { invoices: { type: 'string', default: '2000' }, lines: { type: 'string', default: '20' }, rounds: { type: 'string', default: '7' } },
});
const INVOICES = Number(values.invoices);
const LINES = Number(values.lines);
const ROUNDS = Number(values.rounds);

// --- The generated money module: the template and the currency table, as billing writes them ---
const dir = mkdtempSync(path.join(os.tmpdir(), 'bulwark-bench-money-'));
mkdirSync(path.join(dir, 'src/billing'), { recursive: true });
const { currenciesModule } = await import(path.join(root, 'dist/generators/billing/currencies.js'));
writeFileSync(path.join(dir, 'src/billing/currencies.ts'), currenciesModule('bench'));
writeFileSync(path.join(dir, 'src/billing/money.ts'), readFileSync(path.join(root, 'templates/billing/src/billing/money.ts.hbs'), 'utf8'));
const m = await tsImport(path.join(dir, 'src/billing/money.ts'), import.meta.url);

// --- Invoice lines: random but fixed ---
let seed = 7;
const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const invoices = Array.from({ length: INVOICES }, () =>
  Array.from({ length: LINES }, () => ({ unit: 1 + Math.floor(random() * 100_000), quantity: 1 + Math.floor(random() * 50) })),
);
const bigInvoices = invoices.map((lines) => lines.map((l) => ({ unit: BigInt(l.unit), quantity: BigInt(l.quantity) })));

// --- The engines: each returns the grand total of every invoice, in cents ---
function halfEvenDiv(n, d) {
  const q = Math.floor(n / d);
  const r = n - q * d;
  return 2 * r > d || (2 * r === d && q % 2 !== 0) ? q + 1 : q;
}
const engines = {
  'plain numbers (floor)': () => {
    let grand = 0;
    for (const lines of invoices) {
      let total = 0;
      for (const { unit, quantity } of lines) {
        const amount = unit * quantity;
        total += amount + halfEvenDiv(amount * 19, 100);
      }
      grand += total;
    }
    return BigInt(grand);
  },
  // What bigint arithmetic costs by itself, without any money type around it.
  'plain bigints': () => {
    let grand = 0n;
    for (const lines of bigInvoices) {
      let total = 0n;
      for (const { unit, quantity } of lines) {
        const amount = unit * quantity;
        const n = amount * 19n;
        const q = n / 100n;
        const r = n - q * 100n;
        total += amount + (2n * r > 100n || (2n * r === 100n && q % 2n !== 0n) ? q + 1n : q);
      }
      grand += total;
    }
    return grand;
  },
  'bulwark money.ts (bigint)': () => {
    const tax = m.rate('0.19');
    let grand = 0n;
    for (const lines of bigInvoices) {
      let total = m.money(0n, 'usd');
      for (const { unit, quantity } of lines) {
        const amount = m.multiply(m.money(unit, 'usd'), quantity);
        total = m.add(total, m.add(amount, m.multiply(amount, tax)));
      }
      grand += total.amount;
    }
    return grand;
  },
  'dinero.js 2 (number)': () => {
    const { dinero, multiply, add, transformScale, halfEven, toSnapshot } = dineroNumber;
    const tax = { amount: 19, scale: 2 };
    let grand = 0;
    for (const lines of invoices) {
      let total = dinero({ amount: 0, currency: USD_NUMBER });
      for (const { unit, quantity } of lines) {
        const amount = multiply(dinero({ amount: unit, currency: USD_NUMBER }), quantity);
        total = add(total, add(amount, transformScale(multiply(amount, tax), 2, halfEven)));
      }
      grand += toSnapshot(total).amount;
    }
    return BigInt(grand);
  },
  'dinero.js 2 (bigint)': () => {
    const { dinero, multiply, add, transformScale, halfEven, toSnapshot } = dineroBigint;
    const tax = { amount: 19n, scale: 2n };
    let grand = 0n;
    for (const lines of bigInvoices) {
      let total = dinero({ amount: 0n, currency: USD_BIGINT });
      for (const { unit, quantity } of lines) {
        const amount = multiply(dinero({ amount: unit, currency: USD_BIGINT }), quantity);
        total = add(total, add(amount, transformScale(multiply(amount, tax), 2n, halfEven)));
      }
      grand += toSnapshot(total).amount;
    }
    return grand;
  },
};

const expected = engines['plain numbers (floor)']();
for (const [name, run] of Object.entries(engines)) {
  const got = run();
  if (got !== expected) throw new Error(`${name} computed ${String(got)}, the floor ${String(expected)}: not the same money`);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const lines = INVOICES * LINES;
const results = {};
for (const [name, run] of Object.entries(engines)) {
  run(); // warm
  const times = [];
  for (let i = 0; i < ROUNDS; i++) {
    const start = process.hrtime.bigint();
    run();
    times.push(Number(process.hrtime.bigint() - start) / lines);
  }
  results[name] = median(times);
}
const floor = results['plain numbers (floor)'];
const ours = results['bulwark money.ts (bigint)'];
console.log(`money per invoice line (${String(INVOICES)} invoices × ${String(LINES)} lines, median of ${String(ROUNDS)} rounds, Node ${process.version})`);
console.log('| engine | ns per line | × floor | × bulwark |');
console.log('| --- | ---: | ---: | ---: |');
for (const [name, ns] of Object.entries(results)) {
  console.log(`| ${name} | ${ns.toFixed(0)} | ${(ns / floor).toFixed(1)} | ${(ns / ours).toFixed(1)} |`);
}
