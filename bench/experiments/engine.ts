/**
 * One sweep, start to finish: the plan from the parameters, the runs of
 * this shard not already in the output directory (--resume) on the worker
 * pool, each result stored as it arrives, then the partial (runs.json) and,
 * when the partial covers the whole plan, the report: table, results.json
 * and figures. Results are put in plan order before anything reads them, so
 * every output is the same for any number of workers and any sharding.
 * Callers: the command line (`paravm experiment NAME`), the tests.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SweepInputError, type Params } from './axes.ts';
import type { Experiment, ExperimentReport } from './define.ts';
import { inShard, makePlan, shardName, type Plan, type PlannedRun, type Shard } from './plan.ts';
import { Interrupted, RunFailed, runPool } from './pool.ts';
import type { Progress } from './progress.ts';
import { provenance, provenanceLine, type Provenance } from './provenance.ts';
import { experimentDef } from './registry.ts';
import { clearRuns, decode, dropRunFiles, encode, readPartial, readRuns, writeAtomic, writePartial, writeRun, type RunRecord } from './store.ts';

export interface SweepRequest {
  experiment: string;
  params: Params;
  /** The output directory: finished runs, the partial, the report. */
  out: string;
  /** Worker threads. */
  jobs: number;
  shard?: Shard;
  /** Keep the runs already in `out` (they must be of the same plan). */
  resume?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
}

export interface SweepOutcome {
  plan: Plan;
  provenance: Provenance;
  /** Runs this process ran, and runs found done in `out`. */
  ran: number;
  reused: number;
  /** When the output covers the whole plan: the report (the table begins with the provenance line). */
  report?: ExperimentReport;
  /** Files written into `out`. */
  written: string[];
}

/** A sweep stopped before the end (Ctrl-C, or a run failed): every finished run is kept in `out`. */
export class SweepStopped extends Error {
  constructor(readonly reason: Interrupted | RunFailed, readonly kept: number, readonly total: number, readonly out: string) {
    super(reason.message);
  }
}

export function planFor(name: string, params: Params): Plan {
  const runs = experimentDef(name).plan(params);
  if (runs.length === 0) throw new SweepInputError(`${name}: the parameters give no runs`);
  return makePlan(name, params, runs);
}

/** The report with the provenance line above the table and in every figure; the results in plan order. */
export function reportFor(exp: Experiment, prov: Provenance, results: unknown[]): ExperimentReport {
  const r = exp.report(prov.params, results, prov);
  const line = provenanceLine(prov);
  return { ...r, table: `${line}\n${r.table}`, files: r.files.map(([f, text]) => [f, f.endsWith('.svg') ? svgWithProvenance(line, text) : text]) };
}

/** A figure that says where it came from, in an XML comment before the <svg> element (which may not contain "--"). */
const svgWithProvenance = (line: string, svg: string): string => `<!-- ${line.replace(/^# /, '').replace(/--/g, '- -')} -->\n${svg}`;

/** The report's files (and the partial already there), each written whole. */
export function writeReport(out: string, r: ExperimentReport): string[] {
  for (const [file, text] of r.files) writeAtomic(join(out, file), text);
  return r.files.map(([f]) => join(out, f));
}

/** The runs of this plan and shard that `out` already holds; runs of another plan or code are refused, not mixed in. */
function finished(out: string, plan: Plan, prov: Provenance, shard: Shard | undefined): Map<number, RunRecord> {
  const done = new Map<number, RunRecord>();
  const partial = readPartial(out);
  const other = (what: string): never => {
    throw new SweepInputError(`--resume: ${out} holds runs of ${what}; drop --resume to start afresh, or choose another --out`);
  };
  // Same plan and same code: a result of other code would not be this sweep's, however alike.
  const check = (planHash: string, paravm: string, commit: string | null): void => {
    if (planHash !== plan.hash) other(`another plan (${planHash}; this one is ${plan.hash})`);
    if (paravm !== prov.paravm || commit !== prov.commit) other(`paravm ${paravm} at commit ${commit ?? 'unknown'} (this is ${prov.paravm} at ${prov.commit ?? 'unknown'})`);
  };
  if (partial) {
    check(partial.provenance.planHash, partial.provenance.paravm, partial.provenance.commit);
    for (const r of partial.runs) done.set(r.index, r);
  }
  for (const r of readRuns(out)) {
    check(r.plan, r.paravm, r.commit);
    done.set(r.index, { index: r.index, key: r.key, result: r.result });
  }
  for (const [i, r] of done) if (!inShard(i, shard) || plan.runs[i]?.key !== r.key) done.delete(i);
  return done;
}

/** The runs in the order to start them: costliest first, ties in plan order (sort is stable). */
export function costliestFirst(exp: Experiment, runs: PlannedRun[]): PlannedRun[] {
  const cost = exp.cost;
  if (!cost) return runs;
  return runs.map((r) => ({ r, c: cost(r.spec) })).sort((a, b) => b.c - a.c).map(({ r }) => r);
}

export async function runSweep(req: SweepRequest): Promise<SweepOutcome> {
  const exp = experimentDef(req.experiment);
  const plan = planFor(req.experiment, req.params);
  const prov = provenance(req.experiment, plan.hash, plan.params);
  const mine = plan.runs.filter((r) => inShard(r.index, req.shard));
  mkdirSync(req.out, { recursive: true });
  const done = req.resume ? finished(req.out, plan, prov, req.shard) : new Map<number, RunRecord>();
  if (!req.resume) clearRuns(req.out);
  const resumed = done.size;
  const t0 = performance.now();
  const tell = (key?: string): void => req.onProgress?.({ done: done.size, total: mine.length, resumed, elapsedMs: performance.now() - t0, key });
  tell();
  const onResult = (run: PlannedRun, result: unknown): void => {
    // Stored as it will be read back, so a fresh, a resumed and a merged result report alike.
    const rec: RunRecord = { index: run.index, key: run.key, result: decode(encode(result)) };
    writeRun(req.out, { plan: plan.hash, paravm: prov.paravm, commit: prov.commit }, rec);
    done.set(run.index, rec);
    tell(run.key);
  };
  try {
    const todo = mine.filter((r) => !done.has(r.index));
    await runPool({ experiment: req.experiment, runs: costliestFirst(exp, todo), jobs: req.jobs, signal: req.signal, onResult });
  } catch (e) {
    if (e instanceof Interrupted || e instanceof RunFailed) throw new SweepStopped(e, done.size, mine.length, req.out);
    throw e;
  }
  const records = mine.map((r) => done.get(r.index)!);
  writePartial(req.out, { format: 'paravm-runs/1', provenance: prov, shard: req.shard && req.shard.count > 1 ? req.shard : null, runs: records });
  dropRunFiles(req.out);
  const outcome: SweepOutcome = { plan, provenance: prov, ran: mine.length - resumed, reused: resumed, written: [join(req.out, 'runs.json')] };
  if (mine.length < plan.runs.length) return outcome;
  const report = reportFor(exp, prov, records.map((r) => r.result));
  return { ...outcome, report, written: [...writeReport(req.out, report), ...outcome.written] };
}

/** What a shard's output is called by default: beside the experiment's own. */
export const shardOut = (base: string, s: Shard): string => `${base}-shard-${shardName(s).replace('/', '-of-')}`;
