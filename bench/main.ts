/**
 * `npm run bench`: interpreter speed, measured side by side in one run.
 *
 * For each hot loop in bench/guest/ (count, sieve, fib, memcpy): guest MIPS
 * under the fast interpreter (with privilege checks, the software TLB and
 * interrupt checks in place) and the slowdown against the same algorithm in
 * plain JS, both timed by benchmark.js in this process. The sieve also runs
 * under a bare switch loop (no MMU, no privilege or interrupt checks, no
 * cycle accounting) to show what those checks cost; and under tsx with one
 * module per file, to show why the CLI and this bench run a bundle.
 * Finally: the assembler on a generated 50,000-line file.
 */
import Benchmark from 'benchmark';
import { cpus } from 'node:os';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { assembleFile, assembleSource } from '../assembler/index.ts';
import type { Image } from '../isa/image.ts';
import { createVcpu, run, Exit } from '../hypervisor/index.ts';
import { JS_KERNELS } from './js-kernels.ts';
import { bareSwitchRun } from './bare-switch.ts';
import { generateAsm } from './gen-asm.ts';
import { ROOT } from '../guest-kernel/loader/index.ts';
import { benchHypervisor } from './hypervisor.ts';

const KERNELS = ['count', 'sieve', 'fib', 'memcpy'] as const;

function assembleGuest(name: string): Image {
  const res = assembleFile(join(ROOT, 'bench', 'guest', `${name}.s`));
  if (!res.ok) throw new Error(`bench/guest/${name}.s does not assemble`);
  return res.image!;
}

/** Run an image to its shutdown hypercall; returns the instruction count. */
export function runGuest(img: Image): number {
  const cpu = createVcpu(img, 2 << 20);
  let exit;
  do exit = run(cpu, 1 << 24); while (exit === Exit.BUDGET);
  if (exit !== Exit.HCALL) throw new Error(`guest stopped with exit ${exit}`);
  return cpu.instret;
}

interface Timing { hz: number; rme: number }

function time(name: string, fn: () => void): Timing {
  const b = new Benchmark(name, fn, { minSamples: 5, maxTime: 2 });
  b.run({ async: false });
  return { hz: b.hz, rme: b.stats.rme };
}

function row(cells: (string | number)[], widths: number[]): string {
  return cells.map((c, i) => String(c).padStart(widths[i]!)).join('  ');
}

function benchKernels(): void {
  const w = [8, 11, 6, 12, 14];
  console.log(row(['kernel', 'guest MIPS', '±%', 'JS runs/s', 'interp/JS time'], w));
  for (const k of KERNELS) {
    const img = assembleGuest(k);
    const n = runGuest(img);
    const g = time(`${k} (guest)`, () => { runGuest(img); });
    const j = time(`${k} (js)`, JS_KERNELS[k]);
    console.log(row([k, (g.hz * n / 1e6).toFixed(1), g.rme.toFixed(1), j.hz.toFixed(1), `${(j.hz / g.hz).toFixed(1)}x`], w));
  }
}

function benchBareSwitch(): void {
  const img = assembleGuest('sieve');
  const n = runGuest(img);
  const bare = time('sieve (bare switch)', () => { bareSwitchRun(img); });
  const full = time('sieve (paravm)', () => { runGuest(img); });
  const bareMips = bare.hz * n / 1e6;
  const fullMips = full.hz * n / 1e6;
  console.log(`\nsieve, bare switch loop (no MMU/privilege/interrupts/cycles): ${bareMips.toFixed(1)} MIPS;`
    + ` paravm interpreter: ${fullMips.toFixed(1)} MIPS (${(fullMips / bareMips * 100).toFixed(0)}% of bare)`);
}

/** In a child process: MIPS of the sieve, for the tsx-vs-bundle comparison. */
export function probe(): void {
  const img = assembleGuest('sieve');
  const n = runGuest(img);
  const t = time('probe', () => { runGuest(img); });
  process.stdout.write(JSON.stringify({ mips: t.hz * n / 1e6 }));
}

function childMips(args: string[]): number | undefined {
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
  try {
    return (JSON.parse(r.stdout) as { mips: number }).mips;
  } catch {
    console.log(`  (child ${args.join(' ')} failed: ${r.stderr.trim().split('\n')[0]})`);
    return undefined;
  }
}

function benchLoaders(): void {
  const tsx = childMips(['--import', 'tsx', 'bench/probe.ts']);
  const bundle = childMips(['bin/bench.js', '--probe']);
  if (tsx === undefined || bundle === undefined) return;
  console.log(`\nsieve via tsx, one module per file: ${tsx.toFixed(1)} MIPS; via the esbuild bundle the CLI runs: `
    + `${bundle.toFixed(1)} MIPS (bundle/tsx = ${(bundle / tsx).toFixed(2)})`);
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
  if (args.includes('--probe')) { probe(); return; }
  if (args.includes('--hypervisor')) { benchHypervisor(); return; }
  const cpu = cpus()[0];
  console.log(`paravm bench: ${cpu?.model ?? 'unknown CPU'} (${cpus().length} cores), Node ${process.version}, V8 ${process.versions.v8}\n`);
  benchKernels();
  benchBareSwitch();
  benchLoaders();
  benchAssembler();
  benchHypervisor();
}
