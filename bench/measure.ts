/**
 * One measurement, in a fresh process (bench/main.ts spawns `bin/bench.js
 * --measure <variant> <kernel>` and reads one JSON line). Steady-state
 * variants warm up first, then time as many whole runs as fit in MEASURE_MS
 * of this process's CPU time (process.cpuUsage: user + system), so a busy
 * host slows the clock less than wall time would. Cold variants time the
 * first run of the process, as `paravm run` or one experiment run sees it.
 */
import { join } from 'node:path';
import { assembleFile } from '../guest-kernel/loader/index.ts';
import type { Image } from '../isa/image.ts';
import { CYCLES_PER_MS, CYCLES_PER_US } from '../isa/clock.ts';
import { createVcpu, run, runCompiled, bareMetalConfig, Hypervisor, Exit, warmUp, type Engine, type Runner } from '../hypervisor/index.ts';
import { bootKernel, ROOT } from '../guest-kernel/loader/index.ts';
import { JS_KERNELS } from './js-kernels.ts';
import { bareSwitchRun } from './bare-switch.ts';

export const KERNELS = ['count', 'sieve', 'fib', 'memcpy'] as const;
export type Kernel = (typeof KERNELS)[number];
export const VARIANTS = ['interp', 'jit', 'bare', 'js', 'cold-interp', 'cold-warm', 'cold-jit', 'lhp-interp', 'lhp-jit'] as const;
export type Variant = (typeof VARIANTS)[number];

const WARM_MS = 600;
const MEASURE_MS = 1200;
/** Virtual time of the LHP run measured: 4 VCPUs on 4 PCPUs, 1 us rounds. */
const LHP_MS = 30;

export function assembleGuest(name: string): Image {
  const res = assembleFile(join(ROOT, 'bench', 'guest', `${name}.s`));
  if (!res.ok) throw new Error(`bench/guest/${name}.s does not assemble`);
  return res.image!;
}

/** Run an image to its shutdown hypercall with one engine; returns the instruction count. */
export function runGuest(img: Image, runner: Runner = run): number {
  const cpu = createVcpu(img, 2 << 20);
  let exit;
  do exit = runner(cpu, 1 << 24); while (exit === Exit.BUDGET);
  if (exit !== Exit.HCALL) throw new Error(`guest stopped with exit ${exit}`);
  return cpu.instret;
}

const cpuMs = (since: NodeJS.CpuUsage): number => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
};

/** Calls of fn per CPU second once warm: warm up for WARM_MS, then count whole calls for MEASURE_MS. */
function steadyRate(fn: () => void): number {
  for (const ms of [WARM_MS]) { const t = process.cpuUsage(); while (cpuMs(t) < ms) fn(); }
  const t = process.cpuUsage();
  let calls = 0;
  while (cpuMs(t) < MEASURE_MS) { fn(); calls++; }
  return calls / (cpuMs(t) / 1000);
}

function steady(variant: 'interp' | 'jit' | 'bare' | 'js', k: Kernel): number {
  const img = assembleGuest(k);
  const n = runGuest(img);
  const fn = variant === 'interp' ? () => runGuest(img, run)
    : variant === 'jit' ? () => runGuest(img, runCompiled)
      : variant === 'bare' ? () => bareSwitchRun(img) : JS_KERNELS[k];
  // Plain JS does the same work as the guest program: its rate is given in guest-instruction equivalents.
  return (steadyRate(fn) * n) / 1e6;
}

/**
 * The first run of a process, as `paravm run` reports it: the machine is
 * built (setupMs, with the interpreter's warm-up when asked), then its run
 * is timed.
 */
function cold(engine: Engine, k: Kernel, warm = false): { mips: number; setupMs: number } {
  const img = assembleGuest(k);
  const t0 = process.cpuUsage();
  if (warm) warmUp();
  const hv = new Hypervisor({ ...bareMetalConfig(2 << 20), engine }, [{ images: [img] }]);
  const setupMs = cpuMs(t0);
  const t = process.cpuUsage();
  hv.run();
  return { mips: hv.instructions / cpuMs(t) / 1000, setupMs };
}

/**
 * One LHP run as the experiment boots it (its native baseline: the guest
 * kernel serving httpd.s on 4 VCPUs over 4 PCPUs, 1 us rounds): the first
 * of the process, and runs 2 to 5 pooled (their instructions over their CPU
 * time; one run is 50-150 ms of CPU, too short to time alone on a shared
 * host), as a sweep's worker sees them after its first run.
 */
function lhp(engine: Engine): { mips: number; warmMips: number } {
  const httpd = assembleFile(join(ROOT, 'programs', 'kernel', 'httpd.s')).image!;
  const once = (): [number, number] => {
    const { hv } = bootKernel({
      vcpus: 4, pcpus: 4, programs: [httpd], names: ['httpd.s'], seed: 1, memory: 8 << 20, time: LHP_MS * CYCLES_PER_MS,
      quantum: CYCLES_PER_US, preemption: 'none', net: {}, engine,
    });
    const t = process.cpuUsage();
    hv.run();
    return [hv.instructions, cpuMs(t)];
  };
  const [n1, ms1] = once();
  let [n, ms] = [0, 0];
  for (let i = 0; i < 4; i++) { const [a, b] = once(); n += a; ms += b; }
  return { mips: n1 / ms1 / 1000, warmMips: n / ms / 1000 };
}

/** The child's work: one variant on one kernel, as a JSON line. */
export function measure(variant: Variant, k: Kernel): void {
  let out: { mips: number; warmMips?: number; setupMs?: number };
  switch (variant) {
    case 'cold-interp': case 'cold-warm': case 'cold-jit': out = cold(variant === 'cold-jit' ? 'jit' : 'interp', k, variant === 'cold-warm'); break;
    case 'lhp-interp': case 'lhp-jit': out = lhp(variant === 'lhp-jit' ? 'jit' : 'interp'); break;
    default: out = { mips: steady(variant, k) };
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
}
