/**
 * A sweep's output directory as the record of its finished runs. Each run
 * is written as it finishes (DIR/runs/N.json); a finished sweep or shard
 * gathers them into DIR/runs.json, its partial result, which --resume and
 * `paravm experiment merge` read. Every file is written to a temporary name
 * and renamed into place, so an interrupted sweep leaves whole files only.
 * The JSON keeps NaN, infinities and -0 (plain JSON would turn them into
 * null and 0), so a result read back reports exactly as the one computed.
 * Callers: engine.ts, merge.ts.
 */
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { SweepInputError } from './axes.ts';
import type { Shard } from './plan.ts';
import type { Provenance } from './provenance.ts';

export const PARTIAL_FILE = 'runs.json';
export const RUNS_DIR = 'runs';
const FORMAT = 'paravm-runs/1';

/** A finished run: its place in the plan, its key and its result. */
export interface RunRecord { index: number; key: string; result: unknown }

/** DIR/runs.json: the finished runs of a sweep or of one shard of it, in plan order. */
export interface Partial {
  format: typeof FORMAT;
  provenance: Provenance;
  shard: Shard | null;
  runs: RunRecord[];
}

const SPECIAL = new Map<string, number>([['NaN', NaN], ['Infinity', Infinity], ['-Infinity', -Infinity], ['-0', -0]]);

/** JSON with NaN, infinities and -0 written as {"$num": "NaN"} and so on. */
export function encode(v: unknown, indent?: number): string {
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'number' && (!Number.isFinite(x) || Object.is(x, -0)) ? { $num: Object.is(x, -0) ? '-0' : String(x) } : x), indent);
}

export function decode(text: string): unknown {
  return JSON.parse(text, (_k, x: unknown) => {
    if (typeof x === 'object' && x !== null && Object.keys(x).length === 1 && typeof (x as { $num?: unknown }).$num === 'string') return SPECIAL.get((x as { $num: string }).$num) ?? x;
    return x;
  });
}

/** Write by rename, so readers (and a resumed sweep) never see half a file. */
export function writeAtomic(path: string, data: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

export function writePartial(dir: string, p: Partial): void {
  mkdirSync(dir, { recursive: true });
  // One run per line keeps a large partial readable and diffable.
  const runs = p.runs.map((r) => encode(r)).join(',\n');
  writeAtomic(join(dir, PARTIAL_FILE), `{"format":${JSON.stringify(p.format)},"provenance":${encode(p.provenance)},"shard":${JSON.stringify(p.shard)},"runs":[\n${runs}\n]}\n`);
}

/** DIR/runs.json, or undefined when there is none; a damaged one is an error naming it. */
export function readPartial(dir: string): Partial | undefined {
  const path = join(dir, PARTIAL_FILE);
  if (!existsSync(path)) return undefined;
  let p: Partial;
  try {
    p = decode(readFileSync(path, 'utf8')) as Partial;
  } catch (e) {
    throw new SweepInputError(`${path}: not a paravm partial result (${(e as Error).message.split('\n')[0]})`);
  }
  if (p?.format !== FORMAT || !Array.isArray(p.runs) || typeof p.provenance !== 'object') {
    throw new SweepInputError(`${path}: not a paravm partial result (format ${JSON.stringify(p?.format)}, expected ${FORMAT})`);
  }
  return p;
}

/** What a run file says of the code and plan that made it, so --resume mixes no other. */
export interface RunStamp { plan: string; paravm: string; commit: string | null }

/** One finished run, written as it finishes. */
export function writeRun(dir: string, stamp: RunStamp, r: RunRecord): void {
  const runs = join(dir, RUNS_DIR);
  mkdirSync(runs, { recursive: true });
  writeAtomic(join(runs, `${r.index + 1}.json`), `${encode({ ...stamp, ...r })}\n`);
}

/** The runs written one by one (a sweep that did not finish), each with its stamp. */
export function readRuns(dir: string): (RunRecord & RunStamp)[] {
  const runs = join(dir, RUNS_DIR);
  if (!existsSync(runs)) return [];
  return readdirSync(runs).filter((f) => /^\d+\.json$/.test(f))
    .map((f) => decode(readFileSync(join(runs, f), 'utf8')) as RunRecord & RunStamp);
}

/** Forget what DIR held: a sweep started without --resume begins afresh. */
export function clearRuns(dir: string): void {
  rmSync(join(dir, RUNS_DIR), { recursive: true, force: true });
  rmSync(join(dir, PARTIAL_FILE), { force: true });
}

/** Once runs.json holds them, the one-by-one files go. */
export const dropRunFiles = (dir: string): void => rmSync(join(dir, RUNS_DIR), { recursive: true, force: true });
