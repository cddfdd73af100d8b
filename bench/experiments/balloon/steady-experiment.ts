/**
 * The steady-state time-ballooning sweep (`paravm experiment steady`; one
 * run is runSteady in steady.ts): offered loads x variants x seeds on the
 * balloon experiment's 4-VCPU graded profile (shares 1/0.75/0.5/0.25), and
 * the report: per load and variant, throughput over capacity and Jain's
 * index over slowdowns with 95% Student-t intervals over seeds (ci.ts),
 * the references computed on the runs' own streams (steady-reference.ts:
 * processor sharing, placement at events and arrival order) beside them,
 * with each row's Jain minus two references' paired per seed, a table and
 * one figure of each.
 */
import type { Params } from '../axes.ts';
import { defineExperiment } from '../define.ts';
import type { Provenance } from '../provenance.ts';
import { withCi } from './ci.ts';
import { intervalChart, type IntervalSeries } from './figure.ts';
import { PROFILES } from './sweep.ts';
import { REFERENCES, type ReferenceName } from './steady-reference.ts';
import { runSteady, STEADY_VARIANTS, unitCycles, type SteadyResult, type SteadyVariant } from './steady.ts';

export interface SteadySpec { variant: SteadyVariant; seed: number; load: number; jobs: number; short: number; long: number }
export type SteadyRecord = SteadyResult & { load: number };

const GRADED = PROFILES[4]!.find((p) => p.name === 'graded')!;
/** Cycles per work unit measured by this thread, by calibration length. */
const units = new Map<number, number>();
const unitOf = (short: number): number => units.get(short) ?? units.set(short, unitCycles(short)).get(short)!;

function plan(p: Params): { key: string; spec: SteadySpec }[] {
  const out: { key: string; spec: SteadySpec }[] = [];
  for (const load of p.loads as number[]) for (const variant of STEADY_VARIANTS) for (const seed of p.seeds as number[]) {
    out.push({ key: `load=${load} variant=${variant} seed=${seed}`, spec: { variant, seed, load, jobs: p.jobs as number, short: p.short as number, long: p.long as number } });
  }
  return out;
}

function runSpec(s: SteadySpec): SteadyRecord {
  const r = runSteady({ profile: GRADED, variant: s.variant, seed: s.seed, jobs: s.jobs, short: s.short, long: s.long, load: s.load / 100, unit: unitOf(s.short) });
  return { ...r, load: s.load };
}

type Ci = { mean: number; ci: number };
/** A variant's (or a reference's) means over seeds; vsPs, vsShare: its Jain minus processor sharing's (placement at events') on the same runs' streams, paired per seed. */
export type Row = {
  load: number; variant: SteadyVariant | ReferenceName; throughput: Ci; jain: Ci; vsPs: Ci; vsShare: Ci;
  offered: number; slowdown: number; short: number; long: number; n: number;
};

/** Per load: each variant's means and intervals over seeds, then the references on the balloon runs' streams. */
export function steadyRows(records: readonly SteadyRecord[]): Row[] {
  const rows: Row[] = [];
  for (const load of [...new Set(records.map((r) => r.load))]) {
    const at = records.filter((r) => r.load === load);
    const row = (variant: Row['variant'], rs: readonly SteadyRecord[], get: (r: SteadyRecord) => SteadyRecord['refs']['ps'] | SteadyRecord): Row => {
      const m = (f: (r: SteadyRecord) => number): number => rs.reduce((a, r) => a + f(r), 0) / rs.length;
      return {
        load, variant, throughput: withCi(rs.map((r) => get(r).throughput)), jain: withCi(rs.map((r) => get(r).jain)),
        vsPs: withCi(rs.map((r) => get(r).jain - r.refs.ps.jain)), vsShare: withCi(rs.map((r) => get(r).jain - r.refs.share.jain)),
        offered: m((r) => r.offered), slowdown: m((r) => get(r).slowdown), short: m((r) => get(r).short), long: m((r) => get(r).long), n: rs.length,
      };
    };
    for (const variant of STEADY_VARIANTS) rows.push(row(variant, at.filter((r) => r.variant === variant), (r) => r));
    const base = at.filter((r) => r.variant === 'balloon');
    for (const ref of REFERENCES) rows.push(row(ref, base, (r) => r.refs[ref]));
  }
  return rows;
}

