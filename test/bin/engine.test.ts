/**
 * --engine is a configuration field like any other: the interpreter and the
 * compiling tier give byte-identical statistics and console output, bare
 * metal, multi-VM and under the guest kernel; an unknown engine is refused.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../guest-kernel/loader/index.ts';

const tmp = mkdtempSync(join(tmpdir(), 'paravm-engine-'));

function paravm(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'paravm.js'), ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

/** The statistics without the command line that made them, which names the engine. */
const withoutProvenance = (text: string): string => JSON.stringify({ ...JSON.parse(text) as object, provenance: undefined }, null, 2);

/** Console output and --stats of one command under each engine. */
function both(tag: string, ...args: string[]): { out: string; stats: string; code: number }[] {
  return ['interp', 'jit'].map((engine) => {
    const stats = join(tmp, `${tag}-${engine}.json`);
    const r = paravm(...args.slice(0, 1), '--engine', engine, '--stats', stats, ...args.slice(1));
    return { out: r.out, stats: withoutProvenance(readFileSync(stats, 'utf8')), code: r.code };
  });
}

describe('--engine', () => {
  it.each([
    ['bare metal', ['run', 'programs/sieve.s']],
    ['two VMs on two PCPUs', ['run', '--config', 'programs/ipc/machine.json']],
    ['the guest kernel on 2 VCPUs', ['boot', '--vcpus', '2', 'programs/kernel/parallel.s']],
  ])('%s: interp and jit give the same bytes', (tag, args) => {
    const [a, b] = both(tag.replace(/\W/g, ''), ...args);
    expect(a!.code).toBe(b!.code);
    expect(a!.out).toBe(b!.out);
    expect(a!.stats.length).toBeGreaterThan(200);
    expect(a!.stats).toBe(b!.stats);
  });

  it('refuses an unknown engine, in a flag and in a configuration file', () => {
    const r = paravm('run', '--engine', 'turbo', 'programs/hello.s');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--engine: unknown engine "turbo" \(known: interp, jit\)/);
    expect(paravm('boot', '--engine', 'toString', 'programs/kernel/hello.s').err).toMatch(/unknown engine "toString"/);
  });
});
