/**
 * V8 refuses to optimize functions above ~60 KB of bytecode, and an
 * interpreter loop that crosses that line runs an order of magnitude
 * slower. This asks V8 itself (natives syntax, in a child process) whether
 * run() is optimized after a forced optimization.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const OPTIMIZED = 1 << 4; // V8's OptimizationStatus::kOptimized

describe('the interpreter loop', () => {
  it('is optimized by TurboFan', () => {
    const script = join(import.meta.dirname, '..', '..', 'helpers', 'opt-status.ts');
    const r = spawnSync(process.execPath, ['--allow-natives-syntax', '--no-concurrent-recompilation', '--import', 'tsx', script], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const bits = Number(r.stdout);
    expect(Number.isInteger(bits) && bits > 0).toBe(true);
    expect(bits & OPTIMIZED).toBe(OPTIMIZED);
  }, 60_000);
});
