/**
 * The virtual memory map (MIPS-like split) and the page-table format,
 * declared once: MEMORY_MAP and PAGE_TABLE_FORMAT below (docs/isa.md shows
 * them verbatim), then the constants.
 */
export const MEMORY_MAP = `
  0xFFFF_FFFF +---------------------------+
              | kernel segment            |  kernel mode only; direct-mapped:
  0xC040_0000 |   pa = va - 0x8000_0000   |  no page table, never faults except
              | grant window (4 MiB)      |  BUS_ERROR beyond the VM's memory;
  0xC000_0000 |   (pa 0x4000_0000 + ...)  |  pages other VMs granted are mapped
              |                           |  here with GRANT_MAP (else BUS_ERROR)
  0x8000_0000 +---------------------------+
              | user segment              |  translated through the page table
              |   (4 KiB pages)           |  at PTBR, in both modes; user mode
  0x0000_0000 +---------------------------+  needs PTE.U
`.slice(1);

export const PAGE_TABLE_FORMAT = 'Two levels, like Sv32. PTBR holds the physical address of a 4 KiB root table of 1024 word '
  + 'entries indexed by va[31:22] (only the lower 512 are reachable); each valid root entry points to a leaf table '
  + 'indexed by va[21:12]. A PTE is `physical page address | flags`; a root entry must have V set and R, W, X clear. '
  + 'A leaf PTE needs V and the right for the access (R load, W store or atomic, X fetch), and U for an access from '
  + 'user mode. The kernel may access user pages (no SMAP). The TLB is not coherent with the page table: after '
  + 'changing a PTE, `tlbflush` its page (writing PTBR flushes everything).';

export const PAGE_SIZE = 4096;
export const PAGE_SHIFT = 12;
export const KERNEL_BASE = 0x8000_0000;
/** Default load address of code assembled without `.org`. */
export const DEFAULT_TEXT_BASE = 0x8000_0000;
/**
 * Guest-physical range where pages granted by other VMs appear (GRANT_MAP).
 * It lies above any VM's RAM (MAX_VM_MEMORY), so RAM and grants never overlap.
 */
export const GRANT_WINDOW_PA = 0x4000_0000;
export const GRANT_WINDOW = (KERNEL_BASE + GRANT_WINDOW_PA) >>> 0;
export const GRANT_WINDOW_PAGES = 1024;
/** Largest guest-physical memory of one VM. */
export const MAX_VM_MEMORY = GRANT_WINDOW_PA;
/** Default physical memory of a bare-metal VM. */
export const DEFAULT_MEMORY_BYTES = 1 << 20;

export const PTE = {
  V: 1 << 0,
  R: 1 << 1,
  W: 1 << 2,
  X: 1 << 3,
  U: 1 << 4,
} as const;

export const PTE_BIT_SUMMARY: Readonly<Record<keyof typeof PTE, string>> = {
  V: 'valid',
  R: 'readable (loads)',
  W: 'writable (stores and atomics)',
  X: 'executable (fetches)',
  U: 'accessible from user mode',
};

export const PTE_ADDR_MASK = ~0xfff;
