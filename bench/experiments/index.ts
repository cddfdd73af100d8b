/**
 * The experiments' front door. Each experiment is a folder: its runs
 * (sweep.ts), its axes, presets and plan (experiment.ts) and its report
 * (report.ts). The engine around them: parameters from axes (axes.ts), the
 * plan and its shards (plan.ts), worker threads (pool.ts, worker.ts), the
 * output directory as the record of finished runs (store.ts), the sweep
 * (engine.ts), merging shards (merge.ts), provenance and progress. The
 * command line (bin/experiment.ts) uses only this file.
 */
export { EXPERIMENTS, experiment, type ExperimentName } from './registry.ts';
export type { Experiment, ExperimentReport } from './define.ts';
export { readSweepFile, resolveParams, formatParams, SweepInputError, type Axes, type Axis, type Params, type SweepFile } from './axes.ts';
export { formatPlan, parseShard, shardName, type Plan, type PlannedRun, type Shard } from './plan.ts';
export { costliestFirst, planFor, runSweep, shardOut, SweepStopped, type SweepOutcome, type SweepRequest } from './engine.ts';
export { mergeShards, type MergeOutcome } from './merge.ts';
export { Interrupted, RunFailed } from './pool.ts';
export { progressBar, progressLine, type Progress } from './progress.ts';
export { buildInfo, isOwnCheckout, type Provenance } from './provenance.ts';
