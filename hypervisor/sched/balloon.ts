/**
 * Time ballooning, the hypervisor half (the guest half is
 * guest-kernel/95-balloon.s). Flexible allocation gives the VCPUs of one VM
 * unequal shares of physical time; a commodity guest balancer spreads work
 * by run-queue length and the slow VCPUs become stragglers. The controller
 * measures each VCPU's effective speed and asks the guest, through the
 * shared info page (INFO_BALLOON_TARGET, then IRQ_HV), for balloon threads
 * on the VCPUs that should carry less work: they count as load, so the
 * guest's own balancer moves real work to the fast ones, and the time they
 * give back (when they are alone on their VCPU) goes to the hypervisor's
 * other work.
 *
 * Speed. Every `period` the controller samples every VCPU's running and
 * runnable (steal) time. Over the last `window` samples a VCPU's speed is
 *   s_i = running / (running + runnable),
 * the share of the time it wanted a PCPU that it got. Blocked time does not
 * count: an idle VCPU is not slow. But an idle VCPU's own numbers say
 * nothing about the speed it would have if work moved to it, so a VCPU that
 * wanted a PCPU for less than `busy` of the window (and every VCPU until
 * the first full window) gets a prediction from the same accounting
 * instead: on its PCPU, the other VCPUs wanted a
 * fraction d_u of the window; by proportional share it would get
 *   max(sh_i / (sh_i + sum sh_u over the u with d_u > 5%), 1 - sum d_u),
 * where sh is a VCPU's weight share (its VM's weight over its VCPU count).
 * Estimates are smoothed (EWMA, `alpha`; the first one is taken as is):
 * no fixed window fits every sharing pattern (70% of a PCPU in 10 ms slices
 * repeats every 100 ms, and a 40 ms window alone reads 0.55 to 0.75).
 *
 * Target. The guest publishes its runnable work threads per VCPU, w_i
 * (INFO_WORK_THREADS, balloon threads excluded). Starting from that
 * placement, the controller moves one thread at a time from the bottleneck
 * VCPU (largest n_i / s_i: the threads there finish last) to the VCPU where
 * it would finish soonest (smallest (n_j + 1) / s_j; on a tie the one with
 * fewer threads, then the faster), while that shortens the bottleneck by
 * more than `gain` (10%). For threads of equal length this stops at the
 * best placement without migration, up to `gain` (if no single move helps,
 * none does). With L = max_i n_i the targets are
 *   b_i = L - n_i.
 * So in the wanted placement every run queue holds L threads (work plus
 * balloons) and the balancer, which pulls when two queues differ by two or
 * more, has nothing to do; while if any thread sits elsewhere, some queue
 * holding too much work is 2 or more above another, and the balancer moves
 * a thread off it. The wanted placement is the balancer's only fixed point.
 * Example: 3 jobs on VCPUs of speeds 1 and 0.5: n = (2, 1), b = (0, 1):
 * two jobs share the fast VCPU and one has the slow one to itself, all at
 * half speed, which is the ideal.
 *
 * Damping. Four things keep threads (and targets) from ping-ponging: the
 * EWMA; the `gain` threshold (a placement changes only for a clear
 * improvement, and the search starts from where the threads are, so noise
 * in the speeds that does not change the answer changes nothing); targets
 * change only when a thread should move, or when the current targets no
 * longer hold the threads where they are (run queues more than one apart),
 * not merely because a count changed (a job finished, the guest's main
 * thread woke, a slow VCPU has not published its count since it last ran);
 * and confirmation: a new set of targets is published only once it has
 * been computed `confirm` periods in a row.
 */
import { IRQ } from '../../isa/traps.ts';
import { INFO } from '../../isa/infopage.ts';
import { CYCLES_PER_MS } from '../../isa/clock.ts';
import { VS, type Vcpu } from '../vcpu.ts';
import type { EventHandle } from '../events.ts';
import type { Vm } from '../vm.ts';
import { NonRotatingPlanner } from './balloon-plan.ts';

/**
 * Speeds are planned with on a grid of this step, so that a planner's
 * searches are reused while the estimates wander within it (they move by
 * about this much between windows: see the header). No source; the targets
 * change only when the plan gains more than `gain` anyway.
 */
const GRID = 0.05;
/** Placements a plan may search (restricted to the longest-first rule) before finishing greedily: a few milliseconds of host time. */
const PLAN_BUDGET = 2_000;

export interface BalloonOptions {
  /** Sampling period, cycles (default 2 ms). */
  period?: number;
  /** Samples the speed is measured over (default 20: a 40 ms window, two turns of two VCPUs sharing a PCPU with 10 ms slices). */
  window?: number;
  /** EWMA weight of a new estimate (default 0.1: a 20 ms time constant at the 2 ms period). */
  alpha?: number;
  /** Move a thread only when that shortens the bottleneck by more than this fraction (default 0.1). */
  gain?: number;
  /** A VCPU that wanted a PCPU for less than this fraction of the window has its speed predicted, not measured (default 0.5). */
  busy?: number;
  /** Periods in a row a new set of targets must be computed before it is published (default 2). */
  confirm?: number;
  /**
   * How the wanted placement is found: 'moves' (default), single moves off
   * the bottleneck; 'plan', the first step of the non-rotating optimum of
   * equal jobs, re-planned when a job starts or completes (measured worse:
   * see docs/experiments.md).
   */
  target?: 'moves' | 'plan';
}

