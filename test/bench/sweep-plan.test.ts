/**
 * The sweep engine's pure parts: parameters from axes (flags, sweep files,
 * one-line errors naming the field), plans and their hashes, shards as a
 * partition of the plan, the store's JSON (NaN and -0 survive), progress
 * text, and the command line's flag table against the experiments' axes.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXPERIMENTS, formatPlan, parseShard, planFor, readSweepFile, resolveParams, SweepInputError, type Params } from '../../bench/experiments/index.ts';
import { inShard } from '../../bench/experiments/plan.ts';
import { decode, encode } from '../../bench/experiments/store.ts';
import { clock, eta, progressBar, progressLine } from '../../bench/experiments/progress.ts';
import { COMMANDS } from '../../bin/flags.ts';

const lhp = EXPERIMENTS.lhp;
const params = (flags: Record<string, string>, preset: Params = lhp.presets.quick): Params => resolveParams(lhp.axes, preset, undefined, '', flags);

function sweepFile(content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'paravm-sweep-')), 'sweep.json');
  writeFileSync(path, content);
  return path;
}

describe('parameters from axes', () => {
  it('takes seed counts, lists and ranges from flags', () => {
    expect(params({ seeds: '3' }).seeds).toEqual([1, 2, 3]);
    expect(params({ seeds: '1,5,9' }).seeds).toEqual([1, 5, 9]);
    expect(params({ cpus: '1-4,8' }).cpus).toEqual([1, 2, 3, 4, 8]);
    expect(params({ strategies: 'native,ple' }).strategies).toEqual(['native', 'ple']);
    expect(params({ 'duration-ms': '20' }).durationMs).toBe(20);
  });

  it('refuses malformed values in one line naming the flag', () => {
    const bad: [Record<string, string>, RegExp][] = [
      [{ cpus: '2,x' }, /^--cpus: expected integers/],
      [{ cpus: '0' }, /^--cpus: expected integers of at least 1/],
      [{ seeds: '1,1' }, /^--seeds: expected no value twice/],
      [{ strategies: 'native,fast' }, /^--strategies: expected names among native, none/],
      [{ 'duration-ms': 'long' }, /^--duration-ms: expected a number of at least 1/],
    ];
    for (const [flags, msg] of bad) {
      expect(() => params(flags)).toThrow(SweepInputError);
      expect(() => params(flags)).toThrow(msg);
      try { params(flags); } catch (e) { expect((e as Error).message).not.toContain('\n'); }
    }
  });

  it('reads a sweep file: preset, then file, then flags; bad fields are named', () => {
    const f = readSweepFile(sweepFile('{"preset": "quick", "seeds": 2, "cpus": "2-3"}'), lhp.axes, ['full', 'quick']);
    expect(f.preset).toBe('quick');
    const p = resolveParams(lhp.axes, lhp.presets.quick, f, 'x.json', { cpus: '4' });
    expect([p.seeds, p.cpus, p.durationMs]).toEqual([[1, 2], [4], 150]);
    const bad: [string, RegExp][] = [
      ['{"cpu": [2]}', /: unknown field "cpu" \(fields: experiment, preset, cpus,/],
      ['{"seeds": "many"}', /field "seeds": expected a seed count/],
      ['{"durationMs": "1"}', /field "durationMs": expected a number/],
      ['{"preset": "huge"}', /field "preset": expected full or quick/],
      ['[1, 2]', /expected a JSON object/],
      ['{"cpus": [2,', /^sweep file .*sweep\.json: /],
    ];
    for (const [text, msg] of bad) {
      const path = sweepFile(text);
      expect(() => resolveParams(lhp.axes, lhp.presets.quick, readSweepFile(path, lhp.axes, ['full', 'quick']), path, {})).toThrow(msg);
    }
  });
});

describe('plans and shards', () => {
  it('lists the quick plans in the order the sweeps always ran them', () => {
    const plan = planFor('lhp', lhp.presets.quick);
    // 3 CPU counts x 14 strategies x 1 seed.
    expect(plan.runs).toHaveLength(42);
    expect(plan.runs[0]!.key).toBe('cpus=2 strategy=native seed=1');
    expect(plan.runs[41]!.key).toBe('cpus=4 strategy=relaxed-cosched seed=1');
    expect(planFor('balloon', EXPERIMENTS.balloon.presets.quick).runs).toHaveLength(30);
    expect(planFor('balloon', EXPERIMENTS.balloon.presets.full).runs).toHaveLength(570);
    expect(planFor('lhp', lhp.presets.full).runs).toHaveLength(3 * 14 * (lhp.presets.full.seeds as readonly number[]).length);
  });

  it('hashes the plan: the same parameters the same hash, any change another', () => {
    const a = planFor('lhp', lhp.presets.quick);
    expect(planFor('lhp', { ...lhp.presets.quick }).hash).toBe(a.hash);
    expect(planFor('lhp', params({ seeds: '2' })).hash).not.toBe(a.hash);
    expect(a.hash).toMatch(/^[0-9a-f]{12}$/);
  });

  it('parses I/N and puts every run in exactly one shard', () => {
    expect(parseShard('2/8')).toEqual({ index: 2, count: 8 });
    for (const bad of ['0/2', '3/2', '1/0', 'a/b', '1', '1/2/3']) expect(() => parseShard(bad)).toThrow(/^--shard: expected I\/N/);
    const plan = planFor('balloon', EXPERIMENTS.balloon.presets.full);
    for (const n of [1, 2, 3, 7]) {
      for (const r of plan.runs) {
        expect(Array.from({ length: n }, (_, i) => inShard(r.index, { index: i + 1, count: n })).filter(Boolean)).toHaveLength(1);
      }
    }
    expect(formatPlan(plan, { index: 2, count: 7 }).split('\n')[0]).toMatch(/^balloon: plan [0-9a-f]{12}, 570 runs; shard 2\/7: 82 runs$/);
  });
});

describe('the store and progress', () => {
  it('keeps NaN, infinities and -0 through JSON', () => {
    const v = decode(encode({ a: NaN, b: [Infinity, -Infinity, -0, 0, 1.5], c: { $num: 1 } })) as { a: number; b: number[] };
    expect(v.a).toBeNaN();
    expect(v.b).toEqual([Infinity, -Infinity, -0, 0, 1.5]);
    expect(Object.is(v.b[2], -0)).toBe(true);
  });

  it('shows done/total, elapsed and ETA', () => {
    const p = { done: 3, total: 10, resumed: 1, elapsedMs: 20_000, key: 'cpus=2 strategy=none seed=1' };
    expect(eta(p)).toBe(70_000);
    expect(clock(3_725_000)).toBe('1:02:05');
    expect(progressBar(p, 10)).toBe('\r  [===       ] 3/10  0:20 elapsed, ETA 1:10  ');
    expect(progressLine(p)).toBe('paravm:  3/10 cpus=2 strategy=none seed=1 (0:20 elapsed, ETA 1:10)');
  });
});

describe('the command line', () => {
  it('has a flag for every axis flag of every experiment: strings, and switches for boolean axes (--sensitivity)', () => {
    const flags = COMMANDS.experiment.flags as Record<string, { type: string }>;
    for (const e of Object.values(EXPERIMENTS)) {
      for (const a of Object.values(e.axes)) if (a.flag) expect(flags[a.flag]?.type, a.flag).toBe(a.kind === 'boolean' ? 'boolean' : 'string');
    }
  });
});