const pm = (x: Ci): string => `${x.mean.toFixed(3)} ±${Number.isFinite(x.ci) ? x.ci.toFixed(3) : '-'}`;
const NAMES: Record<Row['variant'], string> = {
  none: 'no balloon', balloon: 'balloon', steal: 'steal-time balancing',
  ps: 'processor sharing (ref.)', share: 'placed at events (ref.)', fcfs: 'arrival order (ref.)',
};

function table(rows: readonly Row[]): string {
  const out = ['steady state, 4 VCPUs graded (1/0.75/0.5/0.25): throughput / capacity and Jain\'s index over slowdowns (mean ±95% Student-t half-width over seeds);',
    'offered = work arrived in the window / (window x capacity); ps, share and fcfs: references computed on the balloon runs\' streams (steady-reference.ts);',
    'Jain - ps, Jain - share: the row\'s Jain minus that reference\'s on the same run\'s stream, paired per seed; slowdown: mean over all, short and long jobs', '',
    'load%  variant   offered  throughput/capacity  Jain (slowdowns)  Jain - ps         Jain - share      slowdown all/short/long'];
  for (const r of rows) {
    const sl = [r.slowdown, r.short, r.long].map((x) => x.toFixed(2)).join('/');
    out.push(`${String(r.load).padStart(5)}  ${r.variant.padEnd(8)}  ${r.offered.toFixed(3).padStart(7)}  ${pm(r.throughput).padEnd(19)}  ${pm(r.jain).padEnd(16)}  ${pm(r.vsPs).padEnd(16)}  ${pm(r.vsShare).padEnd(16)}  ${sl}`);
  }
  return `${out.join('\n')}\n`;
}

function figure(rows: readonly Row[], what: 'throughput' | 'jain', seeds: number): string {
  const loads = [...new Set(rows.map((r) => r.load))];
  const series: IntervalSeries[] = [...STEADY_VARIANTS, ...REFERENCES].map((v) => {
    const rs = loads.map((l) => rows.find((r) => r.load === l && r.variant === v)!);
    return { name: NAMES[v], values: rs.map((r) => r[what].mean), ci: rs.map((r) => r[what].ci) };
  });
  const [label, ref]: [string, [number, string]] = what === 'throughput' ? ['throughput / sum of shares', [0.9, 'acceptance 0.9 (when saturated)']] : ['Jain\'s index over slowdowns', [0.95, 'acceptance 0.95']];
  return intervalChart({
    title: `Steady state, 4 VCPUs graded: ${label} (error bars: 95% Student-t CI over ${seeds} seeds)`,
    xLabel: 'offered load, % of the sum of shares', yLabel: label, categories: loads.map(String), series, refs: [ref],
  });
}

function report(p: Params, records: SteadyRecord[], provenance: Provenance): { table: string; files: [string, string][]; summary: string } {
  const rows = steadyRows(records);
  const seeds = (p.seeds as number[]).length;
  return {
    table: table(rows),
    files: [['results.json', `${JSON.stringify({ provenance, rows, runs: records }, null, 1)}\n`],
      ['steady-throughput.svg', figure(rows, 'throughput', seeds)], ['steady-jain.svg', figure(rows, 'jain', seeds)]],
    summary: `${records.length} runs (${p.jobs} jobs per stream, seeds ${(p.seeds as number[]).join(',')})`,
  };
}

export const steady = defineExperiment<SteadySpec, SteadyRecord>({
  intro: 'runs a continuing stream of jobs on VCPUs of unequal shares',
  defaultOut: 'experiment-steady',
  axes: {
    loads: { kind: 'ints', flag: 'loads', min: 1, doc: 'offered loads, % of the sum of the VCPUs\' shares (no source: swept)' },
    seeds: { kind: 'seeds', flag: 'seeds', doc: 'seeds of each load and variant' },
    jobs: { kind: 'number', min: 4, doc: 'jobs in each stream' },
    short: { kind: 'number', min: 1, doc: 'work units of a short job' },
    long: { kind: 'number', min: 1, doc: 'work units of a long job' },
  },
  presets: {
    full: { loads: [50, 70, 90, 120], seeds: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], jobs: 100, short: 600, long: 2400 },
    quick: { loads: [120], seeds: [1, 2], jobs: 40, short: 600, long: 2400 },
  },
  plan,
  cost: (s) => s.jobs,
  runOne: runSpec,
  report,
});
