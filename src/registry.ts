import { app } from '../generators/app/index.js';
import { auth } from '../generators/auth/index.js';
import { billing } from '../generators/billing/index.js';
import { generator } from '../generators/generator/index.js';
import { rbac } from '../generators/rbac/index.js';
import { webhooks } from '../generators/webhooks/index.js';
import { BulwarkError } from './errors.js';
import type { AnyGenerator } from './generator.js';

/** `bulwark generate generator` appends new generators here. */
const ALL: readonly AnyGenerator[] = [app, generator, rbac, webhooks, auth, billing];

/**
 * Every generator bulwark offers, by its kebab name. The same name joins its
 * folder in generators/, its templates/, its test and its docs (a meta-test
 * keeps them in step).
 */
export const GENERATORS: Readonly<Record<string, AnyGenerator>> = Object.freeze(Object.fromEntries(ALL.map((g) => [g.name, g])));

export function getGenerator(name: string): AnyGenerator {
  const generator = Object.hasOwn(GENERATORS, name) ? GENERATORS[name] : undefined;
  if (generator === undefined) {
    throw new BulwarkError('E_UNKNOWN_GENERATOR', `There is no generator named ${JSON.stringify(name)}.`, {
      option: 'generator',
      fix: `Run "bulwark list" to see the generators: ${Object.keys(GENERATORS).join(', ')}.`,
    });
  }
  return generator;
}
