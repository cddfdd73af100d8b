/**
 * Confidence intervals of a cell's mean over seeds: Student's t, 95%
 * two-sided. The quantiles t(0.975, df) for df = 1..30 are those of any
 * statistics table (e.g. NIST/SEMATECH e-Handbook of Statistical Methods,
 * section 1.3.6.7.2, "Critical values of the Student's t distribution");
 * above 30 degrees of freedom the normal quantile 1.96 is used.
 */
import { stat, type Stat } from '../summary.ts';

const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

/** The mean, half the range, and the half-width of the 95% confidence interval of the mean (NaN for one value). */
export function withCi(xs: readonly number[]): Stat & { ci: number } {
  const s = stat(xs);
  const n = xs.length;
  if (n < 2) return { ...s, ci: NaN };
  const sd = Math.sqrt(xs.reduce((a, x) => a + (x - s.mean) ** 2, 0) / (n - 1));
  return { ...s, ci: ((T975[n - 2] ?? 1.96) * sd) / Math.sqrt(n) };
}
