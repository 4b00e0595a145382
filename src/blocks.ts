import { BulwarkError } from './errors.js';

/** Comment syntax that delimits a block, by the kind of file it lives in. */
export type BlockComment = 'markdown' | 'hash' | 'slash';

const MARKERS: Readonly<Record<BlockComment, (edge: 'begin' | 'end', id: string) => string>> = {
  markdown: (edge, id) => `<!-- bulwark:${edge} ${id} -->`,
  hash: (edge, id) => `# bulwark:${edge} ${id}`,
  slash: (edge, id) => `// bulwark:${edge} ${id}`,
};

const BLOCK_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

/**
 * Puts `content` between the begin and end markers of block `id`: replaced
 * when the markers are there (so a re-run with new options updates it, and a
 * re-run with the same options changes nothing), appended after a blank line
 * otherwise. Text outside the markers is the user's and is never touched.
 */
export function ensureBlock(filePath: string, source: string, id: string, comment: BlockComment, content: string): string {
  if (!BLOCK_ID.test(id)) {
    throw new BulwarkError('E_EDIT_FAILED', `Block id ${JSON.stringify(id)} in ${filePath} is not a lower-case kebab name.`, {
      path: filePath,
      fix: 'Name blocks like "webhooks" or "rbac-env" (the generator chooses them).',
    });
  }
  const begin = MARKERS[comment]('begin', id);
  const end = MARKERS[comment]('end', id);
  const body = content.endsWith('\n') ? content : `${content}\n`;
  const block = `${begin}\n${body}${end}\n`;
  const lines = source.split('\n');
  const first = lines.indexOf(begin);
  const last = lines.indexOf(end);
  const again = lines.indexOf(begin, first + 1);
  if (first === -1 && last === -1) {
    if (source === '') return block;
    const trimmed = source.replace(/\n*$/, '');
    return `${trimmed}\n\n${block}`;
  }
  if (first === -1 || last === -1 || last < first || again !== -1) {
    throw new BulwarkError('E_EDIT_FAILED', `${filePath} has a damaged "${id}" block: its begin and end markers do not pair up.`, {
      path: filePath,
      fix: `Restore the lines "${begin}" and "${end}" around the block, or delete both and the text between them, then run again.`,
    });
  }
  const before = lines.slice(0, first).join('\n');
  const after = lines.slice(last + 1).join('\n');
  return `${before === '' ? '' : `${before}\n`}${block}${after}`.replace(/\n*$/, '\n');
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Adds the keys of `additions` that `source` (a JSON object) lacks, at any
 * depth. An existing value is never changed: a dependency the user pinned
 * elsewhere keeps their version. `append` adds elements at the end of
 * top-level arrays (created when missing), each only if the array does not
 * hold an equal element yet.
 */
export function mergeJson(
  filePath: string,
  source: string,
  additions: Readonly<Record<string, unknown>>,
  append: Readonly<Record<string, readonly unknown[]>> = {},
): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(source);
  } catch (error) {
    throw new BulwarkError('E_EDIT_FAILED', `${filePath} is not valid JSON: ${(error as Error).message}`, {
      path: filePath,
      fix: `Fix the JSON syntax of ${filePath}, then run again.`,
    });
  }
  if (!isObject(parsed)) {
    throw new BulwarkError('E_EDIT_FAILED', `${filePath} must hold a JSON object.`, { path: filePath, fix: `Restore ${filePath}.` });
  }
  const merged = mergeInto(parsed, additions as Record<string, Json>);
  for (const [key, elements] of Object.entries(append)) {
    const current = Object.hasOwn(merged, key) ? merged[key] : [];
    if (!Array.isArray(current)) {
      throw new BulwarkError('E_EDIT_FAILED', `${filePath}: "${key}" must be an array.`, { path: filePath, fix: `Restore the "${key}" array of ${filePath}.` });
    }
    const have = new Set(current.map((element) => JSON.stringify(element)));
    merged[key] = [...current, ...(elements as Json[]).filter((element) => !have.has(JSON.stringify(element)))];
  }
  return `${JSON.stringify(merged, null, 2)}\n`;
}

function mergeInto(target: Record<string, Json>, additions: Readonly<Record<string, Json>>): Record<string, Json> {
  const out: Record<string, Json> = { ...target };
  for (const [key, value] of Object.entries(additions)) {
    const current = Object.hasOwn(out, key) ? out[key] : undefined;
    if (current === undefined) out[key] = value;
    else if (isObject(current) && isObject(value)) out[key] = sortedIfDependencies(key, mergeInto(current, value));
  }
  return out;
}

/** npm keeps dependency lists sorted; so do we, so `npm install` later changes nothing. */
function sortedIfDependencies(key: string, value: Record<string, Json>): Record<string, Json> {
  if (!/^(dev|peer|optional)?[dD]ependencies$/.test(key)) return value;
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function isObject(value: unknown): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
