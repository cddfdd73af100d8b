/**
 * How long each slice lasts. Exact slices of one length put every PCPU's
 * slice ends in lockstep once anything (a wake-up preemption in the warm-up)
 * has aligned them, and that lockstep acts as accidental co-scheduling: an
 * SMP guest's VCPUs then run all together or not at all, and a preempted
 * lock holder's siblings are preempted with it. Real PCPUs drift apart: a
 * slice end waits for the next scheduler tick and timer and interrupt noise
 * move it. So every slice lasts `slice` ± `sliceJitter`/2 (uniform), drawn
 * from a generator of its own per PCPU, seeded from the machine's seed: the
 * interleaving order's stream is untouched, and a run replays bit for bit.
 *
 * The first slice sets the PCPUs' phases: seeded in [slice/2, slice] by
 * default, or `slicePhase` apart for controlled experiments (0 = lockstep).
 */
import type { MachineConfig } from '../config/index.ts';
import { DEFAULTS } from '../config/index.ts';
import { Rng } from '../rng.ts';

export class SliceLengths {
  private readonly jitter: number;
  private readonly rngs: Rng[];

  /** `first` gives PCPU i's seeded first slice (drawn by the caller, from the machine's generator). */
  constructor(private readonly config: MachineConfig, private readonly first: readonly number[]) {
    // Never more than the slice (a slice never shrinks below half): the default tick is longer than the 1 ms slices of some tests.
    this.jitter = Math.min(config.sliceJitter ?? DEFAULTS.sliceJitter, config.slice);
    // A distinct stream per PCPU: mixing the PCPU's index into the seed keeps the streams apart.
    this.rngs = first.map((_, i) => new Rng((config.seed ^ Math.imul(i + 1, 0x85ebca6b)) >>> 0));
  }

  /** PCPU p's first slice. */
  firstSlice(p: number): number {
    const phase = this.config.slicePhase;
    if (phase === undefined) return this.first[p]!;
    const s = this.config.slice;
    return Math.max(1, s - ((p * phase) % s));
  }

  /** The length of PCPU p's next slice. */
  next(p: number): number {
    const s = this.config.slice;
    if (this.jitter === 0) return s;
    const u = this.rngs[p]!.next() / 2 ** 32;
    return Math.max(1, Math.round(s + (u - 0.5) * this.jitter));
  }
}
