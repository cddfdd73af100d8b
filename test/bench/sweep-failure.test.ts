/**
 * A run that fails in its worker is reported with the run's parameters,
 * the runs that finished are handed back (the engine keeps them), and no
 * run starts after the failure.
 */
import { describe, expect, it } from 'vitest';
import { RunFailed } from '../../bench/experiments/index.ts';
import { runPool } from '../../bench/experiments/pool.ts';

const spec = (strategy: string) => ({ cpus: 2, strategy, seed: 1, durationMs: 1, warmupMs: 1 });

describe('a failing run', () => {
  it('is named by its parameters; finished runs are kept, later ones never start', { timeout: 60_000 }, async () => {
    const finished: string[] = [];
    const runs = [
      { index: 0, key: 'cpus=2 strategy=native seed=1', spec: spec('native') },
      { index: 1, key: 'cpus=2 strategy=bogus seed=1', spec: spec('bogus') },
      { index: 2, key: 'cpus=2 strategy=none seed=1', spec: spec('none') },
    ];
    const err = await runPool({ experiment: 'lhp', runs, jobs: 1, onResult: (r) => finished.push(r.key) }).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(RunFailed);
    expect((err as RunFailed).key).toBe('cpus=2 strategy=bogus seed=1');
    expect((err as Error).message).toMatch(/^run cpus=2 strategy=bogus seed=1 failed: unknown strategy bogus/);
    expect(finished).toEqual(['cpus=2 strategy=native seed=1']);
  });
});
