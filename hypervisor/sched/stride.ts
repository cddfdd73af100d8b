/**
 * Proportional share, stride style, with per-PCPU run queues (the default
 * policy, 'stride'). Each VCPU advances a virtual runtime by the cycles it
 * runs divided by its share (its VM's weight split evenly over the VM's
 * VCPUs); a PCPU runs the waiting VCPU with the smallest virtual runtime.
 * Virtual runtimes are global (comparable across PCPUs), which lets the
 * balancer see which VCPU is behind. Fairness is exact within a PCPU; across
 * PCPUs it is approximate: VCPUs move only toward less crowded PCPUs, so two
 * equally long queues with different weight mixes keep their local split
 * (Xen's credit scheduler has the same limit).
 *
 * - Waking: a sleeper's credit is bounded by half a slice below the floor
 *   of the queue it joins (the smallest virtual runtime running or waiting
 *   there; the machine's, if that queue is empty), so
 *   blocking cannot hoard share; a woken VCPU a wakeup granularity behind
 *   the running one preempts it (like Xen's BOOST), which keeps IPI and
 *   timer latency low.
 * - Placement: pinned VCPUs go to their PCPU; a waking or starting VCPU to
 *   the least loaded PCPU, its last one on a tie; an idle PCPU takes the most
 *   starved waiting VCPU from another queue.
 * - balance(), once per slice: even out queue lengths that differ by two or
 *   more; and rotate: when a VCPU waiting on a crowded PCPU is a slice or
 *   more behind the VCPU running alone on a less crowded one, it moves
 *   there (3 VCPUs on 2 PCPUs thus each get 2/3 of a PCPU, not 1/2, 1/2, 1).
 */
import { CYCLES_PER_MS } from '../../isa/clock.ts';
import type { Pcpu } from '../pcpu.ts';
import { VS, type Vcpu } from '../vcpu.ts';
import type { EnqueueReason, SchedContext, SchedulerPolicy } from './policy.ts';

const SCALE = 1 << 16;
const WAKEUP_GRANULARITY = CYCLES_PER_MS;

export class StridePolicy implements SchedulerPolicy {
  readonly name = 'stride';
  private nextBalance = 0;
  private readonly buddy: (Vcpu | undefined)[];

  constructor(private readonly ctx: SchedContext) {
    this.buddy = ctx.pcpus.map(() => undefined);
  }

  private share(v: Vcpu): number { return v.vm.weight / v.vm.vcpus.length; }
  private vr(v: Vcpu, cycles: number): number { return (cycles * SCALE) / this.share(v); }

  enqueue(v: Vcpu, why: EnqueueReason, _now: number): void {
    const stay = (why === 'preempt' || why === 'yield') && v.pcpu >= 0;
    const dst = v.pin !== null ? this.ctx.pcpus[v.pin] : stay ? this.ctx.pcpus[v.pcpu] : this.placement(v);
    if (why === 'wake' || why === 'start') {
      // The floor of the queue it joins (else of the machine): a global floor would let credits cascade,
      // a sleeper placed below another sleeper that was itself placed below the floor, and so on.
      const local = this.floor(v, dst);
      const floor = local !== Infinity ? local : this.floor(v);
      if (floor !== Infinity) v.vruntime = Math.max(v.vruntime, floor - this.vr(v, this.ctx.config.slice / 2));
    }
    v.pcpu = dst.id;
    dst.queue.push(v);
  }

  /** Smallest virtual runtime of the other running or waiting VCPUs (of one PCPU, or of all). */
  private floor(except: Vcpu, only?: Pcpu): number {
    let m = Infinity;
    for (const p of only ? [only] : this.ctx.pcpus) {
      if (p.current && p.current !== except && p.current.vruntime < m) m = p.current.vruntime;
      for (const v of p.queue) if (v !== except && v.vruntime < m) m = v.vruntime;
    }
    return m;
  }

  /** Least loaded PCPU, preferring the one v last ran on, then the lowest index. */
  private placement(v: Vcpu): Pcpu {
    const pcpus = this.ctx.pcpus;
    let best = v.pcpu >= 0 ? pcpus[v.pcpu] : pcpus[0];
    for (const p of pcpus) if (p.load < best.load) best = p;
    return best;
  }

  remove(v: Vcpu): void {
    if (v.pcpu < 0) return;
    const q = this.ctx.pcpus[v.pcpu].queue;
    const i = q.indexOf(v);
    if (i >= 0) q.splice(i, 1);
  }

