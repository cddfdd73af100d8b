/**
 * Preemption strategies: what the hypervisor does when a VCPU's slice ends
 * while something else waits for its PCPU (chosen by name in the
 * configuration). These are the paper's lock-holder-preemption remedies:
 *
 * - none: preempt at slice end, whatever the guest is doing.
 * - intrusive (L4Ka's delayed preemption): if the VCPU's lock-hold count in
 *   its shared info page is nonzero, extend the slice once, by at most
 *   DELAY, and set PREEMPT_PENDING; the guest yields when its count drops to
 *   zero. The allowance refills only on that voluntary yield: a guest that
 *   never yields is preempted when the bound expires and gets no extension
 *   until it yields.
 * - nonintrusive (safe points): never reads guest memory. At slice end in
 *   guest kernel mode, preemption waits until the VCPU is back in user mode
 *   (a commodity kernel holds no spinlock there) or blocks, checked every
 *   CHECK cycles, bounded by WINDOW.
 * - ple, xen-ple (pause-loop exits with KVM's directed yield and adaptive
 *   window, or Xen's plain yield): ple.ts. Slice ends preempt as with none.
 */
import { CYCLES_PER_US } from '../../isa/clock.ts';
import { INFO } from '../../isa/infopage.ts';
import type { Vcpu } from '../vcpu.ts';
import { KvmPle, XenPle } from './ple.ts';
import type { PreemptionStrategy, SliceDecision } from './policy.ts';
import { MACHINE_FIELDS, type MachineConfig, type PreemptionName } from '../config/index.ts';

const PREEMPT: SliceDecision = { preempt: true };
/** Longest extension of the intrusive strategy (L4Ka's Afterburner: 2 ms against a 10 ms slice); the field `delayBound`. */
export const DELAY = MACHINE_FIELDS.delayBound.default;
/** Longest deferral of the non-intrusive strategy; the field `safePointWindow`. */
export const WINDOW = MACHINE_FIELDS.safePointWindow.default;
/** How often the non-intrusive strategy looks whether the VCPU left kernel mode. */
export const CHECK = CYCLES_PER_US;

export const noDelay: PreemptionStrategy = {
  name: 'none',
  sliceEnd: () => PREEMPT,
  released: () => {},
  counters: () => ({}),
};

function infoWord(v: Vcpu, field: keyof typeof INFO): number {
  return v.info < 0 ? 0 : v.vm.mem.readWord(v.info + INFO[field]!);
}

function setPending(v: Vcpu, on: boolean): void {
  if (v.info >= 0) v.vm.mem.writeWord(v.info + INFO.PREEMPT_PENDING, on ? 1 : 0);
}

export class IntrusivePreemption implements PreemptionStrategy {
  readonly name = 'intrusive';
  /** VCPUs running on an extension now, with the time their slice ended. */
  private readonly extended = new Map<Vcpu, number>();
  /** VCPUs that used their extension and have not yielded since. */
  private readonly exhausted = new Set<Vcpu>();
  extensions = 0;
  expired = 0;
  /** Cycles the extensions added: from each slice end to the yield, block or expiry that ended it. */
  delayCycles = 0;

  constructor(private readonly delay = DELAY) {}

  sliceEnd(v: Vcpu, now: number): SliceDecision {
    const since = this.extended.get(v);
    if (since !== undefined) {
      // The bound expired before the guest yielded: preempt, and no more extensions until it does.
      this.extended.delete(v);
      this.delayCycles += now - since;
      this.exhausted.add(v);
      this.expired++;
      setPending(v, false);
      return PREEMPT;
    }
    if (this.exhausted.has(v) || infoWord(v, 'LOCK_COUNT') <= 0) return PREEMPT;
    this.extended.set(v, now);
    this.extensions++;
    setPending(v, true);
    return { preempt: false, until: now + this.delay };
  }

  counters(): Readonly<Record<string, number>> {
    return { delayed: this.extensions, expired: this.expired, delayCycles: this.delayCycles };
  }

  released(v: Vcpu, how: 'yield' | 'block', now: number): void {
    const since = this.extended.get(v);
    if (since !== undefined) this.delayCycles += Math.max(0, now - since);
    this.extended.delete(v);
    setPending(v, false);
    if (how === 'yield') this.exhausted.delete(v);
  }
}

export class NonIntrusivePreemption implements PreemptionStrategy {
  readonly name = 'nonintrusive';
  private readonly since = new Map<Vcpu, number>();
  deferrals = 0;
  expired = 0;
  /** Cycles the deferrals added: from each slice end to the preemption, yield or block that ended it. */
  delayCycles = 0;

  constructor(private readonly window = WINDOW, private readonly check = CHECK) {}

  sliceEnd(v: Vcpu, now: number): SliceDecision {
    const start = this.since.get(v);
    if (!v.cpu.kernelMode) { this.end(v, now); return PREEMPT; }
    if (start === undefined) {
      this.since.set(v, now);
      this.deferrals++;
      return { preempt: false, until: now + Math.min(this.check, this.window) };
    }
    if (now - start >= this.window) { this.end(v, now); this.expired++; return PREEMPT; }
    return { preempt: false, until: Math.min(now + this.check, start + this.window) };
  }

  released(v: Vcpu, _how: 'yield' | 'block', now: number): void {
    this.end(v, now);
  }

  counters(): Readonly<Record<string, number>> {
    return { delayed: this.deferrals, expired: this.expired, delayCycles: this.delayCycles };
  }

  private end(v: Vcpu, now: number): void {
    const start = this.since.get(v);
    if (start !== undefined) this.delayCycles += Math.max(0, now - start);
    this.since.delete(v);
  }
}

/** Slice-end strategies by configuration name (the names are declared with the configuration fields). */
export const PREEMPTION_STRATEGIES: Readonly<Record<PreemptionName, (c?: Pick<MachineConfig, 'delayBound' | 'safePointWindow'>) => PreemptionStrategy>> = {
  none: () => noDelay,
  intrusive: (c) => new IntrusivePreemption(c?.delayBound ?? DELAY),
  nonintrusive: (c) => new NonIntrusivePreemption(c?.safePointWindow ?? WINDOW),
  ple: () => new KvmPle(),
  'xen-ple': () => new XenPle(),
};
