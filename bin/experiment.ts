/**
 * `paravm experiment NAME [flags]` and `paravm experiment merge DIR...`:
 * runs one of the sweeps of bench/experiments/ on worker threads (or one
 * shard of it), prints its table on stdout, writes its results.json and
 * figures into the output directory, and says what it wrote on stderr;
 * merges shards into the same output. Progress goes to stderr: a bar on a
 * terminal, a line per finished run elsewhere. Ctrl-C keeps finished runs
 * and prints the command that resumes.
 */
import { availableParallelism } from 'node:os';
import {
  EXPERIMENTS, experiment, formatPlan, mergeShards, parseShard, planFor, progressBar, progressLine, readSweepFile, resolveParams,
  runSweep, shardOut, SweepInputError, SweepStopped, Interrupted, type Experiment, type Params, type Progress, type Shard,
} from '../bench/experiments/index.ts';
import { UsageError, type FlagValues } from './args.ts';
import { InputError, err, positiveInt } from './common.ts';
import { EXIT } from './usage.ts';

type ExperimentValues = FlagValues<'experiment'>;
type FlagName = keyof ExperimentValues;

/** Exit status of a sweep stopped by Ctrl-C (128 + SIGINT, as shells report it). */
const EXIT_INTERRUPTED = 130;

/** A flag's text; a boolean axis flag given on its own (--sensitivity) reads as 'true'. */
const str = (v: string | boolean | undefined): string | undefined => (typeof v === 'string' ? v : v === true ? 'true' : undefined);

/** The parameters: preset (--quick, or the sweep file's), then the sweep file, then the axis flags. */
function paramsOf(name: string, exp: Experiment, v: ExperimentValues): Params {
  const own = new Set(Object.values(exp.axes).map((a) => a.flag));
  for (const flag of axisFlags()) {
    if (v[flag as FlagName] !== undefined && !own.has(flag)) {
      throw new UsageError(`experiment ${name}: --${flag} does not apply (its axes: ${[...own].filter(Boolean).map((f) => `--${f}`).join(', ')})`);
    }
  }
  const path = str(v.sweep);
  const file = path === undefined ? undefined : readSweepFile(path, exp.axes, Object.keys(exp.presets));
  if (file?.experiment !== undefined && file.experiment !== name) throw new SweepInputError(`sweep file ${path}: field "experiment" is ${file.experiment}, not ${name}`);
  const preset = v.quick ? 'quick' : (file?.preset ?? 'full');
  const flags = Object.fromEntries(axisFlags().map((f) => [f, str(v[f as FlagName])]));
  return resolveParams(exp.axes, exp.presets[preset as 'full' | 'quick'], file, path ?? '', flags);
}

/** Every axis flag of any experiment. */
const axisFlags = (): string[] => [...new Set(Object.values(EXPERIMENTS).flatMap((e) => Object.values(e.axes).map((a) => a.flag).filter((f): f is string => f !== undefined)))];

/** The command line that continues a stopped sweep. */
function resumeCommand(name: string, v: ExperimentValues, out: string): string {
  const words = ['paravm', 'experiment', name];
  for (const [k, x] of Object.entries(v)) {
    if (x === undefined || x === false || k === 'out' || k === 'resume') continue;
    words.push(`--${k}`, ...(x === true ? [] : [quote(String(x))]));
  }
  return [...words, '--out', quote(out), '--resume'].join(' ');
}

