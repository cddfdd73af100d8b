/**
 * The LHP sweep through the engine: the quick sweep gives the same bytes
 * (table, results.json, figures) with one worker or two; a smaller sweep
 * (2 CPUs, shorter windows, to keep the suite fast) gives the same bytes
 * from two shards merged and after an interruption and --resume; a
 * missing, doubled or foreign shard is refused with the reason.
 * (sweep-balloon.test.ts does the worker-count check for ballooning.)
 */
import { describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXPERIMENTS, mergeShards, planFor, runSweep, SweepStopped, Interrupted, type SweepRequest } from '../../bench/experiments/index.ts';

const quick = EXPERIMENTS.lhp.presets.quick;
const small = { ...quick, cpus: [2], durationMs: 30, warmupMs: 20 };
/** Runs in the small sweep (one per strategy of the quick preset). */
const n = planFor('lhp', small).runs.length;
const tmp = (): string => mkdtempSync(join(tmpdir(), 'paravm-sweep-'));

/** The table and every report file of an output directory (runs.json aside: it records the shard). */
function output(table: string, dir: string): Record<string, string> {
  const files = Object.fromEntries(readdirSync(dir).filter((f) => f !== 'runs.json' && f !== 'runs').map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
  return { table, ...files };
}

async function sweep(o: Partial<SweepRequest> & { out: string }): Promise<Record<string, string>> {
  const r = await runSweep({ experiment: 'lhp', params: small, jobs: 2, ...o });
  return output(r.report?.table ?? '', o.out);
}

describe('the quick LHP sweep', () => {
  it('is byte-identical with one worker and with two', { timeout: 240_000 }, async () => {
    const one = await sweep({ out: tmp(), jobs: 1, params: quick });
    expect(Object.keys(one)).toEqual(expect.arrayContaining(['table', 'results.json', 'spin-time.svg']));
    expect(one.table!.split('\n')[0]).toMatch(/^# paravm \d+\.\d+\.\d+, commit .*, plan [0-9a-f]{12}: lhp cpus=2,3,4 /);
    // Every figure carries the same provenance, in a comment before its <svg> element.
    for (const [f, text] of Object.entries(one)) if (f.endsWith('.svg')) expect(text.split('\n')[0]).toMatch(/^<!-- paravm \d+\.\d+\.\d+, .*plan [0-9a-f]{12}: lhp cpus=2,3,4 .* -->$/);
    expect(await sweep({ out: tmp(), jobs: 2, params: quick })).toEqual(one);
  });
});

describe('a smaller LHP sweep, sharded and resumed', { timeout: 240_000 }, () => {
  let reference: Record<string, string>;
  const shards: string[] = [tmp(), tmp()];

  it('merges two shards into the bytes of the unsharded sweep', async () => {
    reference = await sweep({ out: tmp() });
    // The shards run at the same time, one worker each, as two cluster tasks would.
    const parts = await Promise.all(shards.map((out, i) => runSweep({ experiment: 'lhp', params: small, jobs: 1, shard: { index: i + 1, count: 2 }, out })));
    expect(parts.map((r) => [r.report, r.ran])).toEqual([[undefined, Math.ceil(n / 2)], [undefined, Math.floor(n / 2)]]);
    const out = tmp();
    const m = mergeShards(shards, out);
    expect(output(m.report.table, out)).toEqual(reference);
  });

  it('refuses a missing, a doubled and a foreign shard, naming it', () => {
    expect(() => mergeShards([shards[0]!], tmp())).toThrow(/^merge: missing shard 2\/2 \(runs such as cpus=2 strategy=none seed=1\)$/);
    expect(() => mergeShards([shards[0]!, shards[0]!], tmp())).toThrow(/^merge: shard 1\/2 given twice/);
    const foreign = tmp();
    cpSync(shards[1]!, foreign, { recursive: true });
    const path = join(foreign, 'runs.json');
    writeFileSync(path, readFileSync(path, 'utf8').replace('"durationMs":30', '"durationMs":50'));
    expect(() => mergeShards([shards[0]!, foreign], tmp())).toThrow(/is not a shard of the same sweep as .*: params \{/);
    expect(() => mergeShards([tmp()], tmp())).toThrow(/has no runs\.json/);
  });

  it('resumes an interrupted sweep to the same bytes', async () => {
    const out = tmp();
    const ac = new AbortController();
    const stopped = await runSweep({
      experiment: 'lhp', params: small, jobs: 2, out, signal: ac.signal,
      onProgress: (p) => { if (p.done >= 3) ac.abort(); },
    }).then(() => undefined, (e: unknown) => e);
    expect(stopped).toBeInstanceOf(SweepStopped);
    expect((stopped as SweepStopped).reason).toBeInstanceOf(Interrupted);
    const kept = (stopped as SweepStopped).kept;
    expect(kept).toBeGreaterThanOrEqual(3);
    expect(readdirSync(join(out, 'runs'))).toHaveLength(kept);
    expect(readdirSync(out).sort()).toEqual(['runs']);
    let resumed = -1;
    const r = await runSweep({ experiment: 'lhp', params: small, jobs: 2, out, resume: true, onProgress: (p) => { resumed = p.resumed; } });
    expect([resumed, r.reused, r.ran]).toEqual([kept, kept, n - kept]);
    expect(output(r.report!.table, out)).toEqual(reference);
    const other = runSweep({ experiment: 'lhp', params: { ...small, seeds: [2] }, jobs: 1, out, resume: true });
    await expect(other).rejects.toThrow(/^--resume: .* holds runs of another plan \([0-9a-f]{12}; this one is [0-9a-f]{12}\)/);
  });
});
