/**
 * The time-ballooning sweep as the engine sees it: its axes (VCPU counts,
 * job counts, seeds, job length), the quick and full presets, the plan
 * (static profiles x job counts x variants x seeds, then the dynamic run
 * per variant and seed, then the undamped static cell), and the cells (each
 * with its non-rotating optimum, hypervisor/sched/balloon-plan.ts) and
 * report from the finished runs. One run is runOne in sweep.ts; every
 * worker measures the job length the ideal is computed from once.
 */
import { CYCLES_PER_MS } from '../../../isa/clock.ts';
import type { Params } from '../axes.ts';
import { defineExperiment } from '../define.ts';
import { groups, stat } from '../summary.ts';
import { withCi } from './ci.ts';
import { DYNAMIC, DYNAMIC_SWITCH, idealMakespanPhased, jobLength, PROFILES, runOne, staticMakespan, VARIANTS, type Cell, type RunResult, type SweepResult, type Variant } from './sweep.ts';
import { balloonFiles, balloonSummary, table } from './report.ts';
import { ENGINE_AXIS, ENGINE_PRESET, engineOf, underEngine } from '../cpu-engine.ts';
import { nonRotatingMakespan, type Engine, type NonRotating } from '../../../hypervisor/index.ts';

/** One run's parameters, as it travels to a worker and into a partial. */
export interface BalloonSpec {
  cpus: number; profile: string; jobs: number; work: number; variant: Variant; seed: number;
  /** The dynamic run (DYNAMIC); sample: record its progress and targets (the first seed's). */
  dynamic: boolean; sample: boolean;
  /** The sweep's execution engine (the same results under either). */
  engine?: Engine;
}

/** A run's result with its ideal and best static makespan, and the job length both were computed from. */
export interface BalloonRecord { run: RunResult & { ideal: number; static: number }; jobLength: number }

/** Job lengths measured by this thread, by work per job. */
const lengths = new Map<number, number>();
const lengthOf = (work: number): number => lengths.get(work) ?? lengths.set(work, jobLength(work)).get(work)!;

function runSpec(s: BalloonSpec): BalloonRecord {
  const T1 = lengthOf(s.work);
  const profile = s.dynamic ? DYNAMIC.profile : PROFILES[s.cpus]!.find((p) => p.name === s.profile)!;
  const later = s.dynamic ? [{ at: Math.round(DYNAMIC_SWITCH * T1), shares: DYNAMIC.later }] : undefined;
  const r = runOne({ vcpus: s.cpus, profile, jobs: s.jobs, work: s.work, variant: s.variant, seed: s.seed, later, sample: s.sample ? CYCLES_PER_MS : undefined });
  const ideal = idealMakespanPhased(s.jobs, T1, r.phases);
  const fixed = r.phases.length === 1 ? staticMakespan(s.jobs, T1, r.phases[0]!.shares) : NaN;
  return { run: { ...r, ideal, static: fixed }, jobLength: T1 };
}

function plan(p: Params): { key: string; spec: BalloonSpec }[] {
  const [seeds, work, jobCounts] = [p.seeds as number[], p.work as number, p.jobCounts as number[]];
  const runs: { key: string; spec: BalloonSpec }[] = [];
  const engine = engineOf(p);
  const add = (s: Omit<BalloonSpec, 'work' | 'dynamic' | 'sample'>, dynamic = false): void => {
    const spec = { ...s, work, dynamic, sample: dynamic && s.seed === seeds[0], engine };
    runs.push({ key: `cpus=${s.cpus} profile=${s.profile} jobs=${s.jobs} variant=${s.variant} seed=${s.seed}`, spec });
  };
  for (const cpus of p.cpus as number[]) for (const profile of PROFILES[cpus]!) for (const jobs of jobCounts) {
    for (const variant of VARIANTS) for (const seed of seeds) add({ cpus, profile: profile.name, jobs, variant, seed });
  }
  // The controller planning with the non-rotating optimum, on the 4-VCPU graded cells (where the two rules differ most).
  if ((p.cpus as number[]).includes(4)) for (const jobs of jobCounts) for (const seed of seeds) {
    add({ cpus: 4, profile: 'graded', jobs, variant: 'planned', seed });
  }
  if (p.dynamic) for (const variant of [...VARIANTS, 'undamped' as const]) for (const seed of seeds) {
    add({ cpus: DYNAMIC.profile.shares.length, profile: DYNAMIC.profile.name, jobs: DYNAMIC.jobs, variant, seed }, true);
  }
  // The undamped controller on one static cell: 2 VCPUs, half, 5 jobs when swept (else the most jobs swept).
  if (p.undampedStatic && (p.cpus as number[]).includes(2)) {
    const jobs = jobCounts.includes(5) ? 5 : jobCounts[jobCounts.length - 1]!;
    for (const seed of seeds) add({ cpus: 2, profile: PROFILES[2]![0]!.name, jobs, variant: 'undamped', seed });
  }
  return runs;
}

