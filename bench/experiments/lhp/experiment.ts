/**
 * The lock-holder-preemption sweep as the engine sees it: its axes (CPU
 * counts, strategies, seeds, the measured window), the quick and full
 * presets, the plan (CPUs x strategies x seeds, in that order) and the
 * report from the finished runs. One run is runOne in sweep.ts.
 */
import { CYCLES_PER_MS } from '../../../isa/clock.ts';
import type { Params } from '../axes.ts';
import { defineExperiment } from '../define.ts';
import { runOne, STRATEGIES, strategy, type LhpRun } from './sweep.ts';
import { summarize, type SweepResult } from './cells.ts';
import { lhpFiles, lhpSummary, lhpTable } from './report.ts';
import { ENGINE_AXIS, ENGINE_PRESET, engineOf, underEngine } from '../cpu-engine.ts';
import type { Engine } from '../../../hypervisor/index.ts';

/** One run's parameters, as it travels to a worker and into a partial. */
export interface LhpSpec { cpus: number; strategy: string; seed: number; durationMs: number; warmupMs: number; engine?: Engine }

const sweepResult = (p: Params, runs: LhpRun[]): SweepResult => ({
  durationMs: p.durationMs as number, warmupMs: p.warmupMs as number, seeds: p.seeds as number[], cpus: p.cpus as number[],
  runs, cells: summarize(runs),
});

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
  },
  presets: {
    full: { cpus: [2, 3, 4], strategies: STRATEGIES.map((s) => s.name), seeds: [1, 2, 3], durationMs: 1000, warmupMs: 100, engine: ENGINE_PRESET },
    quick: { cpus: [2, 3, 4], strategies: STRATEGIES.map((s) => s.name), seeds: [1], durationMs: 150, warmupMs: 50, engine: ENGINE_PRESET },
  },
  plan(p) {
    const runs: { key: string; spec: LhpSpec }[] = [];
    const engine = engineOf(p);
    for (const cpus of p.cpus as number[]) for (const s of p.strategies as string[]) for (const seed of p.seeds as number[]) {
      runs.push({ key: `cpus=${cpus} strategy=${s} seed=${seed}`, spec: { cpus, strategy: s, seed, durationMs: p.durationMs as number, warmupMs: p.warmupMs as number, engine } });
    }
    return runs;
  },
  // Measured: about 0.11 s + 0.70 s x CPUs of CPU per second of virtual time, for every strategy: the
  // native baseline has no competitors to run, but its guest does twice the work in the same virtual time.
  cost: (s) => (s.durationMs + s.warmupMs) * (0.15 + 0.7 * s.cpus),
  runOne: (s) => underEngine(s.engine, () => runOne({ cpus: s.cpus, strategy: strategy(s.strategy), seed: s.seed, duration: s.durationMs * CYCLES_PER_MS, warmup: s.warmupMs * CYCLES_PER_MS })),
  report(p, runs, provenance) {
    const r = sweepResult(p, runs);
    return { table: lhpTable(r), files: lhpFiles(r, provenance), summary: lhpSummary(r) };
  },
});
