/**
 * Which run a worker takes next (bench/experiments/dispatch.ts): costliest
 * first, runs of a key a worker has claimed kept on it, every run taken
 * exactly once, and no worker left idle while runs remain.
 */
import { describe, expect, it } from 'vitest';
import { AffinityQueue } from '../../bench/experiments/dispatch.ts';
import type { PlannedRun } from '../../bench/experiments/plan.ts';

/** Runs "s-c" of strategies s and CPU counts c, costliest (highest c) first, as the engine hands them in. */
function runs(strategies: string[], cpus: number[]): PlannedRun<{ s: string; c: number }>[] {
  const out: PlannedRun<{ s: string; c: number }>[] = [];
  for (const c of [...cpus].sort((a, b) => b - a)) for (const s of strategies) out.push({ index: out.length, key: `${s}-${c}`, spec: { s, c } });
  return out;
}
const strategyOf = (r: PlannedRun): string => (r.spec as { s: string }).s;

/** Lanes take in turn (0, 1, 0, ...) until the queue is empty; each lane's keys in the order taken. */
function drain(q: AffinityQueue, lanes: number): string[][] {
  const got: string[][] = Array.from({ length: lanes }, () => []);
  for (let lane = 0; q.length > 0; lane = (lane + 1) % lanes) got[lane]!.push(q.take(lane)!.key);
  return got;
}

describe('affinity dispatch', () => {
  it('without an affinity key is plain first-in first-out', () => {
    const all = runs(['a', 'b', 'c'], [2, 4]);
    const q = new AffinityQueue(all, undefined);
    expect(drain(q, 2)).toEqual([['a-4', 'c-4', 'b-2'], ['b-4', 'a-2', 'c-2']]);
    expect(q.take(0)).toBeUndefined();
  });

  it('keeps a strategy on the worker that took it first, costliest run first', () => {
    const q = new AffinityQueue(runs(['a', 'b', 'c', 'd'], [2, 3, 4]), strategyOf);
    const [zero, one] = drain(q, 2);
    expect(zero).toEqual(['a-4', 'a-3', 'a-2', 'c-4', 'c-3', 'c-2']);
    expect(one).toEqual(['b-4', 'b-3', 'b-2', 'd-4', 'd-3', 'd-2']);
  });

  it('lets an idle worker take another worker\'s runs once no strategy is left unclaimed', () => {
    const q = new AffinityQueue(runs(['a', 'b'], [2, 3, 4]), strategyOf);
    expect(q.take(0)!.key).toBe('a-4');
    expect(q.take(1)!.key).toBe('b-4');
    expect(q.take(0)!.key).toBe('a-3');
    expect(q.take(0)!.key).toBe('a-2');
    // Lane 0 has nothing of its own left and nothing is unclaimed: it helps with b, costliest first.
    expect(q.take(0)!.key).toBe('b-3');
    expect(q.take(1)!.key).toBe('b-2');
    expect(q.length).toBe(0);
  });

  it('hands out every run exactly once for any number of workers', () => {
    const all = runs(['a', 'b', 'c', 'd', 'e'], [1, 2, 3, 4]);
    for (const lanes of [1, 2, 3, 7]) {
      const taken = drain(new AffinityQueue(all, strategyOf), lanes).flat();
      expect(taken.slice().sort()).toEqual(all.map((r) => r.key).sort());
    }
  });
});