const quote = (s: string): string => (/^[\w./:,=@+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** Progress on stderr: a bar on a terminal, a line per finished run elsewhere. */
function reporter(): (p: Progress) => void {
  const tty = Boolean(process.stderr.isTTY);
  return (p) => {
    if (tty) process.stderr.write(`${progressBar(p)}${p.done === p.total ? '\n' : ''}`);
    else if (p.key !== undefined) err(progressLine(p));
    else if (p.resumed > 0) err(`paravm: ${p.resumed} of ${p.total} runs already done`);
  };
}

/**
 * Ctrl-C, or SIGTERM (what Slurm and Kubernetes send to a cancelled task),
 * aborts the sweep once; a second signal is Node's default (exit at once).
 */
function interruptible(): { signal: AbortSignal; done: () => void } {
  const ac = new AbortController();
  const signals = ['SIGINT', 'SIGTERM'] as const;
  const done = (): void => { for (const s of signals) process.off(s, onSignal); };
  const onSignal = (): void => { done(); ac.abort(); };
  for (const s of signals) process.on(s, onSignal);
  return { signal: ac.signal, done };
}

async function sweep(name: string, exp: Experiment, v: ExperimentValues): Promise<number> {
  const params = paramsOf(name, exp, v);
  const shard: Shard | undefined = str(v.shard) === undefined ? undefined : parseShard(str(v.shard)!);
  if (v.list) {
    process.stdout.write(`${formatPlan(planFor(name, params), shard)}\n`);
    return EXIT.OK;
  }
  const jobs = positiveInt('experiment', '--jobs', str(v.jobs)) ?? availableParallelism();
  const out = str(v.out) ?? (shard ? shardOut(exp.defaultOut, shard) : exp.defaultOut);
  const t0 = performance.now();
  err(`paravm experiment ${name}${v.quick ? ' --quick' : ''}${shard ? ` --shard ${shard.index}/${shard.count}` : ''}: ${exp.intro} (${jobs} worker${jobs > 1 ? 's' : ''})`);
  const stop = interruptible();
  try {
    const r = await runSweep({ experiment: name, params, out, jobs, shard, resume: Boolean(v.resume), signal: stop.signal, onProgress: reporter() });
    const secs = ((performance.now() - t0) / 1000).toFixed(0);
    if (r.report) process.stdout.write(`${r.report.table}\n`);
    const what = r.report ? r.report.summary : `shard ${shard!.index}/${shard!.count}: ${r.ran + r.reused} of ${r.plan.runs.length} runs`;
    err(`paravm: ${what} in ${secs} s${r.reused > 0 ? ` (${r.reused} resumed)` : ''}; wrote ${r.written.join(', ')}`);
    if (!r.report) err(`paravm: when every shard is done: paravm experiment merge DIR... (one DIR per shard, this one ${out})`);
    return EXIT.OK;
  } catch (e) {
    if (!(e instanceof SweepStopped)) throw e;
    const how = `resume with: ${resumeCommand(name, v, out)}`;
    if (e.reason instanceof Interrupted) {
      err(`\nparavm: interrupted; ${e.kept} of ${e.total} runs finished and kept in ${out}; ${how}`);
      return EXIT_INTERRUPTED;
    }
    err(`\nparavm: ${e.message}\nparavm: ${e.kept} of ${e.total} runs finished and kept in ${out}; after a fix, ${how}`);
    return EXIT.GUEST_FAULT;
  } finally {
    stop.done();
  }
}

function merge(dirs: string[], v: ExperimentValues): number {
  const r = mergeShards(dirs, str(v.out));
  process.stdout.write(`${r.report.table}\n`);
  err(`paravm: merged ${dirs.length} shard${dirs.length > 1 ? 's' : ''}: ${r.report.summary}; wrote ${r.written.join(', ')}`);
  return EXIT.OK;
}

export async function cmdExperiment(values: ExperimentValues, positionals: string[]): Promise<number> {
  const [name, ...rest] = positionals;
  try {
    if (name === 'merge') return merge(rest, values);
    const exp = name === undefined ? undefined : experiment(name);
    if (!exp) throw new UsageError(`experiment: unknown experiment ${name ?? '(none)'}; available: ${Object.keys(EXPERIMENTS).join(', ')}`);
    if (rest.length > 0) throw new UsageError(`experiment ${name}: unexpected argument ${rest[0]}`);
    return await sweep(name!, exp, values);
  } catch (e) {
    if (e instanceof SweepInputError) throw new InputError(e.message);
    throw e;
  }
}
