/**
 * Compiled code of one host memory, shared by every VCPU of every VM on it
 * (runCompiled in engine.ts asks it for code). Keyed by (host page, mode):
 * the code is position-independent within its page, so virtual aliases and
 * VMs mapping the same page (grants) share it. A page is compiled once it is
 * hot (looked up HOT times without code), one region per uncovered entry;
 * a page whose words some memory of the process has compiled before takes
 * that code when first looked up (pagecode.ts).
 *
 * Invalidation (v86's scheme): while a page has code, every write-TLB entry
 * that maps it carries TLB_CODE_MARK, set here on every VCPU's TLB when the
 * page first gets code and by the MMU on later fills; a store to the page
 * misses the fast path and the MMU calls invalidate. A page invalidated
 * CHURN times (code and hot data sharing a page) is never compiled again.
 * At most MAX_LIVE regions live at once; past that everything is dropped.
 * A shared record (pagecode.ts) may gain regions that another memory
 * compiles; this cache counts them when it next compiles into that record,
 * so `live` is what it counted, never more than it installed.
 */
import { PAGE_SIZE } from '../../isa/memory.ts';
import { ACCESS_WRITE, TLB_CODE_MARK, TLB_TABLE_INTS, tlbTable } from './tlb.ts';
import type { CodeOwner, HostMemory } from './memory.ts';
import type { RegionFn } from './compile.ts';
import { NO_CODE, pageCode, type PageCode } from './pagecode.ts';

/**
 * Lookups of a page without code before it is compiled. No source gives it;
 * swept over 4, 32 and 256 on one LHP run at 1 us rounds (bench/measure.ts
 * lhp-jit, 3 fresh processes each): 32 ran fastest, 4 compiled cold kernel
 * code that never paid back, 256 left hot code interpreted too long. Swept
 * again on the same run at 50 us rounds (above SHORT in engine.ts; runs 2-5
 * pooled, medians of 3 processes) against a cold sieve (bench/measure.ts
 * cold-jit): 32 gave 0.58x the interpreter on the kernel and 99 MIPS cold;
 * 1,024 0.82x; 8,192 1.1x but 37 MIPS cold (the interpreter's own cold run
 * is 52); 32,768 0.94x and 41. Lukewarm kernel code compiled early costs
 * more than it returns (V8 tiers each new function up from its bytecode
 * interpreter), a hot loop compiled late costs its cold run; no one value
 * serves both, and 32 is kept for the hot loops.
 */
export const HOT = 32;
const CHURN = 16;
export const MAX_LIVE = 1024;

export class CodeCache implements CodeOwner {
  /**
   * By host page * 2 + (kernel ? 1 : 0): the page's code (NO_CODE while it
   * has none), undefined until first looked up. An array, as the lookup is
   * on every entry.
   */
  private pages: (PageCode | undefined)[];
  /** Lookups without code, by the same key. */
  private readonly heat: Uint16Array;
  private readonly churn: Uint8Array;
  /** Regions of each key's record counted into live, by the same key. */
  private readonly counted: Uint16Array;
  /** Regions alive now, and installed in all (compiled here or taken from pagecode.ts; statistics, tests). */
  live = 0;
  compiled = 0;
  /** Looked-up count before a page compiles; tests set 1 to compile everything at once. */
  hot = HOT;
  /** Set by lookup when it finds no code: the rest of the compiled block there, else 0. */
  rest = 0;

  constructor(readonly host: HostMemory) {
    this.churn = new Uint8Array(host.size / PAGE_SIZE);
    this.pages = new Array<PageCode | undefined>(2 * this.churn.length).fill(undefined);
    this.heat = new Uint16Array(2 * this.churn.length);
    this.counted = new Uint16Array(2 * this.churn.length);
    host.codeOwner = this;
  }

  /** The code to enter at instruction idx of host page hp, compiling it if the page is hot. */
  lookup(hp: number, kernel: boolean, idx: number): RegionFn | undefined {
    const key = hp * 2 + (kernel ? 1 : 0);
    const p = this.pages[key] ?? this.open(hp, kernel, key);
    const fn = p.fns[idx];
    this.rest = p.rest[idx]!;
    if (fn !== undefined || this.rest !== 0 || ++this.heat[key]! < this.hot || this.churn[hp]! >= CHURN) return fn;
    this.heat[key] = 0;
    return this.compile(hp, kernel, idx, key);
  }

  /** A page seen for the first time (or since a write): the code the process has for its words, if any. */
  private open(hp: number, kernel: boolean, key: number): PageCode {
    const p = this.churn[hp]! >= CHURN ? undefined : pageCode(this.host.i32, hp, kernel, false);
    if (p === undefined || p.regions === 0) return (this.pages[key] = NO_CODE);
    this.install(p, hp, key);
    return p;
  }

  private compile(hp: number, kernel: boolean, idx: number, key: number): RegionFn {
    if (this.live >= MAX_LIVE) this.dropAll();
    // A record already held matches the page's words (a write would have dropped it): no need to hash the page again.
    const held = this.pages[key];
    const p = held !== undefined && held !== NO_CODE ? held : pageCode(this.host.i32, hp, kernel, true)!;
    if (held !== p) this.install(p, hp, key);
    const fn = p.region(idx);
    this.recount(key, p);
    return fn;
  }

  private install(p: PageCode, hp: number, key: number): void {
    if (this.live >= MAX_LIVE) this.dropAll();
    this.pages[key] = p;
    this.recount(key, p);
    if (this.host.codePages[hp] === 0) {
      this.host.codePages[hp] = 1;
      markWriters(this.host, hp);
    }
  }

  /** Count the regions p has gained since this cache last counted it. */
  private recount(key: number, p: PageCode): void {
    const gained = p.regions - this.counted[key]!;
    this.live += gained;
    this.compiled += gained;
    this.counted[key] = p.regions;
  }

  /** A page with code is about to be written (memory.ts, from the MMU or a host write). */
  invalidate(hp: number): void {
    this.host.codePages[hp] = 0;
    if (this.churn[hp]! < 255) this.churn[hp]++;
    for (const key of [hp * 2, hp * 2 + 1]) {
      const p = this.pages[key];
      if (p) { this.live -= this.counted[key]!; this.counted[key] = 0; this.pages[key] = undefined; this.heat[key] = 0; }
    }
  }

  /** Forget all code (the bound on live regions). Stale marks clear themselves on the next store. */
  dropAll(): void {
    this.pages.fill(undefined);
    this.host.codePages.fill(0);
    this.counted.fill(0);
    this.live = 0;
  }
}

/** Mark every write-TLB entry, in every VCPU's TLB, that maps host page hp. */
function markWriters(host: HostMemory, hp: number): void {
  const addr = hp * PAGE_SIZE;
  for (const tlb of host.tlbs) {
    for (const base of [tlbTable(false, ACCESS_WRITE), tlbTable(true, ACCESS_WRITE)]) {
      for (let i = base; i < base + TLB_TABLE_INTS; i += 2) {
        if (tlb[i + 1] === addr && tlb[i] !== -1) tlb[i] = tlb[i] | TLB_CODE_MARK;
      }
    }
  }
}

/** The code cache of a host memory, created on first use. */
export function codeCache(host: HostMemory): CodeCache {
  return (host.codeOwner as CodeCache | undefined) ?? new CodeCache(host);
}
