/**
 * The two plug-in points of the hypervisor's scheduler. The run loop
 * (machine.ts) never decides anything itself: it asks a SchedulerPolicy
 * where a runnable VCPU waits and what a PCPU runs next, and it asks a
 * PreemptionStrategy what to do when a slice ends. Proportional share lives
 * behind the first; the lock-holder-preemption remedies (delayed preemption,
 * safe-point detection, pause-loop exits with directed yield) behind the
 * second; co-scheduling is a SchedulerPolicy that picks for all PCPUs.
 */
import type { MachineConfig } from '../config/index.ts';
import type { Pcpu } from '../pcpu.ts';
import type { Vcpu } from '../vcpu.ts';

export type EnqueueReason = 'start' | 'wake' | 'preempt' | 'yield';

/** What a policy may see of the machine. */
export interface SchedContext {
  readonly config: MachineConfig;
  readonly pcpus: readonly Pcpu[];
  /** False while v's VM has used up its cap for the current period. */
  eligible(v: Vcpu): boolean;
}

export interface SchedulerPolicy {
  readonly name: string;
  /** v became runnable: put it on a PCPU's queue and set v.pcpu. */
  enqueue(v: Vcpu, why: EnqueueReason, now: number): void;
  /** Take v off its queue (its VM stopped, or it is moved). */
  remove(v: Vcpu): void;
  /**
   * The next VCPU for p, taken off its queue, or undefined to idle. `avoid`
   * (a VCPU that just yielded) is chosen only when nothing else can run.
   * May take a VCPU from another PCPU's queue (the caller counts the migration).
   */
  pick(p: Pcpu, now: number, avoid?: Vcpu): Vcpu | undefined;
  /** v ran `cycles` on its PCPU. */
  charge(v: Vcpu, cycles: number): void;
  /** Does anything eligible wait for p (so that ending the current slice is worth it)? */
  hasWaiting(p: Pcpu): boolean;
  /** Should the just-woken v take p's PCPU from its current VCPU now? */
  wakePreempts(v: Vcpu, p: Pcpu): boolean;
  /**
   * Directed yield from `from` (running on p) to `target` (runnable, same VM):
   * make target run next, on p if it may move there, else on its own PCPU.
   * Returns that PCPU's index, or -1 if the policy refuses.
   */
  boost(target: Vcpu, p: Pcpu, from: Vcpu): number;
  /** Called once per round: balance queues between PCPUs (cheap when nothing to do). */
  balance(now: number): void;
}

/** Ask again at this time (a bounded extension), or preempt now. */
export type SliceDecision = { preempt: true } | { preempt: false; until: number };

export interface PreemptionStrategy {
  readonly name: string;
  /** The slice of v (running on p) has ended at `now`, and something else waits. */
  sliceEnd(v: Vcpu, now: number, slice: number): SliceDecision;
  /** v gave its PCPU up voluntarily at `now`: HC_YIELD, or blocking (wfi, HC_BLOCK, IPC). */
  released(v: Vcpu, how: 'yield' | 'block', now: number): void;
  /**
   * Optional: called after every run() of v with the cycles it ran and the
   * `pause` instructions it executed in them. Return a VCPU to yield v's PCPU
   * to (directed yield), null for a plain yield, undefined to go on.
   */
  afterRun?(v: Vcpu, ran: number, pauses: number): Vcpu | null | undefined;
  /**
   * Optional: after afterRun's directed yield boosts a target onto another
   * PCPU, the spinner gives its own PCPU up too (KVM's yield_to() ends in
   * schedule()); otherwise it keeps it.
   */
  readonly boostThenYield?: boolean;
  /** What the strategy did so far, by name (for --stats and the experiments); {} if nothing to count. */
  counters(): Readonly<Record<string, number>>;
}
