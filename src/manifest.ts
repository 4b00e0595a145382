import { z } from 'zod';
import { BulwarkError } from './errors.js';
export { sha256 } from './hash.js';
import { MANIFEST_PATH } from './paths.js';

export { MANIFEST_PATH };

const manifestSchema = z.strictObject({
  manifestVersion: z.literal(1),
  generators: z.record(z.string(), z.strictObject({ options: z.record(z.string(), z.unknown()) })),
  files: z.record(z.string(), z.strictObject({ sha256: z.string().regex(/^[0-9a-f]{64}$/), generator: z.string() })),
});

/**
 * What bulwark wrote into a target: the options of each generator run and
 * the hash of every file as bulwark left it. A file whose hash on disk no
 * longer matches was edited by someone else and is never overwritten
 * silently.
 */
export type Manifest = z.infer<typeof manifestSchema>;

export function emptyManifest(): Manifest {
  return { manifestVersion: 1, generators: {}, files: {} };
}

/** The manifest from its text (none: an empty one); E_TARGET_INVALID when it is damaged. */
export function parseManifest(text: string | undefined): Manifest {
  if (text === undefined) return emptyManifest();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const result = manifestSchema.safeParse(parsed);
  if (!result.success) {
    throw new BulwarkError('E_TARGET_INVALID', `${MANIFEST_PATH} is damaged and cannot be trusted.`, {
      path: MANIFEST_PATH,
      fix: `Restore ${MANIFEST_PATH} from version control; bulwark will not guess which files it owns.`,
    });
  }
  return result.data;
}

/** Stable text: keys sorted, so the same state always gives the same bytes. */
export function serializeManifest(manifest: Manifest): string {
  return `${JSON.stringify(sortKeys(manifest), null, 2)}\n`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}
