/**
 * The execution engines and the compiling tier's driver. runCompiled(cpu,
 * budget) is a drop-in for run() (interp.ts) with bit-identical results: it
 * enters compiled code (codecache.ts) wherever some exists and nothing is
 * pending, and hands everything else to the interpreter in short calls: cold
 * code, side exits (TLB misses, traps, privileged instructions, hypercalls),
 * pending interrupts and trap cycles, the tail of the budget a whole block
 * would overrun, and whole calls with a budget below SHORT. Splitting a
 * run() into several with the remaining
 * budget gives the same result, because the interpreter takes interrupts as
 * soon as they become deliverable and tests the budget before each
 * instruction; TIME and CYCLES are advanced around each call so rdtime and
 * rdcycle read the same values. The machine picks the engine (runner).
 */
import { STATUS_BITS } from '../../isa/csrs.ts';
import { Exit, type ExitCode } from './exits.ts';
import { run } from './interp.ts';
import { F, S, type CpuState } from './state.ts';
import { ACCESS_EXEC, tlbTable } from './tlb.ts';
import { codeCache, type CodeCache } from './codecache.ts';
import type { RegionFn } from './compile.ts';

export const ENGINES = ['interp', 'jit'] as const;
export type Engine = (typeof ENGINES)[number];

/**
 * The engine a machine uses unless told otherwise: the compiling tier, since
 * it gives the interpreter's results bit for bit and, by one `npm run bench`
 * and the kernel tests' CPU time, is no slower where it does not help
 * (LHP runs at 1 us rounds and the default 5 us quantum run in the
 * interpreter, see SHORT; the guest-kernel tests took the same CPU time
 * under both) and faster where it does: hot loops 4.1-10.0x, a cold sieve
 * 2.2x. Not measured to pay: kernel code at rounds above SHORT (see HOT in
 * codecache.ts).
 */
export const DEFAULT_ENGINE: Engine = 'jit';

/** One run: the interpreter's or the compiling tier's, same signature, same results. */
export type Runner = (cpu: CpuState, budget: number) => ExitCode;

/** The engine every machine built inside withEngine runs, whatever its configuration says. */
let forced: Engine | undefined;

export function runner(engine: Engine): Runner {
  return (forced ?? engine) === 'jit' ? runCompiled : run;
}

/**
 * fn with every machine it builds running on `engine`: an experiment's
 * engine applies to the machines its runs build (bench/experiments), which
 * name none themselves. Results are the same under either engine; only the
 * host's speed differs.
 */
export function withEngine<T>(engine: Engine, fn: () => T): T {
  const before = forced;
  forced = engine;
  try {
    return fn();
  } finally {
    forced = before;
  }
}

/**
 * Cycles per call of compiled code at most: a
 * long loop then returns now and then and is called again, so V8 optimizes
 * the function as a whole instead of running it only as on-stack-replaced
 * code (about half as fast).
 */
const SLICE = 1 << 16;
/** Interpreter cycles after a side exit or at a budget's tail, before compiled code is tried again. */
const STEP = 8;
/** A remaining budget this small is finished by the interpreter in one call. */
const TAIL = 48;
/**
 * A budget below this many cycles runs in the interpreter alone. Measured on
 * one LHP run (httpd.s, 4 VCPUs on 4 PCPUs, 30 ms; bench/measure.ts lhp-jit,
 * runs 2-5 of a process pooled, 3-5 fresh processes): the tier ran at 0.54x
 * the interpreter at 1 us rounds (100 cycles), 0.47x at 2 us, 0.57x at 5 us
 * and 0.58x at 20 us, so every round length measured loses; with this bound
 * 1 us rounds ran at 0.92x (the interpreter plus one test, within the noise).
 * Set to the longest round measured (20 us = 2,000 cycles); the hot loops
 * the tier pays on run far longer calls. (At 50 us it still lost, 0.58x:
 * what loses is lukewarm kernel code, see HOT in codecache.ts.)
 */
const SHORT = 2048;
/** Interpreter cycles where there is no compiled code yet. */
const COLD = 256;

const { IE, KERNEL } = STATUS_BITS;
const ALIGN4 = -4096 | 3;
const XT_USER = tlbTable(false, ACCESS_EXEC);
const XT_KERNEL = tlbTable(true, ACCESS_EXEC);

/** Compiled code for the pc, if it may be entered now (nothing pending, fetch translation cached). */
function enterable(cpu: CpuState, cache: CodeCache): RegionFn | undefined {
  const st = cpu.st;
  const s = st[S.STATUS];
  if (st[S.EXTRA_CYCLES] !== 0 || ((s & IE) !== 0 && (st[S.IPEND] & st[S.IMASK]) !== 0)) return undefined;
  const kernel = (s & KERNEL) !== 0;
  const pc = st[S.PC];
  const xi = (kernel ? XT_KERNEL : XT_USER) + ((pc >>> 11) & 510);
  if (cpu.tlb[xi] !== (pc & ALIGN4)) return undefined;
  return cache.lookup(cpu.tlb[xi + 1] >>> 12, kernel, (pc >>> 2) & 1023);
}

/** short: the budget below which the interpreter runs the whole call (tests pass 0, to drive the tier at every budget). */
export function runCompiled(cpu: CpuState, budget: number, short = SHORT): ExitCode {
  if (budget < short) return run(cpu, budget);
  const st = cpu.st;
  const f64 = cpu.f64;
  const cache = codeCache(cpu.mem.host);
  const time0 = f64[F.TIME];
  const cyc0 = f64[F.CYCLES];
  let total = 0;
  let exit: ExitCode = Exit.BUDGET;
  st[S.EXIT] = 0;
  while (total < budget) {
    cache.rest = 0;
    const fn = enterable(cpu, cache);
    // Inside a compiled block: the interpreter runs to its end, then compiled code takes over.
    let chunk = cache.rest !== 0 ? cache.rest : COLD;
    if (fn !== undefined) {
      const pc = st[S.PC];
      const limit = Math.min(budget, total + SLICE);
      const t = fn(cpu, st, cpu.tlb, pc & -4096, (pc >>> 2) & 1023, total, limit);
      if (t > total) { total = t; continue; }
      if (t < 0) {
        // Stopped at a block that does not fit: the run ends inside it (or the slice does).
        total = ~t;
        if (limit !== budget) continue;
        chunk = budget - total;
      } else chunk = budget - total <= TAIL ? TAIL : STEP; // a side exit before any block ran
    }
    f64[F.TIME] = time0 + total;
    f64[F.CYCLES] = cyc0 + total;
    exit = run(cpu, Math.min(budget - total, chunk));
    total += f64[F.RAN];
    f64[F.TIME] = time0;
    f64[F.CYCLES] = cyc0;
    if (exit !== Exit.BUDGET) break;
  }
  f64[F.CYCLES] = cyc0 + total;
  f64[F.RAN] = total;
  st[S.EXIT] = exit;
  return exit;
}
