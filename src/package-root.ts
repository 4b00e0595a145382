import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The bulwark package directory, found from this module whether it runs from
 * src/ (tsx, vitest) or from dist/src/ (the published bin).
 */
export const PACKAGE_ROOT = findRoot(path.dirname(fileURLToPath(import.meta.url)));
export const TEMPLATES_DIR = path.join(PACKAGE_ROOT, 'templates');

interface PackageJson {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

function findRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as PackageJson;
      if (pkg.name === 'bulwark') return dir;
    } catch {
      // not here; keep climbing
    }
    if (path.dirname(dir) === dir) throw new Error('bulwark: cannot find its own package.json');
  }
}

export const OWN_PACKAGE = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as PackageJson;

/**
 * The exact version bulwark itself is tested with, for a package a generated
 * repository depends on: generated package.json files pin the versions the
 * end-to-end matrix ran, never a guess.
 */
export function testedVersion(name: string): string {
  const version = OWN_PACKAGE.dependencies?.[name] ?? OWN_PACKAGE.devDependencies?.[name];
  if (version === undefined || !/^\d+\.\d+\.\d+$/.test(version)) {
    throw new Error(`bulwark: ${name} is not pinned in bulwark's own package.json`);
  }
  return version;
}
