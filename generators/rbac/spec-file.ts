import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { BulwarkError } from '../../src/errors.js';
import { RBAC_ERRORS } from './errors.js';
import { protoKeyPaths } from '../../src/options.js';

/**
 * The spec file as text: YAML, or JSON for a .json path. Never YAML anchors
 * and aliases, even where two resources share a list: bulwark reads spec
 * files with aliases off (a billion-laughs spec cannot expand), so it must
 * not write one it would refuse to read back.
 */
export function specText(specPath: string, written: unknown): string {
  if (specPath.endsWith('.json')) return `${JSON.stringify(written, null, 2)}\n`;
  return `# The permission spec: bulwark compiles it into src/authz/permissions.ts, PERMISSIONS.* and cedar/.\n# Edit it, then run: npx bulwark generate rbac\n${stringifyYaml(written, { aliasDuplicateObjects: false })}`;
}

/**
 * Reads a spec file's bytes: UTF-8 only (a byte that is not UTF-8 would turn
 * into U+FFFD and reach code), YAML without aliases or JSON, and no
 * `__proto__` key, which would otherwise vanish without a word.
 */
export function parseSpecFile(specPath: string, bytes: Uint8Array): unknown {
  const refuse = (message: string, option?: string): never => {
    throw new BulwarkError(RBAC_ERRORS.E_PERMISSIONS_INVALID, `${specPath} ${message}`, {
      ...(option === undefined ? {} : { option, issues: [{ option, message }] }),
      path: specPath,
      fix: `Fix ${specPath}; "bulwark schema rbac" shows its shape under "permissions".`,
    });
  };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    return refuse(`is not UTF-8 (byte ${String(at)}, 0x${(bytes[at] ?? 0).toString(16).toUpperCase().padStart(2, '0')}, starts an invalid sequence); save it as UTF-8.`);
  }
  let value: unknown;
  try {
    value = specPath.endsWith('.json') ? (JSON.parse(text) as unknown) : (parseYaml(text, { maxAliasCount: 0 }) as unknown);
  } catch (error) {
    return refuse(`does not parse: ${(error as Error).message.split('\n')[0] ?? ''}`);
  }
  const proto = protoKeyPaths(value);
  if (proto.length > 0) refuse(`uses "__proto__" as a name (${proto.join(', ')}); choose another.`, proto[0]);
  return value;
}

/** The offset of the first byte of the first sequence that is not UTF-8 (only called once the text is known not to be). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let sequenceStart = 0;
  for (let index = 0; index < bytes.length; index++) {
    const byte = bytes[index] as number;
    // A continuation byte (10xxxxxx) belongs to the sequence before it; anything else starts one.
    if ((byte & 0xc0) !== 0x80) sequenceStart = index;
    try {
      decoder.decode(bytes.subarray(index, index + 1), { stream: true });
    } catch {
      // A lead byte cut short is reported where its sequence started, not at the byte that ended it.
      return (byte & 0xc0) !== 0x80 && index > 0 && ((bytes[index - 1] as number) & 0x80) !== 0 ? lastLead(bytes, index) : sequenceStart;
    }
  }
  return sequenceStart; // cut off inside a sequence
}

function lastLead(bytes: Uint8Array, before: number): number {
  for (let index = before - 1; index >= Math.max(0, before - 3); index--) {
    if (((bytes[index] as number) & 0xc0) === 0xc0) return index;
  }
  return before;
}
