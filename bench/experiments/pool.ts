/**
 * Runs a plan's runs on worker threads (tinypool), at most `jobs` at a time.
 * Each worker loads the experiments once and keeps its assembled images
 * (guest-kernel/loader/cache.ts), so only the first run of each worker assembles.
 * Results are handed back as each run finishes, in any order; the engine
 * stores them by plan index, which is what makes the output independent of
 * the number of workers. An abort terminates the workers at once; a failed
 * run stops new runs from starting, lets the running ones finish (their
 * results are kept) and is reported with the run's parameters.
 * Caller: engine.ts. The worker module is worker.ts.
 */
import Tinypool from 'tinypool';
import type { PlannedRun } from './plan.ts';

/** A run threw (or its worker died): `key` names its parameters. */
export class RunFailed extends Error {
  constructor(readonly key: string, cause: unknown) {
    super(`run ${key} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** The sweep was stopped (Ctrl-C) before every run finished. */
export class Interrupted extends Error {}

/**
 * The worker module: beside the bundle when running from dist/ (bin/build.js
 * builds it), else the sources through tsx's loader (vitest, tsx).
 */
function workerFile(): string {
  const here = import.meta.url;
  return new URL(here.endsWith('.ts') ? './worker-source.mjs' : './experiment-worker.mjs', here).href;
}

export interface PoolRequest {
  experiment: string;
  runs: readonly PlannedRun[];
  jobs: number;
  signal?: AbortSignal;
  /** Called in the main thread as each run finishes. */
  onResult: (run: PlannedRun, result: unknown) => void;
}

export async function runPool(o: PoolRequest): Promise<void> {
  if (o.runs.length === 0) return;
  const jobs = Math.max(1, Math.min(o.jobs, o.runs.length));
  const pool = new Tinypool({ filename: workerFile(), minThreads: jobs, maxThreads: jobs });
  const queue = [...o.runs];
  let failure: RunFailed | undefined;
  const stopped = (): boolean => failure !== undefined || Boolean(o.signal?.aborted);
  // One lane per worker, each with one run in flight: nothing waits in tinypool's queue, so stopping is immediate.
  const lane = async (): Promise<void> => {
    for (let r = queue.shift(); r && !stopped(); r = queue.shift()) {
      let result: unknown;
      try {
        result = await pool.run({ experiment: o.experiment, spec: r.spec }, o.signal ? { signal: o.signal } : {});
      } catch (e) {
        if (!o.signal?.aborted) failure ??= new RunFailed(r.key, e);
        return;
      }
      o.onResult(r, result);
    }
  };
  try {
    await Promise.all(Array.from({ length: jobs }, lane));
  } finally {
    await pool.destroy();
  }
  if (o.signal?.aborted) throw new Interrupted('interrupted');
  if (failure) throw failure;
}
