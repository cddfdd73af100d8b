/**
 * A paused and resumed run is the same run: the guest kernel on 4 VCPUs and
 * 2 PCPUs, run whole and in slices of every size (the CLI pauses every 2^20
 * instructions, the debugger and the playground far more often), ends with
 * the same instruction count, virtual time and console, because the PCPUs'
 * round order is machine state, not rebuilt by each run() call.
 */
import { describe, expect, it } from 'vitest';
import { boot } from '../helpers/kernel.ts';

function outcome(slice: number): { stop: string; instructions: number; time: number; out: string } {
  const k = boot({ vcpus: 4, pcpus: 2, seed: 7, programs: ['lockstress.s'] });
  let stop = k.hv.run(slice);
  while (stop === 'paused') stop = k.hv.run(slice);
  return { stop, instructions: k.hv.instructions, time: k.hv.now(), out: k.vm.console.text() };
}

describe('sliced runs', () => {
  it('give the unsliced run exactly, whatever the slice', () => {
    const whole = outcome(Infinity);
    expect(whole.stop).toBe('done');
    for (const slice of [100_000, 33_333, 1 << 20]) expect(outcome(slice)).toEqual(whole);
  });
});
