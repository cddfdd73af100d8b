/**
 * The co-run diagnostic: for each VM, how much virtual time 0, 1, ... n of
 * its VCPUs ran at once, and how far that is from independent phases. If
 * every VCPU ran independently of its siblings with its measured run
 * fraction p_i, the number running at once would follow the Poisson-binomial
 * distribution of the p_i (the binomial when they are equal); lockstep slice
 * boundaries instead give "all or none" (accidental co-scheduling), and that
 * softens lock-holder preemption. The total-variation distance between the
 * two, 0 for independence and near 1 for perfect lockstep at a 50% share,
 * says which one a run had.
 *
 * The machine reports every span a VCPU ran ([from, to) on its PCPU's clock).
 * PCPUs run one after another within a round, so spans arrive out of order;
 * they are folded into the histogram up to the current round's start, where
 * every earlier span is either reported or still open (its VCPU running),
 * which keeps memory bounded however long the run.
 */
import { VS, type Vcpu } from '../vcpu.ts';
import type { Vm } from '../vm.ts';

/** Fold a VM's spans once this many are pending. */
const FOLD_AT = 2048;

/** Time (cycles) with k of a VM's VCPUs running, k = 0..n. */
export type CoRunHistogram = number[];

class VmCoRun {
  /** Cumulative time at each count, up to `folded`. */
  readonly time: number[];
  folded = 0;
  /** Reported spans not yet folded (flat [from, to, from, to, ...]). */
  spans: number[] = [];

  constructor(readonly vm: Vm) { this.time = Array<number>(vm.vcpus.length + 1).fill(0); }

  /** Fold every span before `to` (a round start: no earlier span can still be reported unless its VCPU runs now). */
  fold(to: number): void {
    const from = this.folded;
    if (to <= from) return;
    const ev: number[] = []; // (time, +1/-1) pairs
    const keep: number[] = [];
    const add = (a: number, b: number): void => {
      const s = Math.max(a, from);
      const e = Math.min(b, to);
      if (e > s) ev.push(s, 1, e, -1);
    };
    for (let i = 0; i < this.spans.length; i += 2) {
      const a = this.spans[i]!;
      const b = this.spans[i + 1]!;
      add(a, b);
      if (b > to) keep.push(a, b);
    }
    for (const v of this.vm.vcpus) if (v.state === VS.RUNNING && v.since < to) add(v.since, to);
    const order = Array.from({ length: ev.length / 2 }, (_, i) => i).sort((x, y) => ev[2 * x]! - ev[2 * y]! || ev[2 * x + 1]! - ev[2 * y + 1]!);
    let t = from;
    let k = 0;
    for (const i of order) {
      const at = ev[2 * i]!;
      this.time[Math.min(k, this.time.length - 1)]! += at - t;
      t = at;
      k += ev[2 * i + 1]!;
    }
    this.time[Math.min(k, this.time.length - 1)]! += to - t;
    this.spans = keep;
    this.folded = to;
  }
}

export class CoRun {
  private readonly byVm = new Map<Vm, VmCoRun>();

  /** `now()`: the current round's start. */
  constructor(private readonly now: () => number) {}

  private of(vm: Vm): VmCoRun {
    let c = this.byVm.get(vm);
    if (!c) { c = new VmCoRun(vm); this.byVm.set(vm, c); }
    return c;
  }

  /** v ran from `from` to `to`. */
  ran(v: Vcpu, from: number, to: number): void {
    if (to <= from || v.vm.vcpus.length < 2) return;
    const c = this.of(v.vm);
    c.spans.push(from, to);
    if (c.spans.length >= 2 * FOLD_AT) c.fold(this.now());
  }

  /** Time with k of vm's VCPUs running, k = 0..n, from the start of the run to the current round's start. */
  histogram(vm: Vm): CoRunHistogram {
    const c = this.of(vm);
    c.fold(this.now());
    return [...c.time];
  }
}

/** P(k of n independent events happen) for probabilities p (the Poisson-binomial distribution), k = 0..n. */
export function poissonBinomial(p: readonly number[]): number[] {
  let d = [1];
  for (const q of p) {
    const next = Array<number>(d.length + 1).fill(0);
    d.forEach((x, k) => { next[k]! += x * (1 - q); next[k + 1]! += x * q; });
    d = next;
  }
  return d;
}

/** The co-run distribution of a window, and its distance from independent phases. */
export interface CoRunSummary {
  /** Fraction of the window with k VCPUs running, k = 0..n. */
  observed: number[];
  /** The same if the VCPUs ran independently, each with its measured run fraction. */
  independent: number[];
  /** Total-variation distance between the two (0..1). */
  tv: number;
}

/** Summarise the time at each count over a window (a histogram difference) given each VCPU's run time in it. */
export function coRunSummary(time: readonly number[], running: readonly number[]): CoRunSummary {
  const total = time.reduce((s, x) => s + x, 0);
  const observed = time.map((x) => (total > 0 ? x / total : 0));
  const independent = poissonBinomial(running.map((r) => (total > 0 ? Math.min(1, r / total) : 0)));
  const tv = observed.reduce((s, x, k) => s + Math.abs(x - (independent[k] ?? 0)), 0) / 2;
  return { observed, independent, tv };
}
