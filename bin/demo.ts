/**
 * `paravm demo` (and `npm start`): assemble programs/demo.s, run it bare
 * metal, and explain what happened in numbers. Later issues replace this
 * with the SMP guest kernel under the hypervisor.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assembleFile, formatDiagnostics } from '../assembler/index.ts';
import { runBareMetal } from '../hypervisor/baremetal.ts';
import { formatFault } from '../hypervisor/report.ts';
import { CLOCK_HZ } from '../isa/clock.ts';
import { DEFAULT_MEMORY_BYTES } from '../isa/memory.ts';

/** The repository root: one level above this file, whether run from bin/ or from the dist/ bundle. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

const say = (s: string): void => { process.stdout.write(`${s}\n`); };

export function runDemo(_args: string[]): number {
  const src = join(ROOT, 'programs', 'demo.s');
  const lines = readFileSync(src, 'utf8').split('\n').length;
  const t0 = performance.now();
  const asm = assembleFile(src);
  const asmMs = performance.now() - t0;
  if (!asm.ok) {
    process.stderr.write(formatDiagnostics(asm.diagnostics));
    return 1;
  }
  const img = asm.image!;
  const bytes = img.segments.reduce((n, s) => n + s.data.length, 0);
  say(`paravm demo: assembled ${relative(process.cwd(), src)} (${lines} lines, with lib/io.s) into ${bytes} bytes in ${asmMs.toFixed(0)} ms`);
  say(`running it bare metal: one VCPU in kernel mode, ${DEFAULT_MEMORY_BYTES >> 20} MiB of memory, ${CLOCK_HZ / 1e6} MHz virtual clock\n`);
  say('---- guest console ----');
  const res = runBareMetal(img, { onConsole: (b) => process.stdout.write(b) });
  say('---- guest shut down ----\n');
  if (res.reason === 'fault') {
    process.stderr.write(`${formatFault(res.hv.vms[0]!, false)}\n`);
    return 3;
  }
  say(`${res.instructions.toLocaleString('en-US')} instructions retired in ${res.cycles.toLocaleString('en-US')} virtual cycles`
    + ` (${(res.virtualTime / CLOCK_HZ * 1000).toFixed(2)} ms of virtual time)`);
  say(`host: ${res.wallMs.toFixed(0)} ms wall, ${(res.instructions / res.wallMs / 1000).toFixed(1)} MIPS (Node ${process.version})`);
  say('\nnext: npx paravm run programs/hello.s | npx paravm run --itrace --limit 20 programs/fib.s | npm run bench');
  return res.exitCode;
}
