/**
 * `paravm experiment merge DIR...`: the partials of a sharded sweep (each
 * DIR/runs.json) into the sweep's report, byte for byte what the unsharded
 * sweep writes. Refuses, naming the difference, shards of different sweeps
 * (experiment, paravm version, commit, Node, plan hash, parameters), a plan
 * this paravm would not make from those parameters, and a shard missing or
 * given twice. Callers: the command line, the tests.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SweepInputError } from './axes.ts';
import type { ExperimentReport } from './define.ts';
import { planFor, reportFor, writeReport } from './engine.ts';
import { inShard, type Plan } from './plan.ts';
import type { Provenance } from './provenance.ts';
import { experimentDef } from './registry.ts';
import { readPartial, writePartial, type Partial, type RunRecord } from './store.ts';

export interface MergeOutcome { plan: Plan; provenance: Provenance; report: ExperimentReport; written: string[] }

const COMPARED = ['experiment', 'paravm', 'commit', 'modified', 'node', 'planHash', 'params'] as const satisfies readonly (keyof Provenance)[];

function load(dir: string): Partial {
  const p = readPartial(dir);
  if (!p) throw new SweepInputError(`merge: ${dir} has no runs.json (a shard that has not finished, or not a sweep's output)`);
  return p;
}

/** The first field in which two partials' provenance differs, in words. */
function difference(a: Partial, b: Partial): string | undefined {
  for (const k of COMPARED) {
    const [x, y] = [JSON.stringify(a.provenance[k]), JSON.stringify(b.provenance[k])];
    if (x !== y) return `${k} ${x} vs ${y}`;
  }
  const [x, y] = [a.shard?.count ?? 1, b.shard?.count ?? 1];
  return x === y ? undefined : `shard count ${x} vs ${y}`;
}

/** Every shard of the count given once: otherwise which is missing or doubled. */
function checkCover(parts: [string, Partial][], plan: Plan): void {
  const count = parts[0]![1].shard?.count ?? 1;
  const seen = new Map<number, string>();
  for (const [dir, p] of parts) {
    const i = p.shard?.index ?? 1;
    if (seen.has(i)) throw new SweepInputError(`merge: shard ${i}/${count} given twice (${seen.get(i)} and ${dir})`);
    seen.set(i, dir);
  }
  const missing = Array.from({ length: count }, (_, k) => k + 1).filter((i) => !seen.has(i));
  if (missing.length > 0) {
    const first = plan.runs.find((r) => inShard(r.index, { index: missing[0]!, count }))!;
    throw new SweepInputError(`merge: missing shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${count}`).join(', ')} (runs such as ${first.key})`);
  }
}

/** The runs of all partials in plan order; a run absent from its shard is named. */
function gather(parts: [string, Partial][], plan: Plan): RunRecord[] {
  const byIndex = new Map<number, RunRecord>();
  for (const [, p] of parts) for (const r of p.runs) byIndex.set(r.index, r);
  return plan.runs.map((r) => {
    const got = byIndex.get(r.index);
    if (!got || got.key !== r.key) throw new SweepInputError(`merge: run ${r.key} (${r.index + 1} of the plan) is in no shard`);
    return got;
  });
}

/** Merge into `out` (default: the experiment's own output directory). */
export function mergeShards(dirs: readonly string[], out?: string): MergeOutcome {
  if (dirs.length === 0) throw new SweepInputError('merge: no shard directories given');
  const parts = dirs.map((d): [string, Partial] => [d, load(d)]);
  const [dir0, first] = parts[0]!;
  for (const [dir, p] of parts.slice(1)) {
    const d = difference(first, p);
    if (d) throw new SweepInputError(`merge: ${dir} is not a shard of the same sweep as ${dir0}: ${d}`);
  }
  const prov = first.provenance;
  const plan = planFor(prov.experiment, prov.params);
  if (plan.hash !== prov.planHash) {
    throw new SweepInputError(`merge: the shards' plan ${prov.planHash} is not the plan this paravm makes of their parameters (${plan.hash}); merge with the paravm that ran them`);
  }
  checkCover(parts, plan);
  const records = gather(parts, plan);
  const report = reportFor(experimentDef(prov.experiment), prov, records.map((r) => r.result));
  const dest = out ?? experimentDef(prov.experiment).defaultOut;
  mkdirSync(dest, { recursive: true });
  writePartial(dest, { format: 'paravm-runs/1', provenance: prov, shard: null, runs: records });
  return { plan, provenance: prov, report, written: [...writeReport(dest, report), join(dest, 'runs.json')] };
}
