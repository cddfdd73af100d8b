/**
 * Where paravm's own files are (guest-kernel/, programs/, bench/guest/): the
 * directory of paravm's package.json, found by walking up from this module.
 * The walk finds it from the sources, from the dist/ bundle and from an
 * installed package alike, so no caller counts `..` levels.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'paravm') return dir;
    if (dirname(dir) === dir) throw new Error(`paravm: no paravm package.json above ${from}`);
  }
}

/** The paravm package root. */
export const ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));

/** A path inside the package, e.g. `rootPath('programs', 'hello.s')`. */
export const rootPath = (...parts: string[]): string => join(ROOT, ...parts);
