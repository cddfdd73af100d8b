/**
 * What the experiment sweeps share: how a sweep reports progress, and how
 * runs that differ only by seed are summarised into one table cell.
 */

export interface SweepOptions {
  quick: boolean;
  /** Called after each run: done, total. */
  progress?: (done: number, total: number) => void;
}

/** Mean and half the range over seeds. */
export interface Stat { mean: number; spread: number }

export const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

export const stat = (xs: readonly number[]): Stat => ({ mean: mean(xs), spread: (Math.max(...xs) - Math.min(...xs)) / 2 });

/** The items grouped by key, groups in the order their first item appears. */
export function groups<T>(items: readonly T[], key: (t: T) => string): T[][] {
  const byKey = new Map<string, T[]>();
  for (const t of items) {
    const k = key(t);
    const g = byKey.get(k);
    if (g) g.push(t);
    else byKey.set(k, [t]);
  }
  return [...byKey.values()];
}
