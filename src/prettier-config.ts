import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Options } from 'prettier';
import { parse as parseYaml } from 'yaml';
import { BulwarkError } from './errors.js';
import { PACKAGE_ROOT } from './package-root.js';
import { PRETTIER_OPTIONS } from './prettier-options.js';

/** Something the user should know that did not stop the run; `code` is stable, like an error's. */
export interface PlanWarning {
  readonly code: 'W_PRETTIER_CONFIG_IGNORED' | 'W_PRETTIER_PLUGINS_IGNORED';
  readonly message: string;
  readonly path?: string;
}

/**
 * How the files of one plan are formatted. `options` is undefined when
 * every file gets bulwark's own style (PRETTIER_OPTIONS): the target has no
 * prettier configuration, or exactly the one bulwark writes, and no
 * .editorconfig; only then is the build-time format index valid. Otherwise
 * `options[i]` is the target's resolved configuration for file i.
 */
export interface FormatStyle {
  readonly options: readonly Options[] | undefined;
  readonly warnings: readonly PlanWarning[];
}

// prettier's own search order within one directory (prettier 3, config-searcher.js).
const CONFIG_FILES = [
  'package.json',
  'package.yaml',
  '.prettierrc',
  '.prettierrc.json',
  '.prettierrc.yml',
  '.prettierrc.yaml',
  '.prettierrc.json5',
  '.prettierrc.js',
  'prettier.config.js',
  '.prettierrc.ts',
  'prettier.config.ts',
  '.prettierrc.mjs',
  'prettier.config.mjs',
  '.prettierrc.mts',
  'prettier.config.mts',
  '.prettierrc.cjs',
  'prettier.config.cjs',
  '.prettierrc.cts',
  'prettier.config.cts',
  '.prettierrc.toml',
] as const;

const OWN_PACKAGE_JSON = path.join(PACKAGE_ROOT, 'package.json');

const CODE_CONFIG = /\.(js|mjs|cjs|ts|mts|cts)$/;

/** A prettier configuration file found for a directory: on disk, or among the files the plan writes. */
interface Found {
  readonly file: string;
  /** The plan's own content for a config file it writes (bulwark's .prettierrc.json in a new service). */
  readonly planned?: string;
}

/**
 * Resolves the target's own prettier configuration for each planned file,
 * the way `prettier --check` run in the target would: the nearest config
 * file up from the file's directory (within the plan, the target, then its
 * parents), its `overrides`, and `.editorconfig` under it.
 *
 * Nothing from the target is ever run: a configuration in JavaScript or
 * TypeScript (`prettier.config.js`, `.prettierrc.ts`, ...) or one that names a
 * shared configuration package (`"prettier": "@acme/prettier-config"`) can
 * only be read by executing it, so it is ignored (bulwark's style, warning
 * W_PRETTIER_CONFIG_IGNORED); `plugins` are dropped from a data
 * configuration (its other options apply, warning W_PRETTIER_PLUGINS_IGNORED).
 *
 * @param planned the content of each file the plan writes, by relative path.
 */
export async function targetStyle(target: string, paths: readonly string[], planned: ReadonlyMap<string, string>): Promise<FormatStyle> {
  const finder = new ConfigFinder(target, planned);
  const found = paths.map((p) => finder.find(path.dirname(path.join(target, p))));
  if (found.every((f) => f === undefined)) return { options: undefined, warnings: [] };

  const warnings = new Map<string, PlanWarning>();
  const verdicts = new Map<string, Verdict>();
  const verdictOf = (f: Found): Verdict => {
    let v = verdicts.get(f.file);
    if (v === undefined) {
      v = judge(target, f);
      verdicts.set(f.file, v);
      if (v.kind === 'ignored') warnings.set(f.file, v.warning);
    }
    return v;
  };
  const judged = found.map((f) => (f === undefined ? undefined : verdictOf(f)));
  const onlyDefaults = judged.every((v) => v === undefined || v.kind === 'ignored' || (v.kind === 'data' && v.isDefault));
  if (onlyDefaults && !paths.some((p) => finder.editorconfigAbove(path.dirname(path.join(target, p))))) {
    return { options: undefined, warnings: [...warnings.values()] };
  }

  const prettier = await import('prettier');
  await prettier.clearConfigCache();
  const options = await Promise.all(
    paths.map(async (p, i): Promise<Options> => {
      const f = found[i];
      const v = judged[i];
      if (f === undefined || v === undefined || v.kind === 'ignored') return { ...PRETTIER_OPTIONS };
      if (f.planned !== undefined) {
        if (v.kind !== 'data') return { ...PRETTIER_OPTIONS };
        // Not on disk yet: the .editorconfig part alone (bulwark's package.json holds no prettier key), under the planned file.
        const editorconfig = await prettier.resolveConfig(path.join(target, p), { config: OWN_PACKAGE_JSON, editorconfig: true });
        return dropPlugins({ ...editorconfig, ...v.config }, shownPath(target, f.file), warnings);
      }
      let resolved: Options | null;
      try {
        resolved = await prettier.resolveConfig(path.join(target, p), { config: f.file, editorconfig: true });
      } catch (error) {
        throw unreadable(target, f.file, error);
      }
      return dropPlugins(resolved ?? {}, shownPath(target, f.file), warnings);
    }),
  );
  return { options, warnings: [...warnings.values()] };
}

type Verdict =
  | { readonly kind: 'data'; readonly config: Options; readonly isDefault: boolean }
  | { readonly kind: 'ignored'; readonly warning: PlanWarning }
  // TOML and JSON5: safe for prettier to read, but not compared with bulwark's style here.
  | { readonly kind: 'other' };

