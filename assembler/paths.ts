/**
 * File names as strings, for the include search path and a machine file's
 * image paths: POSIX rules (`/` separates, a leading `/` is absolute), the
 * subset of node:path those need. Pure string work, so the assembler and the
 * hypervisor run unchanged in a browser, where there is no node:path.
 */

export const isAbsolutePath = (p: string): boolean => p.startsWith('/');

/** The directory part of a path ('.' when it has none), as node:path's posix.dirname. */
export function dirnameOf(p: string): string {
  const trimmed = p.length > 1 ? p.replace(/\/+$/, '') : p;
  const i = trimmed.lastIndexOf('/');
  if (i < 0) return '.';
  if (i === 0) return '/';
  return trimmed.slice(0, i);
}

/** Joins and normalises (drops `.`, folds `x/..`), as node:path's posix.join. */
export function joinPath(...parts: string[]): string {
  const joined = parts.filter((s) => s !== '').join('/');
  if (joined === '') return '.';
  const abs = isAbsolutePath(joined);
  const out: string[] = [];
  for (const seg of joined.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else if (seg !== '..' || !abs) out.push(seg);
  }
  const body = out.join('/');
  if (abs) return `/${body}`;
  return body === '' ? '.' : body;
}

/** `p` read relative to `dir` (an absolute `p` stays as it is). */
export const resolveFrom = (dir: string, p: string): string => (isAbsolutePath(p) ? joinPath(p) : joinPath(dir, p));
