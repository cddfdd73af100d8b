/**
 * Mutated assembler inputs: windows of real programs with characters and
 * lines inserted, deleted, duplicated and repeated. Every case must end in
 * an image or diagnostics (never "internal assembler error", never an
 * exception), within a per-case watchdog of time and heap.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assembleSource } from '../../guest-kernel/loader/index.ts';
import { ROOT } from '../../guest-kernel/loader/root.ts';
import { SEED, budget, runs } from './scale.ts';

const LINES = readdirSync(join(ROOT, 'programs')).filter((f) => f.endsWith('.s'))
  .flatMap((f) => readFileSync(join(ROOT, 'programs', f), 'utf8').split('\n'))
  .filter((l) => !l.includes('.include'));

const NASTY = ['(', ')', '-', '~', '"', "'", '\\', ',', ':', '.rept 3', '.endr', '.macro m x', '.endm', 'm \\x\\x', '.if 1', '.endif', '0x', '%hi(', '\n'];

const mutation = fc.oneof(
  fc.record({ k: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.constantFrom(...NASTY), fc.string({ maxLength: 8 })) }),
  fc.record({ k: fc.constant('delete' as const), at: fc.nat(), n: fc.integer({ min: 1, max: 20 }) }),
  fc.record({ k: fc.constant('repeat' as const), at: fc.nat(), n: fc.integer({ min: 1, max: 400 }) }),
);

type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function apply(text: string, m: Mutation): string {
  const at = text.length === 0 ? 0 : m.at % text.length;
  if (m.k === 'insert') return text.slice(0, at) + m.text + text.slice(at);
  if (m.k === 'delete') return text.slice(0, at) + text.slice(at + m.n);
  return text.length === 0 ? text : text.slice(0, at) + text[at]!.repeat(m.n) + text.slice(at + 1);
}

const source = fc.record({
  start: fc.nat({ max: LINES.length - 1 }),
  len: fc.integer({ min: 1, max: 6 }),
  muts: fc.array(mutation, { maxLength: 4 }),
}).map(({ start, len, muts }) => muts.reduce(apply, LINES.slice(start, start + len).join('\n')));

describe('assembler fuzz', () => {
  it(`${runs(10_000)} mutated inputs: diagnostics or an image, in bounded time and heap`, () => {
    let worst = 0;
    fc.assert(fc.property(source, (src) => {
      const heap0 = process.memoryUsage().heapUsed;
      const t0 = performance.now();
      const r = assembleSource(`${src}\n`, 'fuzz.s', { readFile: () => { throw new Error('no includes'); } });
      const ms = performance.now() - t0;
      worst = Math.max(worst, ms);
      expect(ms).toBeLessThan(2_000);
      expect(process.memoryUsage().heapUsed - heap0).toBeLessThan(256 << 20);
      expect(r.ok || r.diagnostics.some((d) => d.severity === 'error')).toBe(true);
      expect(r.diagnostics.filter((d) => d.message.startsWith('internal assembler error'))).toEqual([]);
    }), { seed: SEED, numRuns: runs(10_000) });
  }, budget(120_000));
});
