/**
 * The lock-holder-preemption sweep as the engine sees it: its axes (CPU
 * counts, strategies, seeds, the measured window, the competitor), the quick
 * and full presets, the plan (CPUs x strategies x seeds, in that order; with
 * --sensitivity, the sensitivity points of sensitivity.ts instead) and the
 * report from the finished runs. One run is runOne in sweep.ts.
 */
import { CYCLES_PER_MS } from '../../../isa/clock.ts';
import { SweepInputError, type Params } from '../axes.ts';
import { defineExperiment } from '../define.ts';
import { COMPETITORS, runOne, STRATEGIES, strategy, type CompetitorKind, type LhpRun } from './sweep.ts';
import { knobOptions, SENSITIVITY, SENSITIVITY_STRATEGIES, type Knobs } from './sensitivity.ts';
import { pointKey, sensitivityFiles, sensitivityTable } from './sensitivity-report.ts';
import { timelineFigure } from './timeline.ts';
import { summarize, type SweepResult } from './cells.ts';
import { lhpFiles, lhpSummary, lhpTable } from './report.ts';
import { ENGINE_AXIS, ENGINE_PRESET, engineOf, underEngine } from '../cpu-engine.ts';
import type { Engine } from '../../../hypervisor/index.ts';

/** One run's parameters, as it travels to a worker and into a partial. */
export interface LhpSpec {
  cpus: number; strategy: string; seed: number; durationMs: number; warmupMs: number; competitor?: CompetitorKind;
  /** A sensitivity point: its key and what it changes. */
  point?: string; knobs?: Knobs; engine?: Engine }

const sensitive = (p: Params): boolean => p.sensitivity === true;

const sweepResult = (p: Params, runs: LhpRun[]): SweepResult => ({
  durationMs: (sensitive(p) ? p.sensitivityMs : p.durationMs) as number, warmupMs: p.warmupMs as number,
  seeds: (sensitive(p) ? p.sensitivitySeeds : p.seeds) as number[], cpus: sensitive(p) ? [4] : p.cpus as number[],
  runs, cells: summarize(runs),
});

const competitorOf = (p: Params): CompetitorKind => {
  const c = p.competitor as string[];
  if (c.length !== 1) throw new SweepInputError(`competitor: expected one of ${COMPETITORS.join(', ')}, got ${c.join(',')}`);
  return c[0] as CompetitorKind;
};

/** The sensitivity plan: each axis's points x the strategies of SENSITIVITY_STRATEGIES x the sensitivity seeds, on 4 VCPUs. */
function sensitivityPlan(p: Params, engine: Engine): { key: string; spec: LhpSpec }[] {
  const runs: { key: string; spec: LhpSpec }[] = [];
  const axes = new Set(p.sensitivityAxes as string[]);
  for (const a of SENSITIVITY.filter((x) => axes.has(x.name))) for (const pt of a.points) for (const s of SENSITIVITY_STRATEGIES) {
    for (const seed of p.sensitivitySeeds as number[]) {
      const point = pointKey(a.name, pt.label);
      runs.push({ key: `${point} strategy=${s} seed=${seed}`, spec: { cpus: 4, strategy: s, seed, durationMs: p.sensitivityMs as number, warmupMs: p.warmupMs as number, point, knobs: pt.knobs, engine } });
    }
  }
  return runs;
}

/** The presets' other axes: the default competitor, the main sweep, every sensitivity axis. */
const REST: Params = { competitor: ['guest'], sensitivity: false, timeline: true, sensitivityAxes: SENSITIVITY.map((a) => a.name), sensitivitySeeds: [1, 2, 3], sensitivityMs: 150 };

