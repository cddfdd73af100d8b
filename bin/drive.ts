/**
 * Running a machine from the command line: in slices of SLICE instructions
 * with a turn of the event loop between them, so that Ctrl-C (a SIGINT
 * handler, which only runs on the event loop) can end the run cleanly and a
 * progress line can be drawn. Hypervisor.run(budget) pauses only where
 * pausing changes nothing, so a sliced run is the run. Callers: run.ts, boot.ts.
 */
import { setImmediate as turn } from 'node:timers/promises';
import { CYCLES_PER_MS } from '../isa/clock.ts';
import type { Hypervisor } from '../hypervisor/index.ts';

/** Instructions per slice: a few milliseconds of host time, so Ctrl-C is seen at once and a slice boundary costs nothing measurable. */
export const SLICE = 1 << 20;
/** Host time before a progress line appears, and between its updates. */
const PROGRESS_AFTER_MS = 1000;
const PROGRESS_EVERY_MS = 250;

/** Runs hv to the end, or to Ctrl-C (then stops it there and returns true). */
export async function drive(hv: Hypervisor, progress = Boolean(process.stderr.isTTY)): Promise<boolean> {
  let interrupted = false;
  const onInt = (): void => { interrupted = true; };
  process.on('SIGINT', onInt);
  const t0 = performance.now();
  let shown = 0;
  try {
    while (hv.run(SLICE) === 'paused') {
      await turn();
      if (interrupted) { hv.stop(); break; }
      const now = performance.now();
      if (progress && now - t0 >= PROGRESS_AFTER_MS && now - shown >= PROGRESS_EVERY_MS) { shown = now; draw(hv, now - t0); }
    }
  } finally {
    process.off('SIGINT', onInt);
    if (shown) process.stderr.write('\r\x1b[K');
  }
  return interrupted;
}

function draw(hv: Hypervisor, wallMs: number): void {
  const mips = hv.instructions / wallMs / 1000;
  process.stderr.write(`\r\x1b[Kparavm: ${(hv.elapsed() / CYCLES_PER_MS).toFixed(1)} ms virtual, `
    + `${(hv.instructions / 1e6).toFixed(1)}M instructions (${mips.toFixed(0)} MIPS), ${(wallMs / 1000).toFixed(1)} s; Ctrl-C stops`);
}
