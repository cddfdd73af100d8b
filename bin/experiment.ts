/**
 * `paravm experiment NAME [--quick] [--out DIR]`: runs one of the sweeps of
 * bench/experiments/, prints its table on stdout, writes its results.json
 * and figures into the output directory, and says what it wrote on stderr.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { EXPERIMENTS, experiment } from '../bench/experiments/index.ts';
import { InputError, UsageError, err, reason, writeOutput } from './common.ts';

export const EXPERIMENT_FLAGS = {
  quick: { type: 'boolean' },
  out: { type: 'string' },
} as const;

export interface ExperimentArgs { values: { quick?: boolean | undefined; out?: string | undefined }; positionals: string[] }

/** A progress bar on stderr, only on a terminal. */
export function progressBar(done: number, total: number): void {
  if (!process.stderr.isTTY) return;
  const w = 30;
  const fill = Math.round((done / total) * w);
  process.stderr.write(`\r  [${'='.repeat(fill)}${' '.repeat(w - fill)}] ${done}/${total}${done === total ? '\n' : ''}`);
}

/** The output directory, created. */
function outDir(out: string): string {
  try {
    mkdirSync(out, { recursive: true });
  } catch (e) {
    throw new InputError(`cannot create ${out}: ${reason(e)}`);
  }
  return out;
}

export function cmdExperiment(a: ExperimentArgs): number {
  const [name] = a.positionals;
  const exp = name === undefined ? undefined : experiment(name);
  if (!exp) throw new UsageError(`experiment: unknown experiment ${name ?? '(none)'}; available: ${Object.keys(EXPERIMENTS).join(', ')}`);
  const out = outDir(a.values.out ?? exp.defaultOut);
  const quick = Boolean(a.values.quick);
  const t0 = performance.now();
  err(`paravm experiment ${name}${quick ? ' --quick' : ''}: ${exp.intro}`);
  const r = exp.run({ quick, progress: progressBar });
  process.stdout.write(`${r.table}\n`);
  for (const [file, text] of r.files) writeOutput(join(out, file), text);
  err(`paravm: ${r.summary} in ${((performance.now() - t0) / 1000).toFixed(0)} s; wrote ${r.files.map(([f]) => join(out, f)).join(', ')}`);
  return 0;
}
