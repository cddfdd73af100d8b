/**
 * How fair the references themselves are (steady-reference.ts), on streams
 * drawn on the host with stream.s's generator (the C standard's example
 * rand(), the same gap and length rules), so that loads, length mixes and
 * speed profiles the guest runs do not cover can be tried in milliseconds.
 * The host's arrivals are the nominal ones: a guest's main thread, delayed
 * by a loaded VCPU, arrives a little later. The question it answers: is
 * Jain's index over slowdowns >= 0.95 within reach of a fair, work-conserving
 * schedule at all, and what moves it: the load, the mix, or the speeds?
 *
 *   npx tsx bench/experiments/balloon/steady-mixes.ts
 */
import { CYCLES_PER_US } from '../../../isa/clock.ts';
import { withCi } from './ci.ts';
import { REFERENCES, referenceRun, type StreamJob } from './steady-reference.ts';
import { gapFor, WARMUP } from './steady.ts';

/** The C standard's example rand() (ISO/IEC 9899 7.22.2) as stream.s runs it: 32-bit state, bits 16..30. */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s >>> 16) & 0x7fff;
  };
}

/** stream.s's jobs for a seed: gaps uniform in [0, 2 gap] us (scaled 15-bit draws), length long with probability 1/4; work in units. */
export function hostStream(seed: number, jobs: number, gapUs: number, short: number, long: number): StreamJob[] {
  const next = lcg(seed);
  const out: StreamJob[] = [];
  let t = 0;
  for (let i = 0; i < jobs; i++) {
    t += ((next() * (2 * gapUs + 1)) >>> 15) * CYCLES_PER_US;
    out.push({ from: t, work: (next() & 3) === 0 ? long : short });
  }
  return out;
}

export interface MixCase { name: string; speeds: number[]; short: number; long: number }

/** Jain of each reference over seeds, at each load, for one case (window as steady.ts: from WARMUP of the last arrival). */
export function mixJain(c: MixCase, load: number, seeds: readonly number[], jobs = 100, unit = 2000): Record<string, { mean: number; ci: number }> {
  const capacity = c.speeds.reduce((a, b) => a + b, 0);
  const gapUs = gapFor({ short: c.short, long: c.long, load, unit }, capacity);
  const per = REFERENCES.map((r) => seeds.map((seed) => {
    const stream = hostStream(seed, jobs, gapUs, c.short, c.long).map((j) => ({ ...j, work: j.work * unit }));
    const last = Math.max(...stream.map((j) => j.from));
    return referenceRun(r, stream, c.speeds, Math.round(WARMUP * last), last).jain;
  }));
  return Object.fromEntries(REFERENCES.map((r, i) => [r, withCi(per[i]!)]));
}

const CASES: MixCase[] = [
  { name: 'graded 1/0.75/0.5/0.25, 600/2400 (the experiment)', speeds: [1, 0.75, 0.5, 0.25], short: 600, long: 2400 },
  { name: 'graded, equal lengths 1050', speeds: [1, 0.75, 0.5, 0.25], short: 1050, long: 1050 },
  { name: 'equal speeds 4 x 0.625, 600/2400', speeds: [0.625, 0.625, 0.625, 0.625], short: 600, long: 2400 },
  { name: 'equal speeds 4 x 0.625, equal lengths 1050', speeds: [0.625, 0.625, 0.625, 0.625], short: 1050, long: 1050 },
];

function main(): void {
  const seeds = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const loads = [0.5, 0.7, 0.9, 1.2];
  console.log('Jain\'s index over slowdowns of the references on host-drawn streams (100 jobs, window from a quarter of the last arrival),');
  console.log(`mean ±95% Student-t half-width over seeds ${seeds.join(',')}; columns: offered load over the sum of the speeds`);
  console.log(`${'case'.padEnd(52)}  ref    ${loads.map((l) => `${Math.round(l * 100)}%`.padEnd(14)).join('')}`);
  for (const c of CASES) {
    const at = loads.map((l) => mixJain(c, l, seeds));
    for (const r of REFERENCES) console.log(`${c.name.padEnd(52)}  ${r.padEnd(5)}  ${at.map((x) => `${x[r]!.mean.toFixed(3)} ±${x[r]!.ci.toFixed(3)}`.padEnd(14)).join('')}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) main();
