/**
 * A simulated physical CPU: its own virtual clock (PCPUs run one after the
 * other within a round, each up to the round's end), the VCPU it runs, its
 * run queue, and busy/idle accounting.
 */
import type { Vcpu } from './vcpu.ts';

export class Pcpu {
  /** Local virtual time: may run a few cycles past the round end (the last instruction's cost). */
  time = 0;
  current: Vcpu | undefined;
  /** When the current VCPU's slice (or its extension) ends. */
  sliceEnd = 0;
  /** When the current VCPU was dispatched. */
  runStart = 0;
  /** Runnable VCPUs waiting for this PCPU; the scheduling policy owns the order. */
  readonly queue: Vcpu[] = [];
  busy = 0;
  idle = 0;
  switches = 0;

  constructor(readonly id: number) {}

  /** Runnable VCPUs here, the running one included. */
  get load(): number { return this.queue.length + (this.current ? 1 : 0); }

  /** Nothing to run until t: the clock moves there, the span counts as idle. */
  idleTo(t: number): void {
    if (this.time < t) { this.idle += t - this.time; this.time = t; }
  }
}
