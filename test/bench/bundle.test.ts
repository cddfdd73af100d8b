/**
 * The esbuild bundle on its own: `node dist/paravm.mjs run hello.s` runs
 * (it used to exit 0 silently: main ran only through bin/paravm.js), and a
 * sweep started from the bundle runs its runs on the bundled worker
 * (dist/experiment-worker.mjs) and prints a table.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../../guest-kernel/loader/index.ts';

const node = (...args: string[]) => spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });

describe('the bundle', { timeout: 180_000 }, () => {
  it('runs a tiny sweep on two bundled workers (building the bundle first if sources changed)', () => {
    const out = mkdtempSync(join(tmpdir(), 'paravm-bundle-'));
    const r = node('bin/paravm.js', 'experiment', 'lhp', '--cpus', '2', '--strategies', 'native,none', '--seeds', '1',
      '--duration-ms', '5', '--warmup-ms', '5', '--jobs', '2', '--out', out);
    expect(r.stderr).toMatch(/paravm: 2 runs \(5 ms measured after 5 ms warm-up, seeds 1\)/);
    expect(r.stdout.split('\n')[0]).toMatch(/^# paravm .* plan [0-9a-f]{12}: lhp cpus=2 strategies=native,none seeds=1/);
    expect(r.status).toBe(0);
  });

  it('runs on its own: node dist/paravm.mjs run hello.s', () => {
    const r = node(join('dist', 'paravm.mjs'), 'run', join('programs', 'hello.s'));
    expect(r.stdout).toContain('Hello, paravm!');
    expect(r.status).toBe(0);
  });
});