export const lhp = defineExperiment<LhpSpec, LhpRun>({
  intro: 'the web server under each lock-holder-preemption remedy',
  defaultOut: 'experiment-lhp',
  axes: {
    cpus: { kind: 'ints', flag: 'cpus', min: 1, doc: 'VCPUs of the server VM (one PCPU each)' },
    strategies: { kind: 'names', flag: 'strategies', choices: STRATEGIES.map((s) => s.name), doc: 'lock-holder-preemption remedies' },
    seeds: { kind: 'seeds', flag: 'seeds', doc: 'seeds of each CPU count and strategy' },
    durationMs: { kind: 'number', flag: 'duration-ms', min: 1, doc: 'measured window, ms of virtual time' },
    warmupMs: { kind: 'number', flag: 'warmup-ms', min: 0, doc: 'warm-up before the window, ms of virtual time' },
    engine: ENGINE_AXIS,
    competitor: { kind: 'names', flag: 'competitor', choices: COMPETITORS, doc: 'what competes for each PCPU (one): guest, smp or bare' },
    sensitivity: { kind: 'boolean', flag: 'sensitivity', doc: 'the sensitivity sweep instead of the main one' },
    timeline: { kind: 'boolean', doc: 'write timeline.svg (two more runs of their own, around one lock-holder preemption)' },
    sensitivityAxes: { kind: 'names', flag: 'sensitivity-axes', choices: SENSITIVITY.map((a) => a.name), doc: 'the parameters the sensitivity sweep moves' },
    sensitivitySeeds: { kind: 'seeds', flag: 'sensitivity-seeds', doc: 'seeds of each sensitivity point and strategy' },
    sensitivityMs: { kind: 'number', flag: 'sensitivity-ms', min: 1, doc: 'measured window of the sensitivity runs, ms of virtual time' },
  },
  presets: {
    full: { cpus: [2, 3, 4], strategies: STRATEGIES.map((s) => s.name), seeds: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], durationMs: 1000, warmupMs: 100, engine: ENGINE_PRESET, ...REST },
    quick: { cpus: [2, 3, 4], strategies: STRATEGIES.map((s) => s.name), seeds: [1], durationMs: 150, warmupMs: 50, engine: ENGINE_PRESET, ...REST, timeline: false, sensitivitySeeds: [1], sensitivityMs: 100 },
  },
  plan(p) {
    const runs: { key: string; spec: LhpSpec }[] = [];
    const engine = engineOf(p);
    if (sensitive(p)) return sensitivityPlan(p, engine);
    const competitor = competitorOf(p);
    for (const cpus of p.cpus as number[]) for (const s of p.strategies as string[]) for (const seed of p.seeds as number[]) {
      runs.push({ key: `cpus=${cpus} strategy=${s} seed=${seed}`, spec: { cpus, strategy: s, seed, durationMs: p.durationMs as number, warmupMs: p.warmupMs as number, competitor, engine } });
    }
    return runs;
  },
  // Measured: about 0.11 s + 0.70 s x CPUs of CPU per second of virtual time, for every strategy: the
  // native baseline has no competitors to run, but its guest does twice the work in the same virtual time.
  cost: (s) => (s.durationMs + s.warmupMs) * (0.15 + 0.7 * s.cpus),
  runOne: (s) => underEngine(s.engine, () => {
    const r = runOne({
      cpus: s.cpus, strategy: strategy(s.strategy), seed: s.seed, duration: s.durationMs * CYCLES_PER_MS, warmup: s.warmupMs * CYCLES_PER_MS,
      competitor: s.competitor, ...knobOptions(s.knobs),
    });
    return s.point === undefined ? r : { ...r, point: s.point };
  }),
  report(p, runs, provenance) {
    const r = sweepResult(p, runs);
    if (sensitive(p)) return { table: sensitivityTable(r), files: sensitivityFiles(r, provenance), summary: lhpSummary(r) };
    const timeline = p.timeline === true ? timelineFigure() : undefined;
    return { table: lhpTable(r), files: [...lhpFiles(r, provenance), ...(timeline ? [['timeline.svg', timeline] as [string, string]] : [])], summary: lhpSummary(r) };
  },
});
