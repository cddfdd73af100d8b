/**
 * The CLI with absurd flags: whatever the values, a usage or input error
 * (or a run), never a stack trace. Each case is a fresh process, so the
 * count stays small at scale 1.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../../guest-kernel/loader/root.ts';
import { SEED, budget, runs } from './scale.ts';

const VALUES = ['-1', '0', '1e15', '99999999999999999999', 'NaN', '__proto__', 'toString', '', '4K', '1s', '-1ms', 'x'.repeat(300)];
const FLAGS: Readonly<Record<string, readonly string[]>> = {
  run: ['--pcpus', '--vcpus', '--memory', '--time', '--slice', '--quantum', '--seed', '--limit', '--policy', '--preemption'],
  boot: ['--vcpus', '--pcpus', '--memory', '--time', '--tick', '--seed', '--preemption', '--locks'],
};

describe('CLI fuzz', () => {
  it(`${runs(12)} commands with absurd flag values: no stack trace, a documented exit status`, () => {
    const cmd = fc.constantFrom('run', 'boot').chain((c) => fc.tuple(fc.constant(c), fc.constantFrom(...FLAGS[c]!), fc.constantFrom(...VALUES)));
    fc.assert(fc.property(cmd, ([c, flag, value]) => {
      const prog = c === 'run' ? 'programs/hello.s' : 'programs/kernel/hello.s';
      const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'paravm.js'), c, `${flag}=${value}`, '--time=2ms', prog], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
      expect(r.stderr).not.toMatch(/^\s+at /m);
      expect([0, 2, 4]).toContain(r.status);
    }), { seed: SEED, numRuns: runs(12) });
  }, budget(120_000));
});
