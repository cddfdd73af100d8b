/**
 * The experiments' front door: each experiment is a folder with its sweep
 * (runs and their summary) and its report (table, results.json, figures).
 * The command line runs one by name and writes what the report returns.
 */
import type { SweepOptions } from './summary.ts';
import { sweep as lhpSweep } from './lhp/sweep.ts';
import { lhpFiles, lhpSummary, lhpTable } from './lhp/report.ts';
import { sweep as balloonSweep } from './balloon/sweep.ts';
import { balloonFiles, balloonSummary, table as balloonTable } from './balloon/report.ts';

/** A finished sweep as the command line shows and writes it. */
export interface ExperimentReport {
  /** The table printed on stdout. */
  table: string;
  /** Files written into the output directory, in order: [name, contents]. */
  files: [string, string][];
  /** One line on what ran (run count, measured time, seeds). */
  summary: string;
}

export interface Experiment {
  /** What the experiment does, for the line printed before it runs. */
  readonly intro: string;
  /** Output directory when none is given. */
  readonly defaultOut: string;
  run(o: SweepOptions): ExperimentReport;
}

export const EXPERIMENTS = {
  balloon: {
    intro: 'runs the guest kernel with unequal VCPU shares',
    defaultOut: 'experiment-balloon',
    run: (o) => { const r = balloonSweep(o); return { table: balloonTable(r), files: balloonFiles(r), summary: balloonSummary(r) }; },
  },
  lhp: {
    intro: 'the web server under each lock-holder-preemption remedy',
    defaultOut: 'experiment-lhp',
    run: (o) => { const r = lhpSweep(o); return { table: lhpTable(r), files: lhpFiles(r), summary: lhpSummary(r) }; },
  },
} as const satisfies Record<string, Experiment>;

export type ExperimentName = keyof typeof EXPERIMENTS;

/** The experiment called `name`, or undefined (own keys only: 'constructor' is no experiment). */
export function experiment(name: string): Experiment | undefined {
  return Object.hasOwn(EXPERIMENTS, name) ? EXPERIMENTS[name as ExperimentName] : undefined;
}
