import { confirm, input, number, select } from '@inquirer/prompts';
import type { z } from 'zod';
import type { AnyGenerator, GeneratorContext } from './generator.js';
import type { Plan } from './plan.js';
import { summarize } from './report.js';

interface FieldInfo {
  readonly kind: 'string' | 'boolean' | 'number' | 'enum' | 'list' | 'other';
  readonly default: unknown;
  readonly choices: readonly string[];
  readonly description: string | undefined;
}

/** Reads what a prompt needs from a zod field: its base type, default, choices. */
function fieldInfo(field: z.ZodType): FieldInfo {
  let current = field as z.ZodType & { def: { type: string; innerType?: z.ZodType; defaultValue?: unknown } };
  let defaultValue: unknown;
  const description = field.description;
  while (current.def.type === 'optional' || current.def.type === 'default') {
    if (current.def.type === 'default') defaultValue = current.def.defaultValue;
    current = current.def.innerType as typeof current;
  }
  const type = current.def.type;
  const element = (current.def as { element?: { def: { type: string } } }).element;
  const isStringList = type === 'array' && element?.def.type === 'string';
  const kind = type === 'string' || type === 'boolean' || type === 'number' || type === 'enum' ? type : isStringList ? 'list' : 'other';
  const choices = kind === 'enum' ? ((current as unknown as { options: string[] }).options) : [];
  return { kind, default: defaultValue, choices, description: description ?? current.description };
}

/**
 * Asks for each option not already given, with the schema's (safe) default
 * or the generator's context default pre-filled. Lists of strings are asked
 * as comma-separated text. Options a prompt cannot express (objects, other
 * lists) keep their defaults; a spec file sets them.
 */
export async function askOptions(generator: AnyGenerator, given: Record<string, unknown>, context: GeneratorContext): Promise<Record<string, unknown>> {
  const answers: Record<string, unknown> = { ...given };
  const contextDefaults = generator.promptDefaults?.(context) ?? {};
  const shape = generator.options.shape as Record<string, z.ZodType>;
  for (const [key, field] of Object.entries(shape)) {
    if (key in given) continue;
    const info = fieldInfo(field);
    const message = info.description ?? key;
    const fallback = key in contextDefaults ? (contextDefaults as Record<string, unknown>)[key] : info.default;
    const validate = (value: unknown): string | true => {
      const result = field.safeParse(value);
      return result.success ? true : (result.error.issues[0]?.message ?? 'invalid');
    };
    switch (info.kind) {
      case 'string':
        answers[key] = await input({ message, ...(typeof fallback === 'string' ? { default: fallback } : {}), validate });
        break;
      case 'boolean':
        answers[key] = await confirm({ message, default: fallback === true });
        break;
      case 'number': {
        const value = await number({ message, ...(typeof fallback === 'number' ? { default: fallback } : {}), validate });
        if (value !== undefined) answers[key] = value;
        break;
      }
      case 'enum':
        answers[key] = await select({
          message,
          choices: info.choices.map((value) => ({ value })),
          ...(typeof fallback === 'string' ? { default: fallback } : {}),
        });
        break;
      case 'list': {
        const split = (text: string) => text.split(',').map((item) => item.trim()).filter((item) => item !== '');
        const text = await input({
          message: `${message} (comma-separated)`,
          ...(Array.isArray(fallback) ? { default: fallback.join(', ') } : {}),
          validate: (value: string) => validate(split(value)),
        });
        answers[key] = split(text);
        break;
      }
      case 'other':
        break;
    }
  }
  return answers;
}

/** Shows what a plan will write and asks before anything is written. */
export async function confirmPlan(p: Plan, write: (text: string) => void): Promise<boolean> {
  write(summarize(p.files, p.target, true));
  const changes = p.files.filter((f) => f.status === 'created' || f.status === 'updated').length;
  if (changes === 0 && p.manifest.before === p.manifest.after) return false;
  return confirm({ message: `Write ${changes} file(s) to ${p.target}?`, default: true });
}
