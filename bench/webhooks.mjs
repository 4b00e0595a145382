// Webhook verification as the generated service does it, side by side with
// stripe.webhooks.constructEvent, the standardwebhooks package and a bare
// node:crypto HMAC (the floor), on the same ~2 KB payload, in one run.
// Usage: npm run build && node bench/webhooks.mjs [--checks 20000] [--rounds 7]
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Webhook } from 'standardwebhooks';
import Stripe from 'stripe';
import { tsImport } from 'tsx/esm/api';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { checks: { type: 'string', default: '20000' }, rounds: { type: 'string', default: '7' } } });
const CHECKS = Number(values.checks);
const ROUNDS = Number(values.rounds);

// The generated verification, from a generated service.
const { plan, apply } = await import(path.join(root, 'dist/src/index.js'));
const service = path.join(mkdtempSync(path.join(os.tmpdir(), 'bulwark-bench-webhooks-')), 'svc');
await apply(await plan('app', {}, { cwd: service }));
await apply(await plan('webhooks', { sources: [{ name: 'stripe', preset: 'stripe' }, { name: 'partner', preset: 'standard-webhooks' }] }, { cwd: service }));
const { verifyStripe, verifyStandardWebhook } = await tsImport(path.join(service, 'src/webhooks/verify.ts'), import.meta.url);

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const KEY = Buffer.from(SECRET.slice(6), 'base64');
const payload = JSON.stringify({ id: 'evt_1', type: 'invoice.paid', created: 1_700_000_000, data: { object: { lines: 'x'.repeat(1900) } } });
const body = Buffer.from(payload);
const now = Math.floor(Date.now() / 1000);
const stripe = new Stripe('sk_test_unused');
const stripeHeader = stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET, timestamp: now });
const standardHeaders = { 'webhook-id': 'msg_1', 'webhook-timestamp': String(now), 'webhook-signature': new Webhook(SECRET).sign('msg_1', new Date(now * 1000), payload) };
const floorSignature = createHmac('sha256', KEY).update(body).digest();

const engines = {
  'node:crypto HMAC (floor)': () => timingSafeEqual(createHmac('sha256', KEY).update(body).digest(), floorSignature),
  'generated Stripe': () => verifyStripe({ header: stripeHeader, body, secrets: [SECRET], toleranceSeconds: 300, now }).ok,
  'stripe.webhooks.constructEvent': () => stripe.webhooks.constructEvent(body, stripeHeader, SECRET) !== undefined,
  'generated Standard Webhooks': () => verifyStandardWebhook({ headers: standardHeaders, body, secrets: { hmac: [KEY], ed25519: [] }, toleranceSeconds: 300, now }).ok,
  'standardwebhooks package': () => new Webhook(SECRET).verify(payload, standardHeaders) !== undefined,
};

for (const [name, check] of Object.entries(engines)) if (check() !== true) throw new Error(`${name} refused a valid delivery`);

const samples = Object.fromEntries(Object.keys(engines).map((name) => [name, []]));
for (let round = 0; round < ROUNDS + 1; round += 1) {
  for (const [name, check] of Object.entries(engines)) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < CHECKS; i += 1) check();
    if (round > 0) samples[name].push(Number(process.hrtime.bigint() - start) / CHECKS);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const floor = median(samples['node:crypto HMAC (floor)']);
console.log(`${String(body.length)}-byte payload, ${String(CHECKS)} checks per round, ${String(ROUNDS)} rounds`);
console.log('verifier                          median ns/check   x floor');
for (const name of Object.keys(engines)) {
  const m = median(samples[name]);
  console.log(`${name.padEnd(34)}${m.toFixed(0).padStart(15)}${(m / floor).toFixed(2).padStart(10)}`);
}
const ratio = (a, b) => (median(samples[a]) / median(samples[b])).toFixed(2);
console.log(`goal: within 1.3x of the floor (Stripe ${ratio('generated Stripe', 'node:crypto HMAC (floor)')}x, Standard Webhooks ${ratio('generated Standard Webhooks', 'node:crypto HMAC (floor)')}x); faster than both libraries (constructEvent / generated: ${ratio('stripe.webhooks.constructEvent', 'generated Stripe')}x, standardwebhooks / generated: ${ratio('standardwebhooks package', 'generated Standard Webhooks')}x)`);
