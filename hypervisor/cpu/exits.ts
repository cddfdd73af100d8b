/**
 * Why run() returned. Only these reach the hypervisor; everything else
 * (traps the guest kernel handles, interrupts, TLB refills) stays inside.
 */
export const Exit = {
  /** The cycle budget is spent. */
  BUDGET: 1,
  /** hcall: pc is past it; a0..a5 hold the call. */
  HCALL: 2,
  /** wfi with nothing pending: block the VCPU until a line in IMASK is raised. */
  WFI: 3,
  /** A trap no guest handler can take (TVEC = 0, or the handler's first instruction faulted). */
  FAULT: 4,
} as const;

export type ExitCode = (typeof Exit)[keyof typeof Exit];

export const EXIT_NAMES: Readonly<Record<number, string>> = Object.fromEntries(
  Object.entries(Exit).map(([k, v]) => [v, k.toLowerCase()]),
);
