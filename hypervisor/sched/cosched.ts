/**
 * Co-scheduling: policies that decide when the VCPUs of an SMP VM may run
 * relative to each other. Both keep proportional share (stride.ts) for
 * everything else: they wrap a StridePolicy whose view of eligibility also
 * asks whether a VCPU may run now, so queues, placement, stealing and
 * directed yields stay stride's. A VCPU that may no longer run is taken off
 * its PCPU at the next round (hasWaiting reports its PCPU as wanted, and the
 * slice-end strategy decides, as for any slice end).
 *
 * - gang (strict co-scheduling, VMware ESX 2.x; "The CPU Scheduler in VMware
 *   vSphere 5.1", section "Strict Co-Scheduling"): time is cut into slots of
 *   one slice; each slot belongs to one SMP VM (the one whose runnable VCPUs
 *   are furthest behind in virtual runtime) or to the uniprocessor VMs. An
 *   SMP VM's VCPUs run only in its slot, so they start and stop together;
 *   uniprocessor VMs fill PCPUs the slot's VM leaves free (never another SMP
 *   VM's VCPU: that would run it without its siblings).
 * - relaxed-cosched (relaxed co-scheduling, ESX 3 to 5 and later; same paper,
 *   "Relaxed Co-Scheduling"): each VCPU's progress is tracked; a VCPU makes
 *   progress while it runs or idles (blocked), not while it waits for a
 *   PCPU or is co-stopped. Its skew is its progress minus that of its
 *   slowest sibling. A VCPU whose skew exceeds the threshold is co-stopped
 *   (only the leaders, not the whole VM: ESX 4's refinement) and co-started
 *   once the laggards have caught up to within the threshold.
 */
import { CYCLES_PER_MS } from '../../isa/clock.ts';
import type { Pcpu } from '../pcpu.ts';
import { VS, type Vcpu } from '../vcpu.ts';
import type { Vm } from '../vm.ts';
import type { EnqueueReason, SchedContext, SchedulerPolicy } from './policy.ts';
import { StridePolicy } from './stride.ts';

/**
 * Skew bound of relaxed co-scheduling. VMware's paper says only that the
 * leading VCPU is co-stopped when the skew exceeds "a threshold"; it gives no
 * value. paravm takes 3 ms (between the guest kernel's 4 ms timer tick and a
 * 1 ms wake-up granularity); it is a parameter to sweep, not a fact.
 */
export const SKEW_THRESHOLD = 3 * CYCLES_PER_MS;

/** Stride with a second condition on eligibility (may v run now?), and the co-stop bookkeeping shared by both policies. */
abstract class CoschedPolicy implements SchedulerPolicy {
  abstract readonly name: string;
  protected readonly inner: StridePolicy;

  constructor(protected readonly ctx: SchedContext) {
    this.inner = new StridePolicy({ config: ctx.config, pcpus: ctx.pcpus, eligible: (v) => ctx.eligible(v) && this.allowed(v) });
  }

  /** May v run now? */
  protected abstract allowed(v: Vcpu): boolean;
  /** Per round: update who may run. */
  protected abstract update(now: number): void;

  enqueue(v: Vcpu, why: EnqueueReason, now: number): void { this.inner.enqueue(v, why, now); }
  remove(v: Vcpu): void { this.inner.remove(v); }
  pick(p: Pcpu, now: number, avoid?: Vcpu): Vcpu | undefined { return this.inner.pick(p, now, avoid); }
  charge(v: Vcpu, cycles: number): void { this.inner.charge(v, cycles); }
  /** Something waits, or the running VCPU may not run any more (its PCPU is wanted, if only to idle). */
  hasWaiting(p: Pcpu): boolean { return (p.current !== undefined && !this.allowed(p.current)) || this.inner.hasWaiting(p); }
  wakePreempts(v: Vcpu, p: Pcpu): boolean { return this.allowed(v) && this.inner.wakePreempts(v, p); }
  boost(target: Vcpu, p: Pcpu, from: Vcpu): number { return this.allowed(target) ? this.inner.boost(target, p, from) : -1; }

