/**
 * The worker thread's entry (pool.ts starts it; bin/build.js bundles it as
 * dist/experiment-worker.mjs): one run of an experiment per task. The
 * experiments' modules, and their image caches, live as long as the worker.
 */
import { experimentDef } from './registry.ts';

export interface Task { experiment: string; spec: unknown }

export default function runTask(t: Task): unknown {
  return experimentDef(t.experiment).runOne(t.spec);
}
