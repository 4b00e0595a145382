import { isMap, isSeq, parseDocument, type Document } from 'yaml';
import { isDeepStrictEqual } from 'node:util';
import { BulwarkError } from './errors.js';

/**
 * `text` (a YAML file, or nothing) with what `merge` adds: keys it lacks, at
 * any depth, and elements of arrays it does not hold yet, appended. A value
 * already there is never changed, and comments and the order of what is
 * there are kept. YAML aliases are refused, as bulwark refuses them when it
 * reads a spec (a billion-laughs file cannot expand).
 *
 * @example
 * mergeYaml('permissions.yaml', text, { roles: { finance: { sensitive: true } } });
 */
export function mergeYaml(filePath: string, text: string | undefined, merge: Readonly<Record<string, unknown>>): string {
  const doc: Document = parseDocument(text ?? '');
  const problem = doc.errors[0]?.message ?? aliasProblem(doc);
  if (problem !== undefined) {
    throw new BulwarkError('E_EDIT_FAILED', `${filePath} does not parse as YAML bulwark reads: ${problem.split('\n')[0] ?? ''}`, {
      path: filePath,
      fix: `Fix ${filePath} (no aliases), then run again.`,
    });
  }
  doc.contents ??= doc.createNode({});
  if (!isMap(doc.contents)) {
    throw new BulwarkError('E_EDIT_FAILED', `${filePath} is not a YAML mapping, and the generator adds keys to it.`, {
      path: filePath,
      fix: `Restore ${filePath} to a mapping at its top level.`,
    });
  }
  addInto(doc, filePath, [], merge);
  return doc.toString({ aliasDuplicateObjects: false } as Parameters<Document['toString']>[0]);
}

function addInto(doc: Document, filePath: string, at: readonly string[], merge: Readonly<Record<string, unknown>>): void {
  for (const [key, value] of Object.entries(merge)) {
    const where = [...at, key];
    if (!doc.hasIn(where)) {
      doc.setIn(where, doc.createNode(value, { aliasDuplicateObjects: false }));
      continue;
    }
    const existing = doc.getIn(where, true);
    if (isPlainObject(value)) {
      if (!isMap(existing)) throw notShaped(filePath, where, 'a mapping');
      addInto(doc, filePath, where, value);
    } else if (Array.isArray(value)) {
      if (!isSeq(existing)) throw notShaped(filePath, where, 'a list');
      const held = existing.toJSON();
      for (const element of value) {
        if (!held.some((h) => isDeepStrictEqual(h, element))) existing.add(doc.createNode(element, { aliasDuplicateObjects: false }));
      }
    }
    // A scalar already there is the user's: kept.
  }
}

function aliasProblem(doc: Document): string | undefined {
  try {
    doc.toJS({ maxAliasCount: 0 });
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function notShaped(filePath: string, where: readonly string[], shape: string): BulwarkError {
  return new BulwarkError('E_EDIT_FAILED', `${filePath}: ${where.join('.')} is not ${shape}, and the generator adds to it.`, {
    path: filePath,
    option: where.join('.'),
    fix: `Make ${where.join('.')} ${shape} in ${filePath}, or add what the generator needs by hand.`,
  });
}
