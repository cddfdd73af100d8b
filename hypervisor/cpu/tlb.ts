/**
 * The software TLB: direct-mapped, 256 entries, one table per (mode, access)
 * so that the interpreter's fast path is a single tag compare with no
 * permission test: an entry is present in a table only if that mode may make
 * that access. Entry i is two ints: [2i] = virtual page base address (or -1),
 * [2i+1] = physical page address. Kernel-segment pages are cached too
 * (direct-mapped, bounds-checked when filled).
 */
export const TLB_ENTRIES = 256;
export const TLB_TABLE_INTS = TLB_ENTRIES * 2;
export const ACCESS_READ = 0;
export const ACCESS_WRITE = 1;
export const ACCESS_EXEC = 2;
export type Access = 0 | 1 | 2;
export const TLB_INTS = 2 * 3 * TLB_TABLE_INTS;
/**
 * Set in the tag of a write entry whose page holds compiled code: no masked
 * address ever has bit 11 set, so the fast path misses and the slow path
 * (mmu.ts) sees an architectural hit, drops the code and clears the mark.
 * Host-side state only: it never changes cycles, and tests compare TLBs
 * without it (tlbArchitectural).
 */
export const TLB_CODE_MARK = 0x800;

/** Offset of the table for a mode (kernel?) and access kind. */
export function tlbTable(kernel: boolean, access: Access): number {
  return ((kernel ? 3 : 0) + access) * TLB_TABLE_INTS;
}

/** Index of the entry for a virtual address within a table (already doubled). */
export function tlbSlot(va: number): number {
  return (va >>> 11) & (TLB_TABLE_INTS - 2);
}

export function tlbFlushAll(tlb: Int32Array): void {
  tlb.fill(-1);
}

/** Drop every entry that maps the page of `va`, in all six tables (marked or not). */
export function tlbFlushPage(tlb: Int32Array, va: number): void {
  const tag = va & -4096;
  const slot = tlbSlot(va);
  for (let t = 0; t < TLB_INTS; t += TLB_TABLE_INTS) {
    if ((tlb[t + slot] & -4096) === tag) tlb[t + slot] = -1;
  }
}

/** The TLB as the architecture sees it: a copy with code marks cleared. */
export function tlbArchitectural(tlb: Int32Array): Int32Array {
  const out = tlb.slice();
  for (let i = 0; i < out.length; i += 2) if (out[i] !== -1) out[i] = out[i] & ~TLB_CODE_MARK;
  return out;
}
