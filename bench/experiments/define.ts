/**
 * What an experiment declares (each folder's experiment.ts): its axes and
 * presets, how parameters become a plan of runs, one run (in a worker
 * thread), and the report from the finished runs in plan order. The engine
 * (plan, pool, shards, merge, resume) knows experiments only through this.
 */
import type { Axes, Params } from './axes.ts';
import type { Provenance } from './provenance.ts';

/** A finished sweep as the command line shows and writes it. */
export interface ExperimentReport {
  /** The table printed on stdout (the engine puts the provenance line above it). */
  table: string;
  /** Files written into the output directory, in order: [name, contents]; results.json records the provenance. */
  files: [string, string][];
  /** One line on what ran (run count, measured time, seeds). */
  summary: string;
}

export interface ExperimentDef<S = unknown, R = unknown> {
  /** What the experiment does, for the line printed before it runs. */
  readonly intro: string;
  /** Output directory when none is given. */
  readonly defaultOut: string;
  readonly axes: Axes;
  /** Named parameter sets; `full` is the default, `quick` is --quick. */
  readonly presets: { readonly full: Params; readonly quick: Params };
  /** The runs in plan order, each with a key naming its parameters (JSON-able specs: they travel to workers and into partials). */
  plan(p: Params): { key: string; spec: S }[];
  /**
   * A run's relative cost, if it can be told in advance: the pool starts the
   * costliest runs first (longest-processing-time order), so that no worker
   * is left with a long run while the others idle at the end. Only the
   * order of dispatch changes; results are still reported in plan order.
   */
  cost?(spec: S): number;
  /** One run; deterministic: the same spec gives the same result in any thread. */
  runOne(spec: S): R;
  /** The report from every run's result, in plan order. */
  report(p: Params, results: R[], provenance: Provenance): ExperimentReport;
}

/** An experiment with its types erased, as the registry holds it. */
export type Experiment = ExperimentDef<unknown, unknown>;

export const defineExperiment = <S, R>(d: ExperimentDef<S, R>): Experiment => d as unknown as Experiment;
