/**
 * Confidence intervals for the lock-holder-preemption sweep: the mean over
 * seeds with a 95% Student-t interval, and paired per-seed differences
 * (a remedy minus none on the same seed, so the seed's own workload and
 * interleaving cancel out) with theirs. Seeds are independent replications:
 * each seeds the interleaving, the slice jitter, the file set and the
 * clients' request streams.
 */

/** A mean over seeds with its 95% confidence interval: mean ± half. */
export interface Ci { mean: number; half: number; n: number; sd: number }

/**
 * Two-sided 95% quantiles of Student's t (t_{0.975, df}), df = 1..30, from
 * the standard table (e.g. NIST/SEMATECH e-Handbook of Statistical Methods,
 * section 1.3.6.7.2); beyond 30, the normal quantile's t-correction
 * z + (z^3 + z) / (4 df) is within 0.002 of the table.
 */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
  2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
  2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
];

export function t975(df: number): number {
  if (df < 1) return NaN;
  if (df <= T975.length) return T975[df - 1]!;
  const z = 1.959964;
  return z + (z ** 3 + z) / (4 * df);
}

/** Mean and 95% Student-t half-width (half = 0 for one value: no interval can be given). */
export function ci(xs: readonly number[]): Ci {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { mean, half: 0, n, sd: 0 };
  const sd = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1));
  return { mean, half: (t975(n - 1) * sd) / Math.sqrt(n), n, sd };
}

/** Paired differences b - a over the keys both have (a seed's remedy minus its none), with their interval. */
export function paired<K>(a: ReadonlyMap<K, number>, b: ReadonlyMap<K, number>): Ci {
  const d: number[] = [];
  for (const [k, x] of b) { const y = a.get(k); if (y !== undefined) d.push(x - y); }
  return ci(d);
}

export const fmtCi = (c: Ci, digits: number): string => `${c.mean.toFixed(digits)} ±${c.half.toFixed(digits)}`;
