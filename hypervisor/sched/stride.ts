/**
 * Proportional share, stride style, with per-PCPU run queues (the default
 * policy, 'stride'). Each VCPU advances a virtual runtime by the cycles it
 * runs divided by its share (its VM's weight split evenly over the VM's
 * VCPUs); a PCPU runs the waiting VCPU with the smallest virtual runtime.
 * Over time each VM receives PCPU time in proportion to its weight, within
 * one slice.
 *
 * Virtual runtimes are kept relative to each PCPU's floor (minVr, which
 * only grows), as in Linux CFS: a VCPU moving between PCPUs or waking up
 * keeps its lag, and a sleeper's credit is bounded by half a slice, so
 * blocking cannot hoard share. A woken VCPU whose credit is a wakeup
 * granularity ahead of the running one preempts it (like Xen's BOOST),
 * which keeps IPI and timer latency low.
 *
 * Placement: pinned VCPUs go to their PCPU; a waking or starting VCPU goes to
 * the least loaded allowed PCPU, its last one on a tie; an idle PCPU takes
 * work from the longest queue; balance() evens out queue lengths once per
 * slice.
 */
import { CYCLES_PER_MS } from '../../isa/clock.ts';
import type { Pcpu } from '../pcpu.ts';
import type { VcpuCtl } from '../vcpu-ctl.ts';
import type { EnqueueReason, SchedContext, SchedulerPolicy } from './policy.ts';

const SCALE = 1 << 16;
const WAKEUP_GRANULARITY = CYCLES_PER_MS;

export class StridePolicy implements SchedulerPolicy {
  readonly name = 'stride';
  private readonly minVr: Float64Array;
  private nextBalance = 0;

  constructor(private readonly ctx: SchedContext) {
    this.minVr = new Float64Array(ctx.pcpus.length);
  }

  private share(v: VcpuCtl): number { return v.vm.weight / v.vm.vcpus.length; }
  private vr(v: VcpuCtl, cycles: number): number { return (cycles * SCALE) / this.share(v); }

  enqueue(v: VcpuCtl, why: EnqueueReason, _now: number): void {
    const stay = (why === 'preempt' || why === 'yield') && v.pcpu >= 0;
    const dst = v.pin !== null ? this.ctx.pcpus[v.pin]! : stay ? this.ctx.pcpus[v.pcpu]! : this.placement(v);
    let lag = v.pcpu >= 0 ? v.vruntime - this.minVr[v.pcpu]! : 0;
    if (why === 'wake' || why === 'start') lag = Math.max(lag, -this.vr(v, this.ctx.config.slice / 2));
    v.vruntime = this.minVr[dst.id]! + lag;
    v.pcpu = dst.id;
    dst.queue.push(v);
  }

  /** Least loaded PCPU, preferring the one v last ran on, then the lowest index. */
  private placement(v: VcpuCtl): Pcpu {
    const pcpus = this.ctx.pcpus;
    let best = v.pcpu >= 0 ? pcpus[v.pcpu]! : pcpus[0]!;
    for (const p of pcpus) if (p.load < best.load) best = p;
    return best;
  }

  remove(v: VcpuCtl): void {
    if (v.pcpu < 0) return;
    const q = this.ctx.pcpus[v.pcpu]!.queue;
    const i = q.indexOf(v);
    if (i >= 0) q.splice(i, 1);
  }

  pick(p: Pcpu, _now: number, avoid?: VcpuCtl): VcpuCtl | undefined {
    let best = this.bestIn(p, avoid);
    if (!best) best = this.steal(p);
    if (!best && avoid && avoid.pcpu === p.id && p.queue.includes(avoid) && this.ctx.eligible(avoid)) best = avoid;
    if (!best) return undefined;
    this.moveTo(best, p);
    const q = p.queue;
    q.splice(q.indexOf(best), 1);
    this.raiseFloor(p, best.vruntime);
    return best;
  }

  private bestIn(p: Pcpu, avoid?: VcpuCtl): VcpuCtl | undefined {
    let best: VcpuCtl | undefined;
    for (const v of p.queue) {
      if (v === avoid || !this.ctx.eligible(v)) continue;
      if (!best || v.vruntime < best.vruntime) best = v;
    }
    return best;
  }

  /** Work stealing: the unpinned eligible VCPU with the least lag from the longest other queue. */
  private steal(p: Pcpu): VcpuCtl | undefined {
    let best: VcpuCtl | undefined;
    let bestLoad = 0;
    for (const src of this.ctx.pcpus) {
      if (src === p || src.queue.length === 0) continue;
      for (const v of src.queue) {
        if (v.pin !== null || !this.ctx.eligible(v)) continue;
        const better = !best || src.load > bestLoad
          || (src.load === bestLoad && v.vruntime - this.minVr[src.id]! < best.vruntime - this.minVr[best.pcpu]!);
        if (better) { best = v; bestLoad = src.load; }
      }
    }
    return best;
  }

  /** Move a queued VCPU to p's queue, keeping its lag. */
  private moveTo(v: VcpuCtl, p: Pcpu): void {
    if (v.pcpu === p.id) return;
    const src = this.ctx.pcpus[v.pcpu]!;
    src.queue.splice(src.queue.indexOf(v), 1);
    v.vruntime += this.minVr[p.id]! - this.minVr[src.id]!;
    v.pcpu = p.id;
    p.queue.push(v);
  }

  private raiseFloor(p: Pcpu, vr: number): void {
    let m = vr;
    if (p.current && p.current.vruntime < m) m = p.current.vruntime;
    for (const v of p.queue) if (v.vruntime < m) m = v.vruntime;
    if (m > this.minVr[p.id]!) this.minVr[p.id] = m;
  }

  charge(v: VcpuCtl, cycles: number): void {
    v.vruntime += this.vr(v, cycles);
    const p = this.ctx.pcpus[v.pcpu]!;
    if (p.current === v) this.raiseFloor(p, v.vruntime);
  }

  hasWaiting(p: Pcpu): boolean {
    return p.queue.some((v) => this.ctx.eligible(v));
  }

  wakePreempts(v: VcpuCtl, p: Pcpu): boolean {
    const c = p.current;
    return c !== undefined && v.vruntime + this.vr(v, WAKEUP_GRANULARITY) < c.vruntime;
  }

  boost(target: VcpuCtl, p: Pcpu): boolean {
    if (target.pin !== null && target.pin !== p.id) return false;
    this.moveTo(target, p);
    // Run next: give it the smallest virtual runtime here (it pays it back by running).
    let m = target.vruntime;
    for (const v of p.queue) if (v.vruntime < m) m = v.vruntime;
    target.vruntime = m - 1;
    return true;
  }

  balance(now: number): void {
    if (now < this.nextBalance) return;
    this.nextBalance = now + this.ctx.config.slice;
    const pcpus = this.ctx.pcpus;
    if (pcpus.length < 2) return;
    for (let moves = 0; moves < pcpus.length; moves++) {
      let hi = pcpus[0]!;
      let lo = pcpus[0]!;
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
}
