// The generated policy's `can()` side by side with a hand-written lookup
// table (the floor), CASL, casbin and Cedar, all enforcing one policy:
// 8 roles, 10 resources, 6 actions, tenant and ownership conditions, an
// attribute limit and MFA. Every engine must decide every request the same
// way before anything is timed. Usage: npm run build && node bench/rbac.mjs [--checks 20000] [--rounds 7]
import { createMongoAbility } from '@casl/ability';
import { preparsePolicySet, statefulIsAuthorized } from '@cedar-policy/cedar-wasm/nodejs';
import { newEnforcer, newModelFromString, StringAdapter } from 'casbin';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { tsImport } from 'tsx/esm/api';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { checks: { type: 'string', default: '20000' }, rounds: { type: 'string', default: '7' } } });
const CHECKS = Number(values.checks);
const ROUNDS = Number(values.rounds);

// --- The policy, as a bulwark permission spec -------------------------------
const RESOURCES = Array.from({ length: 10 }, (_, i) => `res${String(i)}`);
const ACTIONS = ['read', 'create', 'update', 'delete', 'approve', 'export'];
const grant = (resources, actions, when = []) => resources.map((resource) => ({ resource, actions, when }));
const OWNER = [{ kind: 'owner' }];
const MFA = [{ kind: 'authStrength', level: 'mfa' }];
const LIMIT = [{ kind: 'attribute', attribute: 'amount', op: 'lte', value: 10000 }];
const half = RESOURCES.slice(0, 5);
const permissions = {
  version: 1,
  resources: Object.fromEntries(RESOURCES.map((r) => [r, { attributes: { amount: 'number' }, actions: ACTIONS }])),
  roles: {
    viewer: { grants: grant(half, ['read']) },
    auditor: { grants: grant(RESOURCES, ['read', 'export']) },
    member: { inherits: ['viewer'], grants: [...grant(RESOURCES, ['create']), ...grant(RESOURCES, ['update', 'delete'], OWNER)] },
    support: { inherits: ['viewer'], grants: grant(half, ['update'], OWNER) },
    manager: { inherits: ['member'], grants: grant(half, ['update', 'delete']) },
    approver: { inherits: ['viewer'], grants: grant(RESOURCES, ['approve'], LIMIT) },
    finance: { inherits: ['auditor'], sensitive: true, grants: grant(RESOURCES, ['approve'], MFA) },
    admin: { inherits: ['auditor'], sensitive: true, grants: grant(RESOURCES, ['create', 'update', 'delete', 'approve'], MFA) },
  },
};

// --- Generate a service with it, and load the generated policy --------------
const { plan, apply } = await import(path.join(root, 'dist/src/index.js'));
const service = path.join(mkdtempSync(path.join(os.tmpdir(), 'bulwark-bench-rbac-')), 'svc');
await apply(await plan('app', {}, { cwd: service }));
await apply(await plan('rbac', { permissions }, { cwd: service }));
const { Policy } = await tsImport(path.join(service, 'src/authz/policy.ts'), import.meta.url);
const { RULES } = await tsImport(path.join(service, 'src/authz/permissions.ts'), import.meta.url);
const policy = new Policy('production');

// --- Requests: random but fixed (a seeded generator) ------------------------
let seed = 42;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const pick = (list) => list[Math.floor(random() * list.length)];
const ROLES = Object.keys(permissions.roles);
const TENANTS = ['00000000-0000-4000-8000-00000000000a', '00000000-0000-4000-8000-00000000000b'];
const principals = Array.from({ length: 64 }, (_, i) => ({
  id: `user-${String(i % 8)}`,
  tenantId: TENANTS[0],
  roles: random() < 0.3 ? [pick(ROLES), pick(ROLES)] : [pick(ROLES)],
  authStrength: random() < 0.5 ? ['mfa'] : [],
}));
const requests = Array.from({ length: CHECKS }, () => ({
  principal: pick(principals),
  action: pick(ACTIONS),
  resource: { type: pick(RESOURCES), id: 'r-1', tenantId: random() < 0.9 ? TENANTS[0] : TENANTS[1], ownerId: `user-${String(Math.floor(random() * 8))}`, amount: Math.floor(random() * 20000) },
}));

// --- The engines ------------------------------------------------------------
// Floor: a hand-written lookup table, role -> resource -> action -> predicate.
const CHECK = {
  owner: () => (p, r) => r.ownerId === p.id,
  authStrength: (c) => (p) => p.authStrength.includes(c.level),
  attribute: (c) => (_p, r) => r[c.attribute] <= c.value,
};
const table = {};
for (const rule of RULES) {
  const checks = rule.when.map((c) => CHECK[c.kind](c));
  const cell = ((table[rule.role] ??= {})[rule.resource] ??= {});
  (cell[rule.action] ??= []).push((p, r) => checks.every((check) => check(p, r)));
}
function lookup(p, action, r) {
  if (r.tenantId !== p.tenantId) return false;
  for (const role of p.roles) {
    const alternatives = table[role]?.[r.type]?.[action];
    if (alternatives !== undefined && alternatives.some((allows) => allows(p, r))) return true;
  }
  return false;
}

