/**
 * Differential test of the compiling tier: the same random streams
 * (streams.ts, with planted loops, self-modifying stores, page-table writes,
 * TLB flushes, interrupts) run under runCompiled, the interpreter and the
 * reference, resumed after every exit as a hypervisor would, with budgets
 * from 1 cycle to 20,000. Every VCPU (slots, counters, TLB without code
 * marks) and the memory must be identical after every call. Half the streams
 * run two VCPUs over one memory in turns, so code compiled by one is entered,
 * marked and invalidated by the other. Most streams compile a page the first
 * time it is looked up; some use the normal hotness threshold.
 *
 * PARAVM_FUZZ_SCALE multiplies the stream count (CI runs scale 1: 2,500
 * streams; scale 40 runs 100,000).
 */
import { describe, expect, it } from 'vitest';
import { Exit, EXIT_NAMES } from '../../../hypervisor/cpu/exits.ts';
import { run } from '../../../hypervisor/cpu/interp.ts';
import { runCompiled } from '../../../hypervisor/cpu/engine.ts';
import { codeCache } from '../../../hypervisor/cpu/codecache.ts';
import { runReference } from '../../../hypervisor/cpu/reference.ts';
import { budgetsFor, clone, differences, initialState, resume } from './streams.ts';

const SCALE = Number(process.env.PARAVM_FUZZ_SCALE ?? 1);
const STREAMS = Math.round(2_500 * SCALE);
const CALLS = 8;

interface Outcome { exits: number[]; compiled: number; diff: string[] }

function compare(seed: number): Outcome {
  const jit = initialState(seed, { loops: true, vcpus: seed % 2 === 0 ? 2 : 1 });
  const interp = clone(jit);
  const ref = clone(jit);
  const cache = codeCache(jit[0]!.mem.host);
  if (seed % 8 !== 0) cache.hot = 1;
  const exits: number[] = [];
  for (const [i, budget] of budgetsFor(seed, CALLS, true).entries()) {
    const k = i % jit.length;
    const e = [runCompiled(jit[k]!, budget, 0), run(interp[k]!, budget), runReference(ref[k]!, budget)];
    exits.push(e[0]!);
    const diff = [...differences(jit[k]!, ref[k]!), ...differences(interp[k]!, ref[k]!).map((d) => `interp: ${d}`)];
    if (e[0] !== e[2] || e[1] !== e[2]) diff.unshift(`exit: jit ${EXIT_NAMES[e[0]!]} interp ${EXIT_NAMES[e[1]!]} reference ${EXIT_NAMES[e[2]!]}`);
    if (diff.length > 0) return { exits, compiled: cache.compiled, diff: [`call ${i} on VCPU ${k} (budget ${budget})`, ...diff] };
    if (e[0] === Exit.FAULT) break;
    for (const set of [jit, interp, ref]) resume(set[k]!, e[0]!, i % 5);
  }
  return { exits, compiled: cache.compiled, diff: [] };
}

/** Cycles spent in compiled code vs the interpreter, to show the streams do exercise it. */
function compiledShare(seeds: number): number {
  let regions = 0;
  for (let seed = 1; seed <= seeds; seed++) regions += compare(seed).compiled;
  return regions;
}

describe('compiling tier vs interpreter vs reference', () => {
  // About 16 ms a stream on a quiet 2-core host, 47 ms on one loaded by other test runs: room for more.
  it(`agree on ${STREAMS} random streams`, { timeout: Math.max(240_000, STREAMS * 150) }, () => {
    const exitCounts: Record<string, number> = {};
    let regions = 0;
    for (let seed = 1; seed <= STREAMS; seed++) {
      const { exits, compiled, diff } = compare(seed);
      if (diff.length > 0) expect.fail(`seed ${seed}: ${diff.join('\n')}`);
      regions += compiled;
      for (const e of exits) exitCounts[EXIT_NAMES[e]!] = (exitCounts[EXIT_NAMES[e]!] ?? 0) + 1;
    }
    expect(Object.keys(exitCounts).sort()).toEqual(Object.values(EXIT_NAMES).sort());
    expect(regions).toBeGreaterThan(STREAMS);
  });

  it('compiles regions in most streams', () => {
    expect(compiledShare(200)).toBeGreaterThan(200);
  });
});