  pick(p: Pcpu, _now: number, avoid?: Vcpu): Vcpu | undefined {
    let best = this.bestIn(p, avoid);
    best = this.preferBuddy(p, best);
    if (!best) best = this.steal(p);
    if (!best && avoid && p.queue.includes(avoid) && this.ctx.eligible(avoid)) best = avoid;
    if (!best) return undefined;
    this.moveTo(best, p);
    p.queue.splice(p.queue.indexOf(best), 1);
    return best;
  }

  /**
   * Directed yield (CFS's "next buddy"): the VCPU a sibling yielded to runs
   * next if it is no more than a wake-up granularity behind the best choice,
   * so yielding between siblings can reorder a VM's VCPUs but not take
   * share from other VMs.
   */
  private preferBuddy(p: Pcpu, best: Vcpu | undefined): Vcpu | undefined {
    const b = this.buddy[p.id];
    this.buddy[p.id] = undefined;
    if (!b || !best || b === best || b.pcpu !== p.id || !p.queue.includes(b) || !this.ctx.eligible(b)) return best;
    return b.vruntime <= best.vruntime + this.vr(b, WAKEUP_GRANULARITY) ? b : best;
  }

  private bestIn(p: Pcpu, avoid?: Vcpu): Vcpu | undefined {
    let best: Vcpu | undefined;
    for (const v of p.queue) {
      if (v === avoid || !this.ctx.eligible(v)) continue;
      if (!best || v.vruntime < best.vruntime) best = v;
    }
    return best;
  }

  /**
   * Work stealing: the most starved unpinned eligible VCPU waiting elsewhere.
   * Not from an idle PCPU whose clock is not ahead of p's: it will run its
   * own queue no later than p could (PCPUs take turns within a round, and
   * taking the VCPU here made it wait for p's turn while its own PCPU idled).
   */
  private steal(p: Pcpu): Vcpu | undefined {
    let best: Vcpu | undefined;
    for (const src of this.ctx.pcpus) {
      if (src === p || (src.current === undefined && src.time <= p.time)) continue;
      for (const v of src.queue) {
        if (v.pin !== null || !this.ctx.eligible(v)) continue;
        if (!best || v.vruntime < best.vruntime) best = v;
      }
    }
    return best;
  }

  private moveTo(v: Vcpu, p: Pcpu): void {
    if (v.pcpu === p.id) return;
    const src = this.ctx.pcpus[v.pcpu].queue;
    src.splice(src.indexOf(v), 1);
    v.pcpu = p.id;
    p.queue.push(v);
  }

  charge(v: Vcpu, cycles: number): void {
    v.vruntime += this.vr(v, cycles);
  }

  hasWaiting(p: Pcpu): boolean {
    return p.queue.some((v) => this.ctx.eligible(v));
  }

  wakePreempts(v: Vcpu, p: Pcpu): boolean {
    const c = p.current;
    return c !== undefined && v.vruntime + this.vr(v, WAKEUP_GRANULARITY) < c.vruntime;
  }

  boost(target: Vcpu, p: Pcpu, _from: Vcpu): number {
    if (target.state !== VS.RUNNABLE) return -1;
    if (target.pin === null || target.pin === p.id) this.moveTo(target, p);
    this.buddy[target.pcpu] = target;
    return target.pcpu;
  }

  balance(now: number): void {
    if (now < this.nextBalance) return;
    this.nextBalance = now + this.ctx.config.slice;
    if (this.ctx.pcpus.length < 2) return;
    this.evenOut();
    this.rotate();
  }

  /** Move waiting VCPUs from the longest to the shortest queue while they differ by two or more. */
  private evenOut(): void {
    const pcpus = this.ctx.pcpus;
    for (let moves = 0; moves < pcpus.length; moves++) {
      let hi = pcpus[0];
      let lo = pcpus[0];
      for (const p of pcpus) {
        if (p.load > hi.load) hi = p;
        if (p.load < lo.load) lo = p;
      }
      if (hi.load - lo.load < 2) return;
      const v = hi.queue.find((x) => x.pin === null);
      if (!v) return;
      this.moveTo(v, lo);
    }
  }

  /** A starved waiter moves to a less crowded PCPU whose running VCPU is a slice ahead of it. */
  private rotate(): void {
    for (const src of this.ctx.pcpus) {
      const w = this.bestIn(src);
      if (!w || w.pin !== null) continue;
      const ahead = this.vr(w, this.ctx.config.slice);
      for (const dst of this.ctx.pcpus) {
        const c = dst.current;
        if (dst === src || dst.load >= src.load || !c || dst.queue.length > 0) continue;
        if (c.vruntime - w.vruntime > ahead) { this.moveTo(w, dst); break; }
      }
    }
  }
}
