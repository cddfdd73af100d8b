/**
 * Which run a worker takes next. Runs are offered costliest first (the order
 * the engine hands in); on top of that, runs with the same affinity key
 * (the experiment's affinity(), e.g. the LHP strategy) stay on one worker
 * where they can. Why: each worker thread is its own V8 isolate, and V8
 * optimizes the hypervisor's run loop for the code paths it has seen; a run
 * of a strategy the worker has not run yet reaches new paths, throws the
 * optimized code away and has it compiled again. With every worker seeing
 * every strategy, each pays that whole first pass over the strategies; two
 * workers that split them pay less of it, and their recompilation competes
 * less with the runs for the same cores. bench/isolate-cost.ts measures the
 * deoptimizations and compile time of each worker's share both ways.
 *
 * take(lane): the first queued run whose key the lane has claimed; else the
 * first run whose key no lane has claimed (the lane claims it); else the
 * first queued run (the lane helps with another's key at the end of the
 * sweep, so no worker idles while runs are left). Only the assignment of
 * runs to workers changes: every run gives the same result in any thread.
 * Caller: pool.ts.
 */
import type { PlannedRun } from './plan.ts';

export class AffinityQueue {
  private readonly queue: PlannedRun[];
  /** The lane that claimed each key. */
  private readonly owner = new Map<string, number>();

  constructor(runs: readonly PlannedRun[], private readonly key: ((run: PlannedRun) => string) | undefined) {
    this.queue = [...runs];
  }

  get length(): number { return this.queue.length; }

  take(lane: number): PlannedRun | undefined {
    if (!this.key) return this.queue.shift();
    const at = this.find((k) => this.owner.get(k) === lane) ?? this.find((k) => !this.owner.has(k)) ?? 0;
    const run = this.queue.splice(at, 1)[0];
    if (run && !this.owner.has(this.key(run))) this.owner.set(this.key(run), lane);
    return run;
  }

  /** The position of the first queued run whose key passes `ok`. */
  private find(ok: (key: string) => boolean): number | undefined {
    const i = this.queue.findIndex((r) => ok(this.key!(r)));
    return i < 0 ? undefined : i;
  }
}