  balance(now: number): void {
    this.update(now);
    // A running VCPU that may not run any more leaves its PCPU now (at the next round).
    for (const p of this.ctx.pcpus) if (p.current && !this.allowed(p.current)) p.sliceEnd = Math.min(p.sliceEnd, Math.max(now, p.time));
    this.inner.balance(now);
  }
}

const isSmp = (vm: Vm): boolean => vm.vcpus.length > 1;
const live = (v: Vcpu): boolean => v.state !== VS.OFFLINE && v.state !== VS.STOPPED;

export class GangPolicy extends CoschedPolicy {
  readonly name = 'gang';
  /** The SMP VM owning the current slot, or undefined: a slot for the uniprocessor VMs. */
  gang: Vm | undefined;
  private slotEnd = 0;
  /** Slots given to SMP VMs, and to uniprocessor VMs. */
  gangSlots = 0;
  upSlots = 0;

  protected allowed(v: Vcpu): boolean { return isSmp(v.vm) ? v.vm === this.gang : true; }

  protected update(now: number): void {
    if (now < this.slotEnd) return;
    this.slotEnd = now + this.ctx.config.slice;
    this.gang = this.nextGang();
    if (this.gang) this.gangSlots++; else this.upSlots++;
    // A slot boundary: every PCPU reconsiders what it runs (the slot's VM starts everywhere at once).
    for (const p of this.ctx.pcpus) if (p.current) p.sliceEnd = Math.min(p.sliceEnd, Math.max(now, p.time));
  }

  /** The VM whose runnable or running VCPUs are furthest behind: an SMP VM gets the slot, a uniprocessor one gives it to all of them. */
  private nextGang(): Vm | undefined {
    let best: Vcpu | undefined;
    for (const p of this.ctx.pcpus) {
      for (const v of p.current ? [p.current, ...p.queue] : p.queue) {
        if (!this.ctx.eligible(v)) continue;
        if (!best || v.vruntime < best.vruntime) best = v;
      }
    }
    return best && isSmp(best.vm) ? best.vm : undefined;
  }
}

export class RelaxedCoschedPolicy extends CoschedPolicy {
  readonly name = 'relaxed-cosched';
  private readonly stopped = new Set<Vcpu>();
  /** Co-stops so far, and the largest skew seen at a round (cycles). */
  costops = 0;
  maxSkew = 0;

  constructor(ctx: SchedContext, readonly threshold = SKEW_THRESHOLD) { super(ctx); }

  protected allowed(v: Vcpu): boolean { return !this.stopped.has(v); }

  /** Is v co-stopped now? */
  costopped(v: Vcpu): boolean { return this.stopped.has(v); }

  /** Progress: time running or idle (blocked), i.e. time since start minus time waiting for a PCPU or co-stopped. */
  static progress(v: Vcpu, now: number): number { return v.timeIn(VS.RUNNING, now) + v.timeIn(VS.BLOCKED, now); }

  protected update(now: number): void {
    for (const vm of this.vms()) {
      const vcpus = vm.vcpus.filter(live);
      if (vcpus.length < 2) { for (const v of vm.vcpus) this.stopped.delete(v); continue; }
      let slowest = Infinity;
      for (const v of vcpus) slowest = Math.min(slowest, RelaxedCoschedPolicy.progress(v, now));
      for (const v of vcpus) {
        const skew = RelaxedCoschedPolicy.progress(v, now) - slowest;
        if (skew > this.maxSkew) this.maxSkew = skew;
        if (skew > this.threshold && !this.stopped.has(v)) { this.stopped.add(v); this.costops++; }
        else if (skew <= this.threshold) this.stopped.delete(v); // co-start: the laggards caught up
      }
    }
  }

  private vms(): Set<Vm> {
    const s = new Set<Vm>();
    for (const p of this.ctx.pcpus) {
      if (p.current && isSmp(p.current.vm)) s.add(p.current.vm);
      for (const v of p.queue) if (isSmp(v.vm)) s.add(v.vm);
    }
    for (const v of this.stopped) s.add(v.vm);
    return s;
  }
}
