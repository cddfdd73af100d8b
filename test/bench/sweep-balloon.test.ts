/**
 * The quick time-ballooning sweep is byte-identical (table, results.json,
 * figures) with one worker thread and with two: results are merged in plan
 * order, and NaN (the dynamic run's static makespan) survives storage.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXPERIMENTS, runSweep } from '../../bench/experiments/index.ts';

async function sweep(jobs: number): Promise<Record<string, string>> {
  const out = mkdtempSync(join(tmpdir(), 'paravm-balloon-'));
  const r = await runSweep({ experiment: 'balloon', params: EXPERIMENTS.balloon.presets.quick, jobs, out });
  return { table: r.report!.table, ...Object.fromEntries(readdirSync(out).filter((f) => f !== 'runs.json').map((f) => [f, readFileSync(join(out, f), 'utf8')])) };
}

describe('the quick time-ballooning sweep', () => {
  it('is byte-identical with one worker and with two', { timeout: 240_000 }, async () => {
    const one = await sweep(1);
    expect(Object.keys(one)).toContain('targets.svg');
    expect(one.table).toMatch(/\n {4}4 {2}dynamic {5}9 .* {2}- {4}/);
    expect(await sweep(2)).toEqual(one);
  });
});