interface Sample { time: number; running: number; runnable: number }

interface VcpuState {
  samples: Sample[];
  /** Smoothed speed estimate (NaN until the first one). */
  speed: number;
  /** Whether the last estimate was predicted (the VCPU was mostly idle) rather than measured. */
  predicted: boolean;
  target: number;
  changes: number;
}

/** Per VM: targets computed but not yet published, and for how many periods in a row. */
interface VmState { pending: number[] | undefined; seen: number; plan: number[] | undefined }

/** One published change of a VCPU's target (for figures). */
export interface BalloonChange { time: number; vm: number; vcpu: number; target: number; speed: number }

/** What the controller needs of the machine: its VCPUs and VMs, the clock, events and interrupts. */
export interface BalloonHost {
  readonly vcpus: readonly Vcpu[];
  readonly vms: readonly Vm[];
  /** Start of the current round. */
  readonly time: number;
  now(): number;
  at(t: number, fn: () => void): EventHandle;
  raiseIrq(v: Vcpu, line: number, why: string): void;
}

export class BalloonController {
  readonly period: number;
  private readonly window: number;
  private readonly alpha: number;
  private readonly gain: number;
  private readonly busy: number;
  private readonly confirm: number;
  private readonly target: 'moves' | 'plan';
  private readonly state = new Map<Vcpu, VcpuState>();
  private readonly vmState = new Map<number, VmState>();
  private readonly planners = new Map<string, NonRotatingPlanner>();
  /** Target changes written to info pages, all VMs. */
  updates = 0;
  /** Every published change, in time order. */
  readonly log: BalloonChange[] = [];

  constructor(private readonly hv: BalloonHost, o: BalloonOptions = {}) {
    this.period = o.period ?? 2 * CYCLES_PER_MS;
    this.window = o.window ?? 20;
    this.alpha = o.alpha ?? 0.1;
    this.gain = o.gain ?? 0.1;
    this.busy = o.busy ?? 0.5;
    this.confirm = o.confirm ?? 2;
    this.target = o.target ?? 'moves';
    for (const v of hv.vcpus) this.state.set(v, { samples: [], speed: NaN, predicted: false, target: 0, changes: 0 });
  }

  /** Start sampling (the first sample at one period). */
  start(): void {
    this.hv.at(this.hv.time + this.period, () => this.tick());
  }

  /** The current target and smoothed speed of a VCPU (speed 1 until measured). */
  of(v: Vcpu): { target: number; speed: number; predicted: boolean; changes: number } {
    const s = this.state.get(v)!;
    return { target: s.target, speed: Number.isNaN(s.speed) ? 1 : s.speed, predicted: s.predicted, changes: s.changes };
  }

  private tick(): void {
    const now = this.hv.now();
    for (const v of this.hv.vcpus) {
      const s = this.state.get(v)!;
      s.samples.push({ time: now, running: v.timeIn(VS.RUNNING, now), runnable: v.timeIn(VS.RUNNABLE, now) });
      if (s.samples.length > this.window + 1) s.samples.shift();
    }
    for (const vm of this.hv.vms) {
      if (!vm.running || vm.vcpus.length < 2) continue;
      for (const v of vm.vcpus) this.measure(v);
      // Targets only once every VCPU has registered its info page: the guest is up to take them.
      if (vm.vcpus.every((v) => v.info >= 0)) this.retarget(vm.vcpus);
    }
    if (this.hv.vms.some((vm) => vm.running)) this.hv.at(now + this.period, () => this.tick());
  }

  /** Running and runnable time of v over the window, and the window's length. */
  private window_(v: Vcpu): { ran: number; waited: number; span: number } {
    const ss = this.state.get(v)!.samples;
    const first = ss[0]!;
    const last = ss[ss.length - 1]!;
    return { ran: last.running - first.running, waited: last.runnable - first.runnable, span: last.time - first.time };
  }

  private measure(v: Vcpu): void {
    const s = this.state.get(v)!;
    const { ran, waited, span } = this.window_(v);
    if (span <= 0) return;
    s.predicted = s.samples.length <= this.window || ran + waited < this.busy * span;
    const raw = s.predicted ? this.predict(v) : ran / (ran + waited);
    s.speed = Number.isNaN(s.speed) ? raw : this.alpha * raw + (1 - this.alpha) * s.speed;
  }

  /** The share of its PCPU a mostly idle VCPU would get if it became busy (see the header). */
  private predict(v: Vcpu): number {
    const p = v.pin ?? v.pcpu;
    if (p < 0) return 1;
    const sh = (u: Vcpu): number => u.vm.weight / u.vm.vcpus.length;
    let weights = 0;
    let demand = 0;
    for (const u of this.hv.vcpus) {
      if (u === v || (u.pin ?? u.pcpu) !== p || u.state === VS.STOPPED) continue;
      const { ran, waited, span } = this.window_(u);
      const d = span > 0 ? Math.min(1, (ran + waited) / span) : 0;
      demand += d;
      if (d > 0.05) weights += sh(u);
    }
    return Math.min(1, Math.max(sh(v) / (sh(v) + weights), 1 - demand));
  }