/** Non-rotating optima by jobs, job length and shares: every variant and seed of a cell has the same. */
const optima = new Map<string, NonRotating>();
function optimumOf(jobs: number, len: number, shares: readonly number[]): NonRotating {
  const key = `${jobs} ${len} ${shares.join(',')}`;
  return optima.get(key) ?? optima.set(key, nonRotatingMakespan(jobs, len, shares)).get(key)!;
}

function cells(runs: SweepResult['runs'], len: number): Cell[] {
  return groups(runs, (r) => `${r.vcpus} ${r.profile} ${r.jobs} ${r.variant}`).map((same): Cell => {
    const r = same[0]!;
    const opt = r.phases.length === 1 ? optimumOf(r.jobs, len, r.phases[0]!.shares) : { makespan: NaN, lower: NaN, exact: false };
    return {
      vcpus: r.vcpus, profile: r.profile, jobs: r.jobs, variant: r.variant,
      ratio: stat(same.map((x) => x.makespan / x.ideal)), staticRatio: r.static / r.ideal,
      vsOptimum: withCi(same.map((x) => x.makespan / opt.makespan)), optimum: opt.makespan / r.ideal, optimumExact: opt.exact,
      throughput: stat(same.map((x) => x.throughput)), fairness: stat(same.map((x) => x.fairness)),
      migrations: stat(same.map((x) => x.migrations)), targetChanges: stat(same.map((x) => x.targetChanges)),
      competitorShare: stat(same.map((x) => x.competitorShare)), competitorEntitled: r.competitorEntitled,
      balloonFraction: stat(same.map((x) => x.balloonCycles / x.guestRunning)),
    };
  });
}

/** The sweep's result from the records in plan order; sampled runs appear in runs without their samples. */
export function sweepResult(p: Params, records: readonly BalloonRecord[]): SweepResult {
  const runs: SweepResult['runs'] = [];
  const sampled: RunResult[] = [];
  for (const { run } of records) {
    const { ideal, static: fixed, ...r } = run;
    if (r.progress) {
      sampled.push(r);
      runs.push({ ...r, progress: undefined, targets: undefined, ideal, static: fixed });
    } else runs.push({ ...r, ideal, static: fixed });
  }
  const T1 = records[0]!.jobLength;
  return { work: p.work as number, jobLength: T1, seeds: p.seeds as number[], dynamicSwitch: Math.round(DYNAMIC_SWITCH * T1), runs, cells: cells(runs, T1), sampled };
}

export const balloon = defineExperiment<BalloonSpec, BalloonRecord>({
  intro: 'runs the guest kernel with unequal VCPU shares',
  defaultOut: 'experiment-balloon',
  axes: {
    cpus: { kind: 'ints', flag: 'cpus', choices: Object.keys(PROFILES).map(Number), doc: 'VCPU counts (each has its share profiles)' },
    jobCounts: { kind: 'ints', flag: 'job-counts', min: 1, doc: 'numbers of CPU-bound jobs' },
    seeds: { kind: 'seeds', flag: 'seeds', doc: 'seeds of each cell' },
    work: { kind: 'number', flag: 'work', min: 1, doc: 'work units per job' },
    dynamic: { kind: 'boolean', doc: 'the dynamic run (shares reverse mid-run), per variant' },
    undampedStatic: { kind: 'boolean', doc: 'the undamped controller on a static cell too' },
    engine: ENGINE_AXIS,
  },
  presets: {
    full: { cpus: [2, 4], jobCounts: [3, 5, 6, 9], seeds: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], work: 4000, dynamic: true, undampedStatic: true, engine: ENGINE_PRESET },
    // Jobs must last several controller windows (40 ms) for the balloon to act at all.
    quick: { cpus: [2, 4], jobCounts: [3, 6], seeds: [1], work: 3000, dynamic: true, undampedStatic: false, engine: ENGINE_PRESET },
  },
  plan,
  runOne: (s) => underEngine(s.engine, () => runSpec(s)),
  report(p, records, provenance) {
    const r = sweepResult(p, records);
    return { table: table(r), files: balloonFiles(r, provenance), summary: balloonSummary(r) };
  },
});
