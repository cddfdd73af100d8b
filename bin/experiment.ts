/**
 * `paravm experiment NAME [--quick] [--out DIR]`: the experiment sweeps,
 * one file each (bin/experiment-NAME.ts over bench/experiments/NAME.ts).
 * This file holds what they share: the flags, the output directory and the
 * progress bar.
 */
import { mkdirSync } from 'node:fs';
import { InputError, UsageError, reason } from './common.ts';
import { experimentBalloon } from './experiment-balloon.ts';
import { experimentLhp } from './experiment-lhp.ts';

export const EXPERIMENT_FLAGS = {
  quick: { type: 'boolean' },
  out: { type: 'string' },
} as const;

export interface ExperimentArgs { values: { quick?: boolean | undefined; out?: string | undefined }; positionals: string[] }

const EXPERIMENTS: Readonly<Record<string, (a: ExperimentArgs) => number>> = {
  balloon: experimentBalloon,
  lhp: experimentLhp,
};

/** A progress bar on stderr, only on a terminal. */
export function progressBar(done: number, total: number): void {
  if (!process.stderr.isTTY) return;
  const w = 30;
  const fill = Math.round((done / total) * w);
  process.stderr.write(`\r  [${'='.repeat(fill)}${' '.repeat(w - fill)}] ${done}/${total}${done === total ? '\n' : ''}`);
}

/** The output directory (--out, else `fallback`), created. */
export function outDir(a: ExperimentArgs, fallback: string): string {
  const out = a.values.out ?? fallback;
  try {
    mkdirSync(out, { recursive: true });
  } catch (e) {
    throw new InputError(`cannot create ${out}: ${reason(e)}`);
  }
  return out;
}

export function cmdExperiment(a: ExperimentArgs): number {
  const [name] = a.positionals;
  const run = name === undefined ? undefined : EXPERIMENTS[name];
  if (!run) throw new UsageError(`experiment: unknown experiment ${name ?? '(none)'}; available: ${Object.keys(EXPERIMENTS).join(', ')}`);
  return run(a);
}
