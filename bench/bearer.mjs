// Bearer-token verification as the generated service does it, side by side
// with a bare node:crypto signature check (the floor) and jose's jwtVerify,
// for RS256 and ES256, in one run: the generated verifyAccessToken on every
// call (cold: keys in hand, nothing remembered) and AccessTokenVerifier with
// the same token again (cached). Every verifier must accept the token and
// return the same subject before anything is timed.
// Usage: npm run build && node bench/bearer.mjs [--checks 200] [--rounds 151]
import { createPublicKey, verify } from 'node:crypto';
import { mkdtempSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { SignJWT, createLocalJWKSet, exportJWK, generateKeyPair, jwtVerify } from 'jose';
import { tsImport } from 'tsx/esm/api';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { checks: { type: 'string', default: '200' }, rounds: { type: 'string', default: '151' } } });
const CHECKS = Number(values.checks);
const ROUNDS = Number(values.rounds);

// The generated verifier, from a generated service (app + auth).
const { plan, apply } = await import(path.join(root, 'dist/src/index.js'));
const service = path.join(mkdtempSync(path.join(os.tmpdir(), 'bulwark-bench-bearer-')), 'svc');
await apply(await plan('app', {}, { cwd: service }));
await apply(await plan('auth', {}, { cwd: service }));
symlinkSync(path.join(root, 'node_modules'), path.join(service, 'node_modules'), 'dir');
const { AccessTokenVerifier, verifyAccessToken } = await tsImport(path.join(service, 'src/auth/bearer.ts'), import.meta.url);
const { localKeySet } = await tsImport(path.join(service, 'src/auth/keys.ts'), import.meta.url);

const ISSUER = 'https://id.example.test/';
const AUDIENCE = 'https://api.example.test';
const config = {
  issuer: ISSUER,
  audience: AUDIENCE,
  jwksUri: new URL('https://id.example.test/jwks'),
  algorithms: ['RS256', 'ES256'],
  maxTokenLifetimeSeconds: 600,
  untypedAccessTokens: false,
  tenantClaim: 'tenant_id',
  rolesClaim: 'roles',
  mfaAcrValues: [],
};

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = [];
for (const alg of ['RS256', 'ES256']) {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg, use: 'sig' };
  const now = Math.floor(Date.now() / 1000);
  // A typical provider access token: ~700 to 900 bytes.
  const token = await new SignJWT({
    iss: ISSUER,
    aud: AUDIENCE,
    sub: 'auth0|5f7c8ec7c33c6c004bbafe82',
    iat: now,
    exp: now + 600,
    auth_time: now - 60,
    tenant_id: '6f1c2a5e-3b4d-4c8e-9f0a-1b2c3d4e5f60',
    roles: ['member', 'approver'],
    amr: ['pwd', 'otp'],
    scope: 'openid email invoices:read invoices:write',
    client_id: 'billing-web',
    jti: 'b1c8e0f2-6a4d-4e2b-8f3c-2d1e0a9b8c7d',
  })
    .setProtectedHeader({ alg, kid: 'k1', typ: 'at+jwt' })
    .sign(privateKey);

  // The floor: the signature alone, with the key and both inputs prepared.
  const key = createPublicKey({ key: jwk, format: 'jwk' });
  const dot = token.lastIndexOf('.');
  const input = Buffer.from(token.slice(0, dot));
  const signature = Buffer.from(token.slice(dot + 1), 'base64url');
  const keyInput = alg === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' } : key;
  const joseKeys = createLocalJWKSet({ keys: [jwk] });
  const keys = localKeySet({ keys: [jwk] });
  const cached = new AccessTokenVerifier(config, keys);

  const engines = {
    'node:crypto verify (floor)': () => verify('sha256', input, keyInput, signature),
    'jose jwtVerify': () => jwtVerify(token, joseKeys, { algorithms: [alg], issuer: ISSUER, audience: AUDIENCE, typ: 'at+jwt', requiredClaims: ['sub', 'exp', 'iat'], clockTolerance: 30 }),
    'generated verifyAccessToken (cold)': () => verifyAccessToken(token, keys, config),
    'generated AccessTokenVerifier (cached)': () => cached.verify(token),
  };
  // Each must accept the token and name the same subject.
  if (engines['node:crypto verify (floor)']() !== true) throw new Error('the floor refused the token');
  const subjects = [(await engines['jose jwtVerify']()).payload.sub, (await engines['generated verifyAccessToken (cold)']()).id, (await engines['generated AccessTokenVerifier (cached)']()).id];
  if (new Set(subjects).size !== 1) throw new Error(`verifiers disagree: ${subjects.join(', ')}`);

  const samples = Object.fromEntries(Object.keys(engines).map((name) => [name, []]));
  // Many short rounds, interleaved and in turn order, so that noise from other work on the
  // machine falls on every verifier alike; the first 10 warm up. Every call is awaited in turn.
  const order = Object.entries(engines);
  for (let round = 0; round < ROUNDS + 10; round += 1) {
    order.push(order.shift());
    for (const [name, run] of order) {
      const start = process.hrtime.bigint();
      for (let i = 0; i < CHECKS; i += 1) await run();
      if (round >= 10) samples[name].push(Number(process.hrtime.bigint() - start) / CHECKS);
    }
  }
  const floor = median(samples['node:crypto verify (floor)']);
  for (const name of Object.keys(engines)) results.push({ alg, name, ns: median(samples[name]), floor });
  console.log(`${alg}: ${String(token.length)}-byte token`);
}

console.log(`${String(CHECKS)} verifications per round, ${String(ROUNDS)} rounds, medians`);
console.log('alg    verifier                                   median ns/token   x floor');
for (const { alg, name, ns, floor } of results) {
  console.log(`${alg.padEnd(7)}${name.padEnd(43)}${ns.toFixed(0).padStart(15)}${(ns / floor).toFixed(2).padStart(10)}`);
}
const ratio = (alg, name) => {
  const row = results.find((r) => r.alg === alg && r.name === name);
  return (row.ns / row.floor).toFixed(2);
};
console.log(
  `goal: cold within 1.2x of the floor (RS256 ${ratio('RS256', 'generated verifyAccessToken (cold)')}x, ES256 ${ratio('ES256', 'generated verifyAccessToken (cold)')}x); ` +
    `cached a few microseconds (RS256 ${(results.find((r) => r.alg === 'RS256' && r.name.includes('cached')).ns / 1000).toFixed(1)} µs, ES256 ${(results.find((r) => r.alg === 'ES256' && r.name.includes('cached')).ns / 1000).toFixed(1)} µs)`,
);
