/**
 * Differential test: random instruction streams through the fast interpreter
 * and the reference one, from the same state with the same budgets, resumed
 * after every exit as a hypervisor would. After each run() the whole VCPU
 * (int and f64 slots), its TLB and guest memory must be identical.
 *
 * Streams come from streams.ts (shared with the compiling tier's test,
 * compiled.test.ts). Seeds are fixed; a failure
 * names the seed and the first instruction after which the two disagree.
 */
import { describe, expect, it } from 'vitest';
import { OPCODE_BY_NUMBER } from '../../../isa/opcodes.ts';
import { KERNEL_BASE } from '../../../isa/memory.ts';
import { Exit, EXIT_NAMES } from '../../../hypervisor/cpu/exits.ts';
import { run } from '../../../hypervisor/cpu/interp.ts';
import { runReference } from '../../../hypervisor/cpu/reference.ts';
import type { CpuState } from '../../../hypervisor/cpu/state.ts';
import { MEM_BYTES, budgetsFor, clone, differences, initialState, resume } from './streams.ts';

const STREAMS = 5000;

interface Outcome { exits: number[]; diff: string[] }

function compare(seed: number, budgets: readonly number[]): Outcome {
  const [fast] = initialState(seed) as [CpuState];
  const [ref] = clone([fast]) as [CpuState];
  const exits: number[] = [];
  for (const [i, budget] of budgets.entries()) {
    const e1 = run(fast, budget);
    const e2 = runReference(ref, budget);
    exits.push(e1);
    const diff = differences(fast, ref);
    if (e1 !== e2) diff.unshift(`exit: run ${EXIT_NAMES[e1]} reference ${EXIT_NAMES[e2]}`);
    if (diff.length > 0) return { exits, diff: [`call ${i} (budget ${budget}, pc 0x${fast.pc.toString(16)})`, ...diff] };
    if (e1 === Exit.FAULT) break;
    resume(fast, e1, i % 5);
    resume(ref, e2, i % 5);
  }
  return { exits, diff: [] };
}


/** For a report: single-step both from the start and name the first instruction they disagree after. */
function firstDivergence(seed: number, steps = 20_000): string {
  const [fast] = initialState(seed) as [CpuState];
  const [ref] = clone([fast]) as [CpuState];
  for (let step = 0; step < steps; step++) {
    const pc = fast.pc;
    const e1 = run(fast, 1);
    const e2 = runReference(ref, 1);
    const diff = differences(fast, ref);
    if (e1 !== e2 || diff.length > 0) {
      const word = fast.mem.i32[((pc - (pc >= KERNEL_BASE ? KERNEL_BASE : 0)) >>> 2) & (MEM_BYTES / 4 - 1)]! >>> 0;
      return `single-stepping: step ${step} at pc 0x${pc.toString(16)}, word 0x${word.toString(16)} (${OPCODE_BY_NUMBER[word & 0xff]?.mnemonic ?? 'unassigned'}): ${diff.join('; ')}`;
    }
    if (e1 === Exit.FAULT) return 'single-stepping does not reproduce it';
    resume(fast, e1, step % 5);
    resume(ref, e2, step % 5);
  }
  return 'single-stepping does not reproduce it';
}

describe('fast interpreter vs reference', () => {
  it(`agree on ${STREAMS} random streams`, () => {
    const exitCounts: Record<string, number> = {};
    for (let seed = 1; seed <= STREAMS; seed++) {
      const { exits, diff } = compare(seed, budgetsFor(seed));
      if (diff.length > 0) expect.fail(`seed ${seed}: ${diff.join('\n')}\n${firstDivergence(seed)}`);
      for (const e of exits) exitCounts[EXIT_NAMES[e]!] = (exitCounts[EXIT_NAMES[e]!] ?? 0) + 1;
    }
    // The streams must exercise every way out of run(), or the test proves little.
    expect(Object.keys(exitCounts).sort()).toEqual(Object.values(EXIT_NAMES).sort());
  });

  it('single-stepping (budget 1) agrees too', () => {
    for (let seed = 100_001; seed <= 100_100; seed++) {
      const msg = firstDivergence(seed, 300);
      expect(msg, `seed ${seed}`).toBe('single-stepping does not reproduce it');
    }
  });
});
