/**
 * Compiled code by page content, for the whole process. The regions of a
 * page (compile.ts) depend only on its words, the entry and the mode, so
 * every memory holding the same page (each machine of a sweep boots the same
 * kernel into the same pages) can run the same functions. A code cache
 * (codecache.ts) finds a page's record here when it first sees the page, and
 * takes its code at once instead of counting lookups and regenerating the
 * source: one LHP run spent 14% of its CPU recompiling code an earlier run
 * of the same process had compiled (bench/measure.ts lhp-jit, --cpu-prof).
 *
 * A record's arrays are shared by every cache that installed it. That is
 * sound because a cache installs a record only for a page whose words equal
 * the record's at that moment, and marks the page so that the first write to
 * it drops the record from that cache (codecache.ts invalidate).
 */
import { PAGE_WORDS } from './region.ts';
import { compileRegion, type RegionFn } from './compile.ts';

/** The regions compiled so far for one page content in one mode. */
export class PageCode {
  readonly fns: (RegionFn | undefined)[] = new Array<RegionFn | undefined>(PAGE_WORDS).fill(undefined);
  /**
   * Inside a compiled block (no entry there): the interpreter budget that
   * runs exactly to the block's end, so that compiled code takes over at
   * the next block instead of the interpreter running on (see rest in compile.ts).
   */
  readonly rest = new Int32Array(PAGE_WORDS);
  regions = 0;
  constructor(readonly words: Int32Array, readonly kernel: boolean) {}

  /** The region entered at idx, compiled now if no memory of the process had it yet. */
  region(idx: number): RegionFn {
    const have = this.fns[idx];
    if (have !== undefined) return have;
    if (++allRegions > MAX_REGIONS) forgetAll();
    const { fn, entries, rest } = compileRegion(this.words, idx, this.kernel);
    for (let i = 0; i < PAGE_WORDS; i++) {
      if (entries[i] === 1 && this.fns[i] === undefined) { this.fns[i] = fn; this.rest[i] = 0; }
      if (entries[i] === 2 && this.fns[i] === undefined && this.rest[i] === 0) this.rest[i] = rest[i]!;
    }
    this.regions++;
    return fn;
  }
}

/** A page with no code: what a cache holds for a page it has seen but not compiled. */
export const NO_CODE = new PageCode(new Int32Array(PAGE_WORDS), false);

/**
 * Records by content hash and mode; bounded: past MAX_PAGES records or
 * MAX_REGIONS regions compiled into them, all are forgotten (caches keep
 * the records they installed until their pages are written or dropped).
 */
const BY_CONTENT = new Map<number, PageCode[]>();
const MAX_PAGES = 1024;
const MAX_REGIONS = 4096;
let pages = 0;
let allRegions = 0;

function forgetAll(): void {
  BY_CONTENT.clear();
  pages = 0;
  allRegions = 0;
}

/** FNV-1a over the page's words. */
function hash(i32: Int32Array, base: number): number {
  let h = -2128831035;
  for (let i = base; i < base + PAGE_WORDS; i++) h = Math.imul(h ^ i32[i]!, 16777619);
  return h;
}

function same(a: Int32Array, i32: Int32Array, base: number): boolean {
  for (let i = 0; i < PAGE_WORDS; i++) if (a[i] !== i32[base + i]) return false;
  return true;
}

/** The record for host page hp's current words in one mode; created (empty) if `create`. */
export function pageCode(i32: Int32Array, hp: number, kernel: boolean, create: boolean): PageCode | undefined {
  const base = hp * PAGE_WORDS;
  const key = hash(i32, base) * 2 + (kernel ? 1 : 0);
  const list = BY_CONTENT.get(key);
  const found = list?.find((p) => same(p.words, i32, base));
  if (found !== undefined || !create) return found;
  if (pages >= MAX_PAGES) forgetAll();
  const p = new PageCode(i32.slice(base, base + PAGE_WORDS), kernel);
  BY_CONTENT.set(key, [...(BY_CONTENT.get(key) ?? []), p]);
  pages++;
  return p;
}
