/**
 * The import graph of paravm's product code (every .ts file outside test/
 * and node_modules), read from the sources: static imports and re-exports,
 * type-only ones included (a type import still couples two files), and
 * dynamic import() of a literal path. Used by the layout test.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { ROOT } from '../../guest-kernel/loader/root.ts';

/** Top-level folders in layer order: a file may import only from its own layer or a lower one. */
export const LAYERS = ['isa', 'assembler', 'hypervisor', 'guest-kernel', 'bench', 'bin'] as const;

const SKIP = new Set(['node_modules', 'test', 'dist', '.git', 'docs']);
const SPEC = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)|^\s*import\s*['"](\.[^'"]+)['"]/gm;

/** Repository-relative paths of every product .ts file. */
export function productFiles(dir = ROOT): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(e.name) || e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...productFiles(p));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') && dir !== ROOT) out.push(relative(ROOT, p));
  }
  return out.sort();
}

/** The relative imports of one file, resolved to repository-relative paths. */
export function importsOf(file: string): string[] {
  const src = readFileSync(join(ROOT, file), 'utf8');
  const out = new Set<string>();
  for (const m of src.matchAll(SPEC)) {
    const spec = m[1] ?? m[2] ?? m[3];
    if (spec && /\.(ts|js|mjs)$/.test(spec)) out.add(normalize(join(dirname(file), spec)));
  }
  return [...out];
}

export type Graph = Map<string, string[]>;

export function importGraph(): Graph {
  return new Map(productFiles().map((f) => [f, importsOf(f)]));
}

export const layerOf = (file: string): number => LAYERS.indexOf(file.split('/')[0] as (typeof LAYERS)[number]);

/** Strongly connected components of more than one file (Tarjan), each sorted. */
export function cycles(g: Graph): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    on.add(v);
    for (const w of g.get(v) ?? []) {
      if (!g.has(w)) continue;
      if (!index.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
      else if (on.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const scc: string[] = [];
    let w: string;
    do { w = stack.pop()!; on.delete(w); scc.push(w); } while (w !== v);
    if (scc.length > 1) out.push(scc.sort());
  };
  for (const v of g.keys()) if (!index.has(v)) visit(v);
  return out;
}
