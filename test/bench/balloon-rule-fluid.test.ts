/**
 * The fluid evaluation of the balloon's target rules (bench/experiments/balloon/rule-fluid.ts)
 * and the host copy of the steady stream's generator (steady-mixes.ts), on cases solved by hand.
 */
import { describe, expect, it } from 'vitest';
import { fluidMakespan, rules } from '../../bench/experiments/balloon/rule-fluid.ts';
import { hostStream, lcg } from '../../bench/experiments/balloon/steady-mixes.ts';

describe('target rules with perfect information', () => {
  it('3 jobs on speeds 1 and 0.5: the single-moves rule puts two on the fast VCPU, all done at 2 (the ideal)', () => {
    expect(fluidMakespan(rules([1, 0.5]).moves!, 3, [1, 0.5])).toBeCloseTo(2, 12);
  });

  it('5 jobs on 1/0.75/0.5/0.25: single moves end at 37/16, 9/8 of the non-rotating optimum 37/18', () => {
    // from (2,1,1,1): one job off the 0.25 VCPU to the 1, one from the 1 to the 0.75: (2,2,1,0), done at 2 on the 1 and
    // the 0.5; the 0.75's two have 1/4 left, one moves to the 1 (done 2.25), the other follows it there (done 37/16)
    expect(fluidMakespan(rules([1, 0.75, 0.5, 0.25]).moves!, 5, [1, 0.75, 0.5, 0.25])).toBeCloseTo(37 / 16, 12);
  });
});

describe('the stream generator on the host', () => {
  it('is the C standard\'s example rand(): 16838, 5758, 10113, 17515 from seed 1', () => {
    const next = lcg(1);
    expect([next(), next(), next(), next()]).toEqual([16838, 5758, 10113, 17515]);
  });

  it('draws gap then length per job as stream.s does', () => {
    // seed 1: gap 16838 x 21 >> 15 = 10 us (GAP 10), then 5758 & 3 = 2: short; gap 10113 x 21 >> 15 = 6 us, 17515 & 3 = 3: short
    expect(hostStream(1, 2, 10, 1, 4)).toEqual([{ from: 10 * 100, work: 1 }, { from: 16 * 100, work: 1 }]);
  });
});