  /**
   * The placement the targets ask for: from the current one w, move single
   * threads off the bottleneck while that shortens it by more than `gain`.
   */
  placement(w: readonly number[], speeds: readonly number[]): number[] {
    const n = [...w];
    const s = speeds.map((x) => Math.max(x, 0.01));
    for (let moves = 0; moves <= n.reduce((a, b) => a + b, 0) * n.length; moves++) {
      let i = -1;
      for (let k = 0; k < n.length; k++) if (n[k]! > 0 && (i < 0 || n[k]! / s[k]! > n[i]! / s[i]!)) i = k;
      if (i < 0) break;
      let j = -1;
      for (let k = 0; k < n.length; k++) {
        if (k === i) continue;
        if (j < 0) { j = k; continue; }
        const ck = (n[k]! + 1) / s[k]!;
        const cj = (n[j]! + 1) / s[j]!;
        if (ck < cj - 1e-9 || (Math.abs(ck - cj) <= 1e-9 && (n[k]! < n[j]! || (n[k] === n[j] && s[k]! > s[j]!)))) j = k;
      }
      if (j < 0 || (n[j]! + 1) / s[j]! >= (1 - this.gain) * (n[i]! / s[i]!)) break;
      n[i]!--;
      n[j]!++;
    }
    return n;
  }

  /** A planner per set of speeds (on the GRID), so that the searches it has done are reused. */
  private planner(speeds: readonly number[]): NonRotatingPlanner {
    const grid = speeds.map((x) => Math.max(GRID, Math.round(x / GRID) * GRID));
    const key = grid.map((x) => x.toFixed(2)).join(',');
    let p = this.planners.get(key);
    if (!p) this.planners.set(key, (p = new NonRotatingPlanner(grid, false, PLAN_BUDGET)));
    return p;
  }

  /**
   * The placement the targets ask for with `target: 'plan'`, of the K = sum w work threads the
   * VCPUs hold now (w): the first step of the best non-rotating schedule of
   * K equal jobs at the measured speeds (balloon-plan.ts), which may put a
   * job on the slowest VCPU. It replaces `kept` (the placement asked for
   * before while K has not changed; where the threads are, w, once it has:
   * a job started or completed) only when it shortens the planned makespan
   * by more than `gain`.
   */
  planned(w: readonly number[], speeds: readonly number[], plan?: readonly number[]): number[] {
    const k = w.reduce((a, b) => a + b, 0);
    const kept = plan && plan.reduce((a, b) => a + b, 0) === k ? plan : w;
    const p = this.planner(speeds);
    const best = p.firstPlacement(k);
    if (best.every((x, i) => x === kept[i])) return best;
    return p.makespanFrom(best) < (1 - this.gain) * p.makespanFrom(kept) ? best : [...kept];
  }

  private retarget(vcpus: readonly Vcpu[]): void {
    const speeds = vcpus.map((v) => this.of(v).speed);
    const work = vcpus.map((v) => Math.max(0, v.vm.mem.readWord(v.info + INFO.WORK_THREADS)));
    const vmId = vcpus[0]!.vm.id;
    const st = this.vmState.get(vmId) ?? { pending: undefined, seen: 0, plan: undefined };
    this.vmState.set(vmId, st);
    const n = this.target === 'plan' ? this.planned(work, speeds, st.plan) : this.placement(work, speeds);
    st.plan = n;
    const current = vcpus.map((v) => this.state.get(v)!.target);
    const queues = n.map((x, i) => x + current[i]!);
    if (n.every((x, i) => x === work[i]) && Math.max(...queues) - Math.min(...queues) <= 1) {
      // Every thread is where it should be and the current targets keep it there: nothing to say.
      st.pending = undefined;
      return;
    }
    const top = Math.max(...n);
    const targets = n.map((x) => top - x);
    if (targets.every((t, i) => t === current[i])) { st.pending = undefined; return; }
    if (st.pending && st.pending.every((t, i) => t === targets[i])) st.seen++;
    else { st.pending = targets; st.seen = 1; }
    if (st.seen < this.confirm) return;
    st.pending = undefined;
    const now = this.hv.now();
    vcpus.forEach((v, i) => {
      const s = this.state.get(v)!;
      if (s.target === targets[i]) return;
      s.target = targets[i]!;
      s.changes++;
      this.log.push({ time: now, vm: vmId, vcpu: v.index, target: s.target, speed: speeds[i]! });
      this.publish(v, s.target);
    });
  }

  private publish(v: Vcpu, target: number): void {
    this.updates++;
    v.vm.mem.writeWord(v.info + INFO.BALLOON_TARGET, target);
    this.hv.raiseIrq(v, IRQ.HV, 'balloon');
  }
}
