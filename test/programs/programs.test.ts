/**
 * Every program in programs/ states its expected console output in
 * `# expect: LINE` (exact) or `# expect-re: REGEX` comments, and optionally
 * `# expect-exit: N` (default 0). This runs them all and compares.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { asmFile, expectations, runImage } from '../helpers/guest.ts';
import { ROOT } from '../../guest-kernel/loader/root.ts';

const DIR = join(ROOT, 'programs');

const programs = readdirSync(DIR).filter((f) => f.endsWith('.s')).sort();

describe('programs/', () => {
  it('has the example programs the README promises', () => {
    for (const p of ['hello.s', 'fib.s', 'sieve.s', 'strings.s', 'sort.s', 'trap.s']) expect(programs).toContain(p);
  });

  for (const p of programs) {
    it(`${p} prints what it promises`, () => {
      const path = join(DIR, p);
      const exp = expectations(readFileSync(path, 'utf8'));
      expect(exp.lines.length).toBeGreaterThan(0);
      const res = runImage(asmFile(path));
      expect(res.reason).toBe('shutdown');
      expect(res.exitCode).toBe(exp.exit);
      const out = res.output.replace(/\n$/, '').split('\n');
      expect(out).toHaveLength(exp.lines.length);
      exp.lines.forEach((e, i) => {
        if (typeof e === 'string') expect(out[i]).toBe(e);
        else expect(out[i]).toMatch(e);
      });
    });
  }
});
