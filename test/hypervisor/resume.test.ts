/**
 * ResumableRun (hypervisor/resume.ts), the playground worker's driver: runs
 * in slices of host time are the same run as one call, also when a stepper
 * is switched on and off between slices (the playground does that for
 * breakpoints and steps); a program that never stops still hands control
 * back; pauseSoon from a stepper ends a one-PCPU run at that instruction.
 */
import { describe, expect, it } from 'vitest';
import { Hypervisor, ResumableRun, bareMetalConfig, type StopReason } from '../../hypervisor/index.ts';
import { assembleSource } from '../../guest-kernel/loader/index.ts';
import { boot } from '../helpers/kernel.ts';

interface Outcome { stop: StopReason; instructions: number; time: number; out: string }

function outcome(drive?: (run: ResumableRun) => StopReason): Outcome {
  const k = boot({ vcpus: 4, pcpus: 2, seed: 7, programs: ['lockstress.s'] });
  const stop = drive ? drive(new ResumableRun(k.hv)) : k.hv.run();
  return { stop, instructions: k.hv.instructions, time: k.hv.now(), out: k.vm.console.text() };
}

const LOOP_FOREVER = '        .text\n        .global _start\n_start:\n1:      addi t0, t0, 1\n        j 1b\n';

describe('ResumableRun', () => {
  it('in slices of host time gives the whole run exactly', () => {
    const whole = outcome();
    expect(whole.stop).toBe('done');
    expect(outcome((run) => { let r; while ((r = run.slice(1)) === 'paused'); return r; })).toEqual(whole);
  });

  it('gives the same run when a stepper is switched on and off between slices', () => {
    const whole = outcome();
    let stepped = 0;
    const got = outcome((run) => {
      let r: StopReason;
      for (let k = 0; ; k++) {
        run.setStepper(k % 2 ? (_v, one) => { stepped++; return one(); } : undefined);
        if ((r = run.slice(1)) !== 'paused') return r;
      }
    });
    expect(got).toEqual(whole);
    expect(stepped).toBeGreaterThan(0);
  });

  it('hands back a machine that never stops, and a stepper can end a one-PCPU run at an exact instruction', () => {
    const img = assembleSource(LOOP_FOREVER, 'loop.s').image!;
    const hv = new Hypervisor(bareMetalConfig(), [{ images: [img] }]);
    const run = new ResumableRun(hv);
    expect(run.slice(5)).toBe('paused');
    expect(hv.instructions).toBeGreaterThan(0);
    const at = hv.instructions + 1001;
    run.setStepper((_v, one) => { const e = one(); if (hv.instructions + 1 >= at) run.pauseSoon(); return e; });
    expect(run.slice(10_000)).toBe('paused');
    expect(hv.instructions).toBe(at);
  });
});