// CASL: one ability per principal (built once, as an app caches it per user).
const casl = new Map();
for (const p of principals) {
  const rules = [];
  for (const rule of RULES) {
    if (!p.roles.includes(rule.role)) continue;
    if (rule.when.some((c) => c.kind === 'authStrength') && !p.authStrength.includes('mfa')) continue;
    const conditions = { tenantId: p.tenantId };
    for (const c of rule.when) {
      if (c.kind === 'owner') conditions.ownerId = p.id;
      if (c.kind === 'attribute') conditions[c.attribute] = { $lte: c.value };
    }
    rules.push({ action: rule.action, subject: rule.resource, conditions });
  }
  casl.set(p, createMongoAbility(rules, { detectSubjectType: (s) => s.type }));
}

// casbin: one policy line per rule, conditions as an eval'd expression.
const enforcer = await newEnforcer(
  newModelFromString(`
[request_definition]
r = sub, role, obj, act
[policy_definition]
p = role, type, act, cond
[policy_effect]
e = some(where (p.eft == allow))
[matchers]
m = r.role == p.role && r.obj.type == p.type && r.act == p.act && r.obj.tenantId == r.sub.tenantId && eval(p.cond)
`),
  new StringAdapter(
    RULES.map((rule) => {
      const cond = rule.when.map((c) => (c.kind === 'owner' ? 'r.obj.ownerId == r.sub.id' : c.kind === 'authStrength' ? 'r.sub.mfa == true' : `r.obj.${c.attribute} <= ${String(c.value)}`)).join(' && ') || 'true';
      return `p, ${rule.role}, ${rule.resource}, ${rule.action}, ${cond}`;
    }).join('\n'),
  ),
);
const casbinSubject = new Map(principals.map((p) => [p, { id: p.id, tenantId: p.tenantId, mfa: p.authStrength.includes('mfa') }]));
async function casbinCan(p, action, r) {
  for (const role of p.roles) if (await enforcer.enforce(casbinSubject.get(p), role, r, action)) return true;
  return false;
}

// Cedar: the policy set bulwark generated, parsed once.
preparsePolicySet('bench', { staticPolicies: readFileSync(path.join(service, 'cedar/policies.cedar'), 'utf8') });
const pascal = (n) => n.charAt(0).toUpperCase() + n.slice(1);
function cedarCan(p, action, r) {
  const { type, id, ...attrs } = r;
  const answer = statefulIsAuthorized({
    principal: { type: 'User', id: p.id },
    action: { type: 'Action', id: `${type}:${action}` },
    resource: { type: pascal(type), id },
    context: { environment: 'production' },
    preparsedPolicySetId: 'bench',
    entities: [
      { uid: { type: 'User', id: p.id }, attrs: { userId: p.id, tenantId: p.tenantId, roles: p.roles, authStrength: p.authStrength }, parents: [] },
      { uid: { type: pascal(type), id }, attrs, parents: [] },
    ],
  });
  return answer.type === 'success' && answer.response.decision === 'allow';
}

const engines = {
  'hand-written lookup (floor)': (q) => lookup(q.principal, q.action, q.resource),
  'bulwark can()': (q) => policy.can(q.principal, q.action, q.resource).allowed,
  'CASL 7': (q) => casl.get(q.principal).can(q.action, q.resource),
  'casbin 5': (q) => casbinCan(q.principal, q.action, q.resource),
  'Cedar (wasm)': (q) => cedarCan(q.principal, q.action, q.resource),
};

// --- Same answers first ------------------------------------------------------
const reference = requests.map(engines['hand-written lookup (floor)']);
const allowed = reference.filter(Boolean).length;
for (const [name, decide] of Object.entries(engines)) {
  let differ = 0;
  for (const [i, q] of requests.entries()) if ((await decide(q)) !== reference[i]) differ += 1;
  if (differ > 0) throw new Error(`${name} decides ${String(differ)} of ${String(CHECKS)} requests differently: the bench would compare different policies`);
}

// --- Timing: rounds interleaved, median ns per check -------------------------
const samples = Object.fromEntries(Object.keys(engines).map((name) => [name, []]));
for (let round = 0; round < ROUNDS + 1; round += 1) {
  for (const [name, decide] of Object.entries(engines)) {
    const isAsync = name.startsWith('casbin');
    const start = process.hrtime.bigint();
    let sink = 0;
    if (isAsync) for (const q of requests) sink += (await decide(q)) ? 1 : 0;
    else for (const q of requests) sink += decide(q) ? 1 : 0;
    const ns = Number(process.hrtime.bigint() - start) / CHECKS;
    if (sink !== allowed) throw new Error(`${name} changed its answers between rounds`);
    if (round > 0) samples[name].push(ns); // round 0 warms up the JIT and Cedar
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const floor = median(samples['hand-written lookup (floor)']);
const ours = median(samples['bulwark can()']);
const libraries = ['CASL 7', 'casbin 5', 'Cedar (wasm)'];
const fastestLibrary = Math.min(...libraries.map((name) => median(samples[name])));
console.log(`${String(CHECKS)} checks per round, ${String(ROUNDS)} rounds, ${String(allowed)} allowed; every engine gave the same answers.`);
console.log('engine                        median ns/check   x floor   x bulwark');
for (const name of Object.keys(engines)) {
  const m = median(samples[name]);
  console.log(`${name.padEnd(30)}${m.toFixed(0).padStart(15)}${(m / floor).toFixed(2).padStart(10)}${(m / ours).toFixed(1).padStart(12)}`);
}
console.log(`goal: bulwark within 2x of the floor: ${(ours / floor).toFixed(2)}x; at least 10x faster than the fastest library: ${(fastestLibrary / ours).toFixed(1)}x`);
