/**
 * `npm run bench`: the engines' speed, measured side by side in one run.
 *
 * Every figure is the median over REPS fresh processes (bench/measure.ts),
 * in CPU time, with the variants alternated within each repetition so that
 * a host whose speed drifts slows them alike. For each hot loop of
 * bench/guest/ (count, sieve, fib, memcpy): guest MIPS in steady state under
 * the interpreter (MMU, privilege, interrupts, exact cycles) and the
 * compiling tier, the same algorithm in plain JS (as guest-instruction
 * equivalents), and for count and sieve a bare switch loop over the same
 * image (no MMU, no checks, no cycle counting). Then a cold `paravm run` of
 * the sieve (the first run of a process) under both engines and after the
 * interpreter warm-up (hypervisor/cpu/warmup.ts), one LHP run at
 * its 1 us rounds under both, the assembler on a generated 50,000-line file,
 * and the hypervisor's own costs (bench/hypervisor.ts).
 */
import { cpus } from 'node:os';
import { spawnSync } from 'node:child_process';
import { assembleSource } from '../guest-kernel/loader/index.ts';
import { ROOT } from '../guest-kernel/loader/index.ts';
import { median } from './children.ts';
import { generateAsm } from './gen-asm.ts';
import { benchHypervisor } from './hypervisor.ts';
import { KERNELS, VARIANTS, measure, type Kernel, type Variant } from './measure.ts';

export { runGuest } from './measure.ts';

interface Sample { mips: number; warmMips?: number }
type Job = readonly [Variant, Kernel];

const STEADY: readonly Job[] = [
  ...(['count', 'sieve'] as const).flatMap((k) => (['interp', 'jit', 'bare', 'js'] as const).map((v) => [v, k] as const)),
  ...(['fib', 'memcpy'] as const).flatMap((k) => (['interp', 'jit', 'js'] as const).map((v) => [v, k] as const)),
];
const JOBS: readonly Job[] = [...STEADY, ['cold-interp', 'sieve'], ['cold-warm', 'sieve'], ['cold-jit', 'sieve'], ['lhp-interp', 'sieve'], ['lhp-jit', 'sieve']];

function child(job: Job): Sample | undefined {
  const r = spawnSync(process.execPath, ['bin/bench.js', '--measure', job[0], job[1]], { cwd: ROOT, encoding: 'utf8' });
  try {
    return JSON.parse(r.stdout) as Sample;
  } catch {
    console.log(`  (child ${job.join(' ')} failed: ${r.stderr.trim().split('\n')[0]})`);
    return undefined;
  }
}

/** Every job REPS times, alternated (each repetition starts one job later), in fresh processes. */
function collect(reps: number): Map<string, Sample[]> {
  const got = new Map<string, Sample[]>(JOBS.map((j) => [j.join(' '), []]));
  for (let r = 0; r < reps; r++) {
    for (let i = 0; i < JOBS.length; i++) {
      const job = JOBS[(i + r) % JOBS.length]!;
      const s = child(job);
      if (s) got.get(job.join(' '))!.push(s);
    }
    process.stderr.write(`  repetition ${r + 1}/${reps} done\n`);
  }
  return got;
}

function row(cells: (string | number)[], widths: number[]): string {
  return cells.map((c, i) => String(c).padStart(widths[i]!)).join('  ');
}

function report(got: Map<string, Sample[]>, reps: number): void {
  const m = (v: Variant, k: Kernel, warm = false): number => median((got.get(`${v} ${k}`) ?? []).map((s) => (warm ? s.warmMips! : s.mips)));
  const f = (x: number): string => (Number.isNaN(x) ? '-' : x.toFixed(0));
  const w = [8, 8, 8, 8, 10, 10, 12];
  console.log(`medians of ${reps} fresh processes, CPU time, guest MIPS (plain JS: guest-instruction equivalents)\n`);
  console.log(row(['kernel', 'interp', 'jit', 'bare', 'plain JS', 'jit/interp', 'interp/bare'], w));
  for (const k of KERNELS) {
    const [i, j, b, js] = [m('interp', k), m('jit', k), m('bare', k), m('js', k)];
    console.log(row([k, f(i), f(j), f(b), f(js), `${(j / i).toFixed(2)}x`, Number.isNaN(b) ? '-' : (i / b).toFixed(2)], w));
  }
  const [ci, cw, cj] = [m('cold-interp', 'sieve'), m('cold-warm', 'sieve'), m('cold-jit', 'sieve')];
  console.log(`\ncold run of the sieve (first run of a process, as paravm run): interp ${f(ci)} MIPS = ${(ci / m('interp', 'sieve')).toFixed(2)} of steady;`
    + ` after the interpreter warm-up ${f(cw)} MIPS = ${(cw / m('interp', 'sieve')).toFixed(2)};`
    + ` jit ${f(cj)} MIPS = ${(cj / m('jit', 'sieve')).toFixed(2)} of steady`);
  const [li, lj, lwi, lwj] = [m('lhp-interp', 'sieve'), m('lhp-jit', 'sieve'), m('lhp-interp', 'sieve', true), m('lhp-jit', 'sieve', true)];
  console.log(`one LHP run (httpd.s on 4 VCPUs over 4 PCPUs, 1 us rounds, 30 ms): first of a process interp ${f(li)} MIPS, jit ${f(lj)} MIPS (${(lj / li).toFixed(2)}x);`
    + ` runs 2-5: interp ${f(lwi)}, jit ${f(lwj)} (${(lwj / lwi).toFixed(2)}x)`);
}

function benchAssembler(): void {
  const src = generateAsm(50_000);
  const t0 = performance.now();
  const res = assembleSource(src, 'generated.s');
  const ms = performance.now() - t0;
  const words = res.image ? res.image.segments.reduce((s, g) => s + g.data.length, 0) / 4 : 0;
  console.log(`\nassembler: 50,000 generated lines -> ${words} words in ${(ms / 1000).toFixed(2)} s`
    + ` (${res.ok ? 'ok' : `${res.diagnostics.length} errors`})`);
}

export async function main(args: string[]): Promise<void> {
  const at = args.indexOf('--measure');
  if (at >= 0) { measure(args[at + 1] as Variant, args[at + 2] as Kernel); return; }
  if (args.includes('--hypervisor')) { benchHypervisor(); return; }
  const reps = Number(args[args.indexOf('--reps') + 1]) || 5;
  const cpu = cpus()[0];
  console.log(`paravm bench: ${cpu?.model ?? 'unknown CPU'} (${cpus().length} cores), Node ${process.version}, V8 ${process.versions.v8}\n`);
  const t0 = performance.now();
  report(collect(reps), reps);
  benchAssembler();
  benchHypervisor();
  console.log(`\n(${((performance.now() - t0) / 1000).toFixed(0)} s)`);
}

export { VARIANTS };
