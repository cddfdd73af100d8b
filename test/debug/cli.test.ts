/**
 * The debugger and --itrace as a user meets them: the paravm process with
 * commands on stdin (read synchronously, echoed after the prompt), and the
 * instruction trace of a run with two VCPUs, each line tagged with its VCPU.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

function paravm(args: string[], input = ''): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'bin/cli.ts', ...args], { input, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

describe('paravm debug and run --itrace, in a process', () => {
  it('reads commands from stdin, answers a bad one with one line, and quits at the end of input', () => {
    const r = paravm(['debug', '-I', 'programs', 'test/debug/counter.s'], 'break bump\nbogus\ncontinue\nprint $a0\n');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toBe([
      'step 1: 0x80000000 <_start>  addi s0, zero, 3    ; test/debug/counter.s:5',
      '(pvdb) break bump', 'breakpoint 1 at 0x80000028',
      '(pvdb) bogus', 'error: unknown command \'bogus\' (try help)',
      '(pvdb) continue', 'breakpoint 1', 'step 6: 0x80000028 <bump>  addi sp, sp, -8    ; test/debug/counter.s:17',
      '(pvdb) print $a0', '$a0 = 0x00000003 (3)', '',
    ].join('\n'));
  });

  it('traces every instruction of a run with two VCPUs, tagged with the VCPU', () => {
    const r = paravm(['run', '--itrace', '--pcpus', '2', 'programs/hello.s', 'programs/hello.s']);
    expect(r.code).toBe(0);
    const lines = r.out.split('\n').filter((l) => /^vm\d\.vcpu0 /.test(l));
    expect(lines.filter((l) => l.startsWith('vm0.')).length).toBeGreaterThan(10);
    expect(lines.filter((l) => l.startsWith('vm1.')).length).toBeGreaterThan(10);
  });
});
