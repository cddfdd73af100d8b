/** Virtual time: CLOCK (shown verbatim in docs/isa.md), then the constants. */
export const CLOCK = 'Every instruction costs the cycles in the instruction table; global virtual time is counted in '
  + 'these cycles at a nominal frequency, so configurations and experiments speak in ms and us of virtual time. '
  + '100 MHz keeps a 10 ms time slice (1,000,000 cycles) far longer than a kernel critical section (hundreds of '
  + 'cycles = a few us), as on real hardware.';

export const CLOCK_HZ = 100_000_000;
export const CYCLES_PER_US = CLOCK_HZ / 1_000_000;
export const CYCLES_PER_MS = CLOCK_HZ / 1_000;

/** Extra cycles charged when a trap or interrupt is taken (pipeline flush, vector fetch). */
export const TRAP_ENTRY_COST = 10;
/** Extra cycles charged for a software-TLB miss that walks the page table. */
export const TLB_MISS_COST = 20;
