/**
 * The experiments by name. The command line (through index.ts) and the
 * worker threads (worker.ts) look experiments up here.
 */
import type { Experiment } from './define.ts';
import { balloon } from './balloon/experiment.ts';
import { lhp } from './lhp/experiment.ts';
import { steady } from './balloon/steady-experiment.ts';

export const EXPERIMENTS = { balloon, lhp, steady } as const satisfies Record<string, Experiment>;

export type ExperimentName = keyof typeof EXPERIMENTS;

/** The experiment called `name`, or undefined (own keys only: 'constructor' is no experiment). */
export function experiment(name: string): Experiment | undefined {
  return Object.hasOwn(EXPERIMENTS, name) ? EXPERIMENTS[name as ExperimentName] : undefined;
}

/** The experiment called `name`; an unknown name is a programming error here (the command line checks names first). */
export function experimentDef(name: string): Experiment {
  const e = experiment(name);
  if (!e) throw new Error(`no experiment ${name}`);
  return e;
}
