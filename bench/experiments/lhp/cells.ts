/**
 * The sweep's runs summarised into cells, one per sensitivity point, CPU
 * count and strategy: means over seeds with 95% Student-t intervals, the
 * co-run diagnostic, and paired per-seed comparisons: each strategy minus
 * none on the same seed (the remedy's effect), and bandwidth over native's on
 * the same seed (so the none-versus-remedy gap is not lost under native's
 * bars). Every percentage is on the base its field names (docs/experiments.md).
 */
import { CYCLES_PER_MS } from '../../../isa/clock.ts';
import { groups } from '../summary.ts';
import { ci, paired, type Ci } from './ci.ts';
import type { LhpRun } from './sweep.ts';

export type { Ci } from './ci.ts';

export interface Cell {
  /** The sensitivity point ('' in the main sweep). */
  point: string;
  cpus: number;
  strategy: string;
  seeds: number;
  /** % of execution time (the guest's VCPU run time). */
  lockPct: Ci;
  spinPct: Ci;
  waitPct: Ci;
  /** The same numerators on the other base: % of wall-clock VCPU time (window × VCPUs). */
  lockPctWall: Ci;
  spinPctWall: Ci;
  waitPctWall: Ci;
  kbps: Ci;
  /** Bandwidth / native's on the same seed and CPU count (absent without a native run). */
  kbpsNorm?: Ci;
  /** Bandwidth / none's on the same seed (absent for none itself, or without a none run). */
  kbpsOverNone?: Ci;
  /** This strategy minus none on the same seed (absent for none itself, or without a none run). */
  vsNone?: { spinPct: Ci; lockPct: Ci; waitPct: Ci; kbps: Ci };
  /** The co-run diagnostic: mean fraction of the window with k VCPUs running, and the total-variation distance from independent phases. */
  corun: number[];
  corunIndependent: number[];
  corunTv: Ci;
  lockHolderPreemptions: number;
  lockWaiterPreemptions: number;
  delayed: number;
  delayMs: number;
  pleExits: number;
  directedYields: number;
  competitorShare: number;
  competitorEntitled: number;
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const meanVec = (vs: readonly number[][]): number[] => vs[0]!.map((_, k) => mean(vs.map((v) => v[k] ?? 0)));
const pct = (runs: readonly LhpRun[], num: (r: LhpRun) => number, base: (r: LhpRun) => number): Ci => ci(runs.map((r) => (100 * num(r)) / base(r)));
const bySeed = (runs: readonly LhpRun[], f: (r: LhpRun) => number): Map<number, number> => new Map(runs.map((r) => [r.seed, f(r)]));

export function summarize(runs: readonly LhpRun[]): Cell[] {
  const at = new Map(groups(runs, (r) => `${r.point ?? ''}|${r.cpus}|${r.strategy}`).map((g) => [`${g[0]!.point ?? ''}|${g[0]!.cpus}|${g[0]!.strategy}`, g]));
  return [...at.values()].map((same) => {
    const r = same[0]!;
    const point = r.point ?? '';
    const m = (k: keyof LhpRun): number => mean(same.map((x) => x[k] as number));
    const none = r.strategy === 'none' ? undefined : at.get(`${point}|${r.cpus}|none`);
    const native = at.get(`${point}|${r.cpus}|native`);
    const diff = (f: (x: LhpRun) => number): Ci => paired(bySeed(none!, f), bySeed(same, f));
    const nativeKbps = native ? bySeed(native, (x) => x.kbps) : undefined;
    const noneKbps = none ? bySeed(none, (x) => x.kbps) : undefined;
    return {
      point, cpus: r.cpus, strategy: r.strategy, seeds: same.length,
      lockPct: ci(same.map((x) => x.lockPct)), spinPct: ci(same.map((x) => x.spinPct)), waitPct: ci(same.map((x) => x.waitPct)),
      lockPctWall: pct(same, (x) => x.holdCycles, (x) => x.wallCycles), spinPctWall: pct(same, (x) => x.spinCycles, (x) => x.wallCycles),
      waitPctWall: pct(same, (x) => x.waitCycles, (x) => x.wallCycles),
      kbps: ci(same.map((x) => x.kbps)),
      ...(nativeKbps ? { kbpsNorm: ci(same.filter((x) => nativeKbps.has(x.seed)).map((x) => x.kbps / nativeKbps.get(x.seed)!)) } : {}),
      ...(noneKbps ? { kbpsOverNone: ci(same.filter((x) => noneKbps.has(x.seed)).map((x) => x.kbps / noneKbps.get(x.seed)!)) } : {}),
      ...(none ? { vsNone: { spinPct: diff((x) => x.spinPct), lockPct: diff((x) => x.lockPct), waitPct: diff((x) => x.waitPct), kbps: diff((x) => x.kbps) } } : {}),
      corun: meanVec(same.map((x) => x.corun.observed)), corunIndependent: meanVec(same.map((x) => x.corun.independent)),
      corunTv: ci(same.map((x) => x.corun.tv)),
      lockHolderPreemptions: m('lockHolderPreemptions'), lockWaiterPreemptions: m('lockWaiterPreemptions'),
      delayed: m('delayed'), delayMs: m('delayCycles') / CYCLES_PER_MS, pleExits: m('pleExits'), directedYields: m('directedYields'),
      competitorShare: m('competitorShare'), competitorEntitled: r.competitorEntitled,
    };
  });
}

export interface SweepResult {
  durationMs: number;
  warmupMs: number;
  seeds: number[];
  cpus: number[];
  runs: LhpRun[];
  cells: Cell[];
}
