/**
 * The fuzz suite's budget: CI runs scale 1 (a few minutes in all, seeded so
 * a failure reproduces); PARAVM_FUZZ_SCALE=N multiplies every count for a
 * long local run. PARAVM_FUZZ_SCALE=250 runs 100,000 random code pages
 * (400 at scale 1); run that test alone, as every other count grows too:
 *   PARAVM_FUZZ_SCALE=250 npx vitest run test/fuzz/machine.fuzz.test.ts -t "random code pages"
 */
export const SCALE = Math.max(1, Number(process.env.PARAVM_FUZZ_SCALE ?? 1) || 1);
export const SEED = Number(process.env.PARAVM_FUZZ_SEED ?? 19);
export const runs = (n: number): number => Math.round(n * SCALE);
/** Per-test timeout for a count of n at scale 1 taking `ms`. */
export const budget = (ms: number): number => ms * SCALE + 30_000;
