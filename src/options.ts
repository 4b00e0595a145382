import { open } from 'node:fs/promises';
import { z } from 'zod';
import { BulwarkError, type ErrorIssue } from './errors.js';
import type { AnyGenerator, GeneratorContext } from './generator.js';

/**
 * The most bytes bulwark reads from any input: a spec, stdin, a permission
 * spec. Real ones are a few kilobytes; without a bound, `--spec - < /dev/zero`
 * reads until memory runs out.
 */
export const MAX_INPUT_BYTES = 2 * 1024 * 1024;

export function tooLarge(source: string, option?: string): BulwarkError {
  return new BulwarkError('E_SPEC_TOO_LARGE', `The ${source} is larger than ${String(MAX_INPUT_BYTES / 1024 / 1024)} MiB, the most bulwark reads.`, {
    ...(option === undefined ? {} : { option }),
    fix: 'Pass a smaller input; a spec is a few kilobytes.',
  });
}

/**
 * Reads at most MAX_INPUT_BYTES + 1 bytes of a file, whatever it is (a
 * device or a pipe never ends), and refuses more.
 */
export async function readInput(file: string, source: string, option?: string): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(MAX_INPUT_BYTES + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > MAX_INPUT_BYTES) throw tooLarge(source, option);
    }
    return buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Turns `--set key=value` pairs into an options object. A value that parses
 * as JSON (true, 3000, ["a"]) is taken as that JSON; anything else is a
 * string. Dotted keys build nested objects.
 */
export function parseSetPairs(pairs: readonly string[]): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) {
      throw new BulwarkError('E_USAGE', `--set ${JSON.stringify(pair)} is not key=value.`, {
        fix: 'Write --set name=value, for example --set name=billing-api.',
      });
    }
    const key = pair.slice(0, eq);
    const raw = pair.slice(eq + 1);
    const segments = key.split('.');
    let cursor: Record<string, unknown> = result;
    segments.forEach((segment, i) => {
      if (segment === '' || FORBIDDEN_KEYS.has(segment)) {
        throw new BulwarkError('E_SPEC_INVALID', `--set key ${JSON.stringify(key)} is not allowed.`, { option: key });
      }
      if (i === segments.length - 1) {
        cursor[segment] = parseValue(raw);
        return;
      }
      const next = cursor[segment];
      if (typeof next !== 'object' || next === null || Array.isArray(next)) cursor[segment] = {};
      cursor = cursor[segment] as Record<string, unknown>;
    });
  }
  return result;
}

function parseValue(raw: string): unknown {
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'string' ? raw : value;
  } catch {
    return raw;
  }
}

/** Reads a JSON spec text; refuses anything but a JSON object. */
export function parseSpecText(text: string, source: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new BulwarkError('E_SPEC_PARSE', `The spec ${source} is not valid JSON: ${(error as Error).message}`, {
      fix: 'Pass a JSON object, for example {"name": "billing-api"}.',
    });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new BulwarkError('E_SPEC_PARSE', `The spec ${source} must be a JSON object.`, {
      fix: 'Pass a JSON object, for example {"name": "billing-api"}.',
    });
  }
  return value as Record<string, unknown>;
}

/**
 * The paths of every own `__proto__` key in parsed JSON or YAML. JSON.parse
 * and YAML keep such a key as data, but any object it is copied into (zod
 * included) drops it or turns it into a prototype: refused, never dropped
 * silently.
 */
export function protoKeyPaths(value: unknown, base = ''): string[] {
  if (typeof value !== 'object' || value === null) return [];
  const found: string[] = [];
  const stack: { value: object; path: string }[] = [{ value, path: base }];
  while (stack.length > 0) {
    const next = stack.pop() as { value: object; path: string };
    for (const key of Object.keys(next.value)) {
      const child: unknown = (next.value as Record<string, unknown>)[key];
      const childPath = next.path === '' ? key : `${next.path}.${key}`;
      if (key === '__proto__') found.push(childPath);
      else if (typeof child === 'object' && child !== null) stack.push({ value: child, path: childPath });
    }
  }
  return found.sort();
}

/**
 * Validates raw options against a generator's schema, then normalizes them.
 * Unknown keys are refused; every problem is reported at once, each naming
 * its option.
 */
export function resolveOptions(generator: AnyGenerator, raw: unknown, context: GeneratorContext): unknown {
  const proto = protoKeyPaths(raw);
  if (proto.length > 0) {
    throw new BulwarkError('E_SPEC_INVALID', `Invalid options for "${generator.name}": ${proto.join(', ')}: "__proto__" is not a name bulwark accepts.`, {
      option: proto[0] as string,
      issues: proto.map((option) => ({ option, message: '"__proto__" is not a name bulwark accepts; choose another' })),
      fix: 'Rename the key; "__proto__" would be dropped or change the object it is read into.',
    });
  }
  const parsed = generator.options.safeParse(raw ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.flatMap(toIssues);
    const first = issues[0];
    const summary = issues.map((i) => `${i.option}: ${i.message}`).join('; ');
    throw new BulwarkError('E_SPEC_INVALID', `Invalid options for "${generator.name}": ${summary}.`, {
      ...(first ? { option: first.option } : {}),
      issues,
      fix: `Run "bulwark schema ${generator.name}" to see every option, its type and its default.`,
    });
  }
  return generator.normalize(parsed.data, context);
}

function toIssues(issue: z.core.$ZodIssue): ErrorIssue[] {
  const base = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      option: base ? `${base}.${key}` : key,
      message: 'is not an option of this generator (unknown keys are refused)',
    }));
  }
  return [{ option: base || '(root)', message: issue.message }];
}

/** The JSON Schema platforms see, derived from the zod schema, never written twice. */
export function jsonSchemaOf(generator: AnyGenerator): Record<string, unknown> {
  return {
    title: generator.name,
    description: generator.description,
    ...z.toJSONSchema(generator.options, { io: 'input' }),
  };
}
