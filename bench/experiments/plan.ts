/**
 * A sweep's plan: its runs in order, each with a key naming its parameters,
 * and a hash of the experiment, parameters and runs that every partial and
 * results.json records, so shards of different plans cannot be merged.
 * Shards are deterministic slices: run i belongs to shard (i mod N) + 1,
 * which spreads the expensive runs (the plan groups them) over all shards.
 * Callers: engine.ts, merge.ts, the command line (--list).
 */
import { createHash } from 'node:crypto';
import { formatParams, SweepInputError, type Params } from './axes.ts';

export interface PlannedRun<S = unknown> {
  /** Position in the plan: results are merged in this order. */
  index: number;
  /** The run's parameters in words, unique in the plan ("cpus=2 strategy=none seed=1"). */
  key: string;
  spec: S;
}

export interface Plan<S = unknown> {
  experiment: string;
  params: Params;
  runs: PlannedRun<S>[];
  /** 12 hex digits of SHA-256 over the experiment, parameters and runs. */
  hash: string;
}

/** Shard `index` (1-based) of `count`. */
export interface Shard { index: number; count: number }

export function makePlan<S>(experiment: string, params: Params, runs: readonly { key: string; spec: S }[]): Plan<S> {
  const keys = new Set<string>();
  for (const r of runs) {
    if (keys.has(r.key)) throw new Error(`plan of ${experiment}: run ${r.key} twice`);
    keys.add(r.key);
  }
  const hash = createHash('sha256').update(JSON.stringify([experiment, params, runs])).digest('hex').slice(0, 12);
  return { experiment, params, runs: runs.map((r, index) => ({ index, ...r })), hash };
}

/** "I/N" with 1 <= I <= N; a malformed spec is a one-line error. */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const [index, count] = m ? [Number(m[1]), Number(m[2])] : [NaN, NaN];
  if (!m || count < 1 || index < 1 || index > count) {
    throw new SweepInputError(`--shard: expected I/N with 1 <= I <= N (such as 2/8), got ${JSON.stringify(text)}`);
  }
  return { index, count };
}

export const shardName = (s: Shard): string => `${s.index}/${s.count}`;

/** Whether run `index` belongs to shard `s` (every run belongs to exactly one shard of a count). */
export const inShard = (index: number, s: Shard | undefined): boolean => s === undefined || index % s.count === s.index - 1;

/** What --list prints: the plan's header and one line per run (of the shard, if one is given). */
export function formatPlan(plan: Plan, shard?: Shard): string {
  const runs = plan.runs.filter((r) => inShard(r.index, shard));
  const head = `${plan.experiment}: plan ${plan.hash}, ${plan.runs.length} runs${shard ? `; shard ${shardName(shard)}: ${runs.length} runs` : ''}`;
  return [head, `parameters: ${formatParams(plan.params)}`, ...runs.map((r) => `${String(r.index + 1).padStart(5)}  ${r.key}`)].join('\n');
}
