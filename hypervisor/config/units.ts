/**
 * The units of configuration values: durations in cycles of virtual time
 * (isa/clock.ts: 100 MHz, so 1 ms = 100,000 cycles) and sizes in bytes, as
 * written in files and on the command line ("10ms", "500us", "1M", "64K"),
 * and back for messages and reports.
 */
import { CLOCK_HZ } from '../../isa/clock.ts';

/** Thrown for any configuration problem; the message has one problem per line. */
export class ConfigError extends Error {}

/** Cycles per unit of a duration string (100 MHz: 1 cycle = 10 ns). */
const DURATION_UNITS: Readonly<Record<string, number>> = {
  cycle: 1,
  cycles: 1,
  ns: CLOCK_HZ / 1e9,
  us: CLOCK_HZ / 1e6,
  ms: CLOCK_HZ / 1e3,
  s: CLOCK_HZ,
};

const DURATION_RE = /^\s*(\d+(?:\.\d*)?|\.\d+)\s*([a-z]+)\s*$/i;

/** A value for a message: strings quoted, numbers plain. */
export function show(v: unknown): string {
  return v === undefined ? 'nothing' : JSON.stringify(v) ?? String(v);
}

/**
 * A duration in cycles of virtual time. A number is already cycles (a
 * non-negative integer); a string is `<number><unit>` with unit cycles, ns,
 * us, ms or s, spaces allowed ("10ms", "2.5 ms", "1000cycles"), rounded to
 * whole cycles. May return 0 ("0ms", "1ns"): callers check the range.
 */
export function parseDuration(v: string | number, what: string): number {
  const bad = (): ConfigError =>
    new ConfigError(`${what}: expected a duration like 10ms, 500us or 1000cycles, got ${JSON.stringify(v)}`);
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v) || v < 0) throw bad();
    return v;
  }
  if (typeof v !== 'string') throw bad();
  const m = DURATION_RE.exec(v);
  if (!m) throw bad();
  const perUnit = Object.hasOwn(DURATION_UNITS, m[2].toLowerCase()) ? DURATION_UNITS[m[2].toLowerCase()] : undefined;
  if (perUnit === undefined) throw bad();
  const cycles = Math.round(Number(m[1]) * perUnit);
  if (!Number.isSafeInteger(cycles)) throw new ConfigError(`${what}: duration too long, got ${JSON.stringify(v)}`);
  return cycles;
}

const SIZE_RE = /^\s*(\d+(?:\.\d*)?|\.\d+)\s*(?:([kmg])(?:i?b)?|b)?\s*$/i;
const SIZE_UNITS: Readonly<Record<string, number>> = { k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** A byte count for messages: "1 MiB", "1.5 GiB", "12 KiB", "100 bytes". */
export function formatSize(bytes: number): string {
  for (const [unit, n] of [['GiB', 1024 ** 3], ['MiB', 1024 ** 2], ['KiB', 1024]] as const) {
    if (bytes >= n && bytes % (n / 1024) === 0) return `${Number((bytes / n).toFixed(3))} ${unit}`;
  }
  return `${bytes} bytes`;
}

/**
 * A size in bytes, unchecked: a number is bytes; a string is a number with
 * an optional unit K, M or G (powers of 1024, case-insensitive, optionally
 * followed by "iB" or "B"): "1M", "1MiB", "64K", "4096", "2m".
 */
export function parseBytes(v: string | number, what: string): number {
  if (typeof v === 'number') return v;
  const m = typeof v === 'string' ? SIZE_RE.exec(v) : null;
  if (!m) throw new ConfigError(`${what}: expected a size like 1M, 64K or 4096, got ${JSON.stringify(v)}`);
  return Number(m[1]) * (m[2] ? SIZE_UNITS[m[2].toLowerCase()] : 1);
}

/**
 * A duration for reports, in the largest unit that fits, with at most two
 * decimals: 1000000 → "10ms", 500 → "5us", 1234 → "12.34us", 50 → "500ns".
 * Whole cycles below 1us are exact in ns (1 cycle = 10 ns).
 */
export function formatDuration(cycles: number): string {
  if (!Number.isFinite(cycles)) return String(cycles);
  if (cycles < 0) return `-${formatDuration(-cycles)}`;
  const units = [['s', CLOCK_HZ], ['ms', CLOCK_HZ / 1e3], ['us', CLOCK_HZ / 1e6]] as const;
  for (let i = 0; i < units.length; i++) {
    const [unit, per] = units[i];
    if (cycles < per) continue;
    const value = Number((cycles / per).toFixed(2));
    // 99,999,999 cycles would round to "1000ms": say "1s" instead.
    if (value >= 1000 && i > 0) return `${Number((cycles / units[i - 1][1]).toFixed(2))}${units[i - 1][0]}`;
    return `${value}${unit}`;
  }
  return `${Number((cycles * 1e9 / CLOCK_HZ).toFixed(2))}ns`;
}
