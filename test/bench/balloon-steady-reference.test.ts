/**
 * The steady state's references (bench/experiments/balloon/steady-reference.ts)
 * against small cases solved by hand; every expected value is exact, so the
 * comparisons use 12 digits.
 */
import { describe, expect, it } from 'vitest';
import { referenceRun, referenceWork, simulate, windowMetrics } from '../../bench/experiments/balloon/steady-reference.ts';

const close = (xs: readonly number[], want: readonly number[]): void => {
  expect(xs.length).toBe(want.length);
  xs.forEach((x, i) => expect(x).toBeCloseTo(want[i]!, 12));
};

describe('processor sharing, each job at most one VCPU fast', () => {
  it('two equal jobs on speeds 1 and 0.5 share 1.5 equally and finish together', () => {
    close(simulate('ps', [{ work: 3, from: 0 }, { work: 3, from: 0 }], [1, 0.5]).finish, [4, 4]);
  });

  it('a lone job runs at one VCPU\'s speed, not at the sum of the shares', () => {
    // alone until 1 at speed 1 (1 of 2 done), then both at 0.75: 1 left each, done 4/3 later
    close(simulate('ps', [{ work: 2, from: 0 }, { work: 1, from: 1 }], [0.5, 1]).finish, [7 / 3, 7 / 3]);
  });

  it('more jobs than VCPUs share the sum of the shares', () => {
    // three jobs of 1 on 1 and 0.5: 0.5 each, all done at 2
    close(simulate('ps', [0, 0, 0].map((from) => ({ work: 1, from })), [1, 0.5]).finish, [2, 2, 2]);
  });

  it('a short and a long job on one CPU: slowdowns 2 and 1.5, Jain 49/50', () => {
    // 0.5 each until the short one is done at 2; the long one has 1 left, done at 3
    const jobs = [{ work: 1, from: 0 }, { work: 2, from: 0 }];
    const { finish } = simulate('ps', jobs, [1]);
    close(finish, [2, 3]);
    const m = windowMetrics(jobs, finish, 0, 0);
    expect(m.jain).toBeCloseTo(0.98, 12);
    expect(m.short).toBeCloseTo(2, 12);
    expect(m.long).toBeCloseTo(1.5, 12);
  });
});

describe('arrival order, earliest jobs on the fastest VCPUs', () => {
  it('a waiting job starts on the slow VCPU when one completes, and moves up when the next does', () => {
    // A on 1 (done at 2), B on 0.5 (1 done by 2, then on 1: done at 3), C waits until 2, 0.5 done by 3, then on 1: done at 3.5
    close(simulate('fcfs', [{ work: 2, from: 0 }, { work: 2, from: 0 }, { work: 1, from: 0 }], [1, 0.5]).finish, [2, 3, 3.5]);
  });

  it('ties in arrival keep the stream\'s order', () => {
    // the first on 1 (done at 1), the second on 0.5 until then, its last half on 1
    close(simulate('fcfs', [{ work: 1, from: 0 }, { work: 1, from: 0 }], [0.5, 1]).finish, [1, 1.5]);
  });
});

describe('placement at events, each job where its rate is highest', () => {
  it('5 jobs on 1/0.75/0.5/0.25 are held 2/2/1/0, then re-placed at each completion: done at 2, 2, 2, 9/4 and 37/16', () => {
    // rates 0.5 (the 0.5 VCPU alone, the 1 shared by two) and 0.375 (the 0.75 shared); at 2 the two left have 1/4 each,
    // one on the 1 (done 9/4) and one on the 0.75, which moves to the 1 when that frees up
    close(simulate('share', [0, 0, 0, 0, 0].map((from) => ({ work: 1, from })), [1, 0.75, 0.5, 0.25]).finish, [2, 2, 2, 9 / 4, 37 / 16]);
  });

  it('a later arrival takes the slowest place, not a faster one held by an earlier job', () => {
    // A alone on 1 until 1 (1 of 3 done); then A on 1 and B on 0.5 (a tie with sharing the 1, the empty VCPU first):
    // B's 1 is done at 3 and A's 2 left at 3: both at 3
    close(simulate('share', [{ work: 3, from: 0 }, { work: 1, from: 1 }], [1, 0.5]).finish, [3, 3]);
  });
});

describe('work in a window and the window\'s jobs', () => {
  it('a lone job on speeds 1 and 0.5 does 2 units in [2, 4]: throughput 2/3 of the capacity', () => {
    const jobs = [{ work: 10, from: 0 }];
    expect(referenceWork('ps', jobs, [1, 0.5], 2, 4)).toBeCloseTo(2, 12);
    expect(referenceRun('ps', jobs, [1, 0.5], 2, 4).throughput).toBeCloseTo(2 / 3, 12);
  });

  it('work done counts only what has arrived, and a simulation cut short leaves the rest', () => {
    const jobs = [{ work: 4, from: 0 }, { work: 4, from: 3 }];
    // [0,3]: 3 units alone; then 0.75 each until the first's last unit is done at 13/3 (2 units),
    // then the second alone at speed 1 until 5 (2/3): 17/3 by 5
    expect(referenceWork('ps', jobs, [1, 0.5], 0, 5)).toBeCloseTo(17 / 3, 12);
    close(simulate('ps', jobs, [1, 0.5], 4).left, [0.25, 3.25]);
  });

  it('only jobs that arrived in the window count toward Jain and the slowdowns', () => {
    const jobs = [{ work: 1, from: 0 }, { work: 1, from: 5 }, { work: 4, from: 6 }];
    const m = windowMetrics(jobs, [10, 7, 10], 4, 8);
    // slowdowns 2 (short) and 1 (long): Jain 9 / (2 x 5)
    expect(m.jain).toBeCloseTo(0.9, 12);
    expect(m.slowdown).toBeCloseTo(1.5, 12);
  });
});
