/**
 * The workload's file set: how many bytes each file of the net device has.
 * Sizes come from a seeded generator resembling SPECweb99 static content
 * (isa/net.ts NET_FILE_NOTE states the distribution for guest authors); the
 * contents and checksums the guest and the device share stay in isa/net.ts.
 */
import { NET_MAX_FILES } from '../../isa/net.ts';
import { Rng } from '../rng.ts';

/** SPECweb99-like size classes: probability in percent and base size in bytes (size = base x k, k in 1..9). */
export const FILE_CLASSES = [
  { percent: 35, base: 100 },
  { percent: 50, base: 1000 },
  { percent: 15, base: 10000 },
] as const;

/** Salt of the net device's seeds, so its streams differ from the scheduler's for the same seed. */
const FILE_SALT = 0x46494c45; // "FILE"

/** Byte sizes of `count` files (multiples of 4), deterministic in seed. */
export function makeFileSet(count: number, seed: number): number[] {
  if (!Number.isSafeInteger(count) || count < 1 || count > NET_MAX_FILES) {
    throw new RangeError(`a file set has 1..${NET_MAX_FILES} files, got ${count}`);
  }
  const rng = new Rng((seed ^ FILE_SALT) >>> 0);
  const sizes: number[] = [];
  for (let i = 0; i < count; i++) {
    let u = rng.below(100);
    const cls = FILE_CLASSES.find((c) => (u -= c.percent) < 0)!;
    const k = 1 + rng.below(9);
    sizes.push(Math.ceil((cls.base * k) / 4) * 4);
  }
  return sizes;
}
