/**
 * A machine that runs for a slice of host time, then yields: what a page
 * needs (a Web Worker that must answer "pause" between slices) and what a
 * command line needs to stay responsive. Hypervisor.run(budget) pauses only
 * where pausing changes nothing, so a run in host-time slices is the same
 * run as one call; the budget of each call adapts so that one call takes
 * about CALL_MS, whatever the machine's speed (a stepped run executes about
 * 1 MIPS, a free one a hundred times more). Between two slices the stepper
 * (MachineOptions.stepper) can be set or cleared, which keeps the schedule:
 * the playground single-steps only while breakpoints are set or a step is
 * under way, and runs free otherwise.
 */
import { run as interpret, type ExitCode } from './cpu/index.ts';
import type { Hypervisor } from './machine.ts';
import type { MachineOptions } from './options.ts';
import type { StopReason } from './view.ts';

/** Host time one run() call aims at: short enough that a slice ends close to its deadline. */
const CALL_MS = 2;
const MIN_BUDGET = 256;
const MAX_BUDGET = 1 << 24;

export class ResumableRun {
  /** Instructions per run() call, adapted to the machine's speed. */
  private budget = 1 << 14;
  /** Host milliseconds spent inside run() (for MIPS). */
  hostMs = 0;

  constructor(readonly hv: Hypervisor) {}

  /** Runs until the machine stops or pauses by itself (pauseSoon), or until `ms` of host time have passed ('paused'). */
  slice(ms: number): StopReason {
    const deadline = performance.now() + ms;
    for (;;) {
      const t0 = performance.now();
      const r = this.hv.run(this.budget);
      const t1 = performance.now();
      this.hostMs += t1 - t0;
      if (r !== 'paused') return r;
      if (this.stopAsked) { this.stopAsked = false; return 'paused'; }
      this.adapt(t1 - t0);
      if (t1 >= deadline) return 'paused';
    }
  }

  private stopAsked = false;

  /** Ends the current slice at the machine's next pause point (a stepper at a breakpoint calls this). */
  pauseSoon(): void {
    this.stopAsked = true;
    this.hv.pauseAt = this.hv.instructions;
  }

  /** Sets or clears the stepper between two slices; a machine built with itrace keeps its own. */
  setStepper(stepper: MachineOptions['stepper']): void {
    if (this.hv.opts.itrace) return;
    this.hv.stepOne = stepper ? (v) => stepper(v, (): ExitCode => interpret(v.cpu, 1)) : undefined;
  }

  private adapt(callMs: number): void {
    if (callMs < CALL_MS / 2) this.budget = Math.min(MAX_BUDGET, this.budget * 2);
    else if (callMs > CALL_MS * 2) this.budget = Math.max(MIN_BUDGET, this.budget >> 1);
  }
}