/** Whether a config file can be read without running code, and what it holds. */
function judge(target: string, found: Found): Verdict {
  const shown = shownPath(target, found.file);
  const ignored = (why: string): Verdict => ({
    kind: 'ignored',
    warning: {
      code: 'W_PRETTIER_CONFIG_IGNORED',
      message: `${shown} ${why}; bulwark never runs code from the target, so it formatted with its own style. Run your formatter on the files it wrote.`,
      path: shown,
    },
  });
  const base = path.basename(found.file);
  if (CODE_CONFIG.test(base)) return ignored('is a prettier configuration in JavaScript or TypeScript');
  let text: string;
  try {
    text = found.planned ?? readFileSync(found.file, 'utf8');
  } catch (error) {
    throw unreadable(target, found.file, error);
  }
  if (base.endsWith('.toml')) return { kind: 'other' };
  if (base.endsWith('.json5')) {
    // A JSON5 configuration that is a string names a package to import.
    const start = text.replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, '').trimStart();
    return start.startsWith('"') || start.startsWith("'") ? ignored('names a shared configuration package') : { kind: 'other' };
  }
  let value: unknown;
  try {
    value = base.endsWith('.json') ? (JSON.parse(text) as unknown) : (parseYaml(text, { maxAliasCount: 100 }) as unknown);
  } catch (error) {
    throw unreadable(target, found.file, error);
  }
  if (base === 'package.json' || base === 'package.yaml') value = (value as { prettier?: unknown } | null)?.prettier;
  if (typeof value === 'string') return ignored(`names a shared configuration package ("${value}")`);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw unreadable(target, found.file, new Error('a prettier configuration is an object'));
  }
  // prettier drops $schema too.
  const config: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  delete config['$schema'];
  return { kind: 'data', config: config, isDefault: sameOptions(config, PRETTIER_OPTIONS) };
}

function dropPlugins(config: Options, shown: string, warnings: Map<string, PlanWarning>): Options {
  const { plugins, ...rest } = config;
  if (Array.isArray(plugins) && plugins.length > 0 && !warnings.has(`${shown}#plugins`)) {
    warnings.set(`${shown}#plugins`, {
      code: 'W_PRETTIER_PLUGINS_IGNORED',
      message: `The prettier configuration ${shown} loads plugins (${plugins.map(String).join(', ')}); bulwark never loads code from the target, so it formatted with your other options only. Run your formatter on the files it wrote.`,
      path: shown,
    });
  }
  return rest;
}

function sameOptions(a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
}

function shownPath(target: string, file: string): string {
  const relative = path.relative(target, file);
  return relative.startsWith('..') ? file : relative.split(path.sep).join('/');
}

function unreadable(target: string, file: string, error: unknown): BulwarkError {
  const shown = shownPath(target, file);
  return new BulwarkError('E_TARGET_INVALID', `The prettier configuration ${shown} cannot be read: ${(error as Error).message.split('\n')[0] ?? ''}`, {
    path: shown,
    fix: `Fix ${shown} (prettier --check would fail on it too), or remove it to use bulwark's style.`,
  });
}

/** prettier's config search, on the disk and the plan, with a cache per directory; it never runs anything. */
class ConfigFinder {
  private readonly configs = new Map<string, Found | undefined>();
  private readonly editorconfigs = new Map<string, boolean>();

  constructor(
    private readonly target: string,
    private readonly planned: ReadonlyMap<string, string>,
  ) {}

  find(directory: string): Found | undefined {
    if (this.configs.has(directory)) return this.configs.get(directory);
    let found: Found | undefined;
    const relative = this.relativeDir(directory);
    for (const name of CONFIG_FILES) {
      const file = path.join(directory, name);
      const plannedContent = relative === undefined ? undefined : this.planned.get(relative === '' ? name : `${relative}/${name}`);
      if (plannedContent !== undefined) {
        if (name === 'package.json' && !hasPrettierKey(plannedContent)) continue;
        found = { file, planned: plannedContent };
        break;
      }
      if (!isFile(file)) continue;
      if ((name === 'package.json' || name === 'package.yaml') && !hasPrettierKey(readOrEmpty(file), name === 'package.yaml')) continue;
      found = { file };
      break;
    }
    const parent = path.dirname(directory);
    if (found === undefined && parent !== directory) found = this.find(parent);
    this.configs.set(directory, found);
    return found;
  }

  /** Whether an .editorconfig is in the directory or any above it (prettier reads them up to the project root). */
  editorconfigAbove(directory: string): boolean {
    const known = this.editorconfigs.get(directory);
    if (known !== undefined) return known;
    const parent = path.dirname(directory);
    const here = this.plannedAt(path.join(directory, '.editorconfig')) !== undefined || isFile(path.join(directory, '.editorconfig'));
    const result = here || (parent !== directory && this.editorconfigAbove(parent));
    this.editorconfigs.set(directory, result);
    return result;
  }

  /** The directory relative to the target, with "/", or undefined outside it. */
  private relativeDir(directory: string): string | undefined {
    const relative = path.relative(this.target, directory);
    if (relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
    return relative.split(path.sep).join('/');
  }

  private plannedAt(file: string): string | undefined {
    const relative = path.relative(this.target, file);
    if (relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
    return this.planned.get(relative.split(path.sep).join('/'));
  }
}

function hasPrettierKey(text: string, yaml = false): boolean {
  try {
    const value = (yaml ? parseYaml(text) : JSON.parse(text)) as { prettier?: unknown } | null;
    return Boolean(value?.prettier);
  } catch {
    return false;
  }
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function readOrEmpty(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
