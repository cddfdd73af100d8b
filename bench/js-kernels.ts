/**
 * The bench kernels written in plain JS, doing the same work as the guest
 * programs in bench/guest/ (same sizes, same rounds), for the side-by-side
 * ratio. Each returns its result so V8 cannot drop the work.
 */
export let sink = 0;

function count(): void {
  let t = 20_000_000;
  let steps = 0;
  while (t !== 0) { t = (t - 1) | 0; steps++; }
  sink = steps;
}

function sieve(): void {
  const N = 65536;
  const flags = new Uint8Array(N);
  let primes = 0;
  for (let round = 0; round < 8; round++) {
    flags.fill(0);
    primes = 0;
    for (let i = 2; i < N; i++) {
      if (flags[i]) continue;
      primes++;
      for (let j = i + i; j < N; j += i) flags[j] = 1;
    }
  }
  sink = primes;
}

function fibRec(n: number): number {
  return n < 2 ? n : fibRec(n - 1) + fibRec(n - 2);
}

function fib(): void { sink = fibRec(25); }

const mem = new Int32Array(65536);
function memcpy(): void {
  const words = 32768;
  for (let r = 0; r < 16; r++) {
    for (let i = 0; i < words; i++) mem[words + i] = mem[i]!;
  }
  sink = mem[words]!;
}

export const JS_KERNELS: Readonly<Record<'count' | 'sieve' | 'fib' | 'memcpy', () => void>> = { count, sieve, fib, memcpy };
