/**
 * The CLI end to end, as a user runs it: `node bin/paravm.js ...` in a
 * child process. Checks exit codes, that data goes to stdout and
 * diagnostics to stderr, and the documented formats.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ROOT } from '../../guest-kernel/loader/root.ts';
const tmp = mkdtempSync(join(tmpdir(), 'paravm-cli-'));

function paravm(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'paravm.js'), ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

function file(name: string, text: string): string {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
}

describe('paravm CLI', () => {
  beforeAll(() => { paravm('help'); }, 120_000); // builds the bundle once if stale

  it('asm writes an image, a listing and a symbol file; run prints the greeting', () => {
    const img = join(tmp, 'hello.img');
    const lst = join(tmp, 'hello.lst');
    const sym = join(tmp, 'hello.sym');
    const a = paravm('asm', 'programs/hello.s', '-o', img, '--listing', lst, '--symbols', sym);
    expect(a.err).toBe('');
    expect(a.code).toBe(0);
    expect(readFileSync(lst, 'utf8')).toMatch(/^80000000\s+\d+\s+_start:$/m);
    expect(readFileSync(lst, 'utf8')).toMatch(/^80000000\s+[0-9a-f]{8}\s+\d+\s+la\s+a0, greeting$/m);
    expect(readFileSync(sym, 'utf8')).toMatch(/^80000000 T _start$/m);
    const r = paravm('run', img);
    expect(r.out).toBe('Hello, paravm!\n');
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/\d+ instructions, \d+ cycles .* MIPS/);
  });

  it('three different errors give three gcc-style diagnostics and exit 1', () => {
    const bad = file('bad.s', '_start: addi a0, a0, 70000\n        frob a1\n        j nowhere\n');
    const r = paravm('asm', bad, '-o', join(tmp, 'bad.img'));
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    const heads = r.err.split('\n').filter((l) => /^\S+:\d+:\d+: error: /.test(l));
    expect(heads).toHaveLength(3);
    expect(heads[0]).toMatch(/bad\.s:1:\d+: error: .*70000.*\[-32768, 32767\]/);
    expect(heads[1]).toMatch(/bad\.s:2:9: error: .*frob/);
    expect(heads[2]).toMatch(/bad\.s:3:\d+: error: .*nowhere/);
    expect(r.err).toMatch(/\n\s*\^/);
  });

  it('run --itrace prints one line per instruction', () => {
    const p = file('t.s', '_start: li a0, 5\n  addi a0, a0, 1\n  li a1, 0\n  mv a1, a0\n  li a0, HC_SHUTDOWN\n  hcall\n');
    const r = paravm('run', '--itrace', p);
    expect(r.code).toBe(6);
    const lines = r.out.replace(/\n$/, '').split('\n');
    expect(lines).toHaveLength(7);
    expect(lines[0]).toMatch(/^\s+1\s+80000000\s+00050320\s+addi a0, zero, 5\s+; a0=0x00000005$/);
    expect(lines[1]).toMatch(/^\s+2\s+80000004\s+00013320\s+addi a0, a0, 1\s+; a0=0x00000006$/);
    expect(lines[2]).toMatch(/^\s+3\s+80000008\s+00000420\s+addi a1, zero, 0\s+; a1=0x00000000$/);
    expect(lines[5]).toMatch(/^\s+6\s+80000014\s+00000061\s+hcall$/);
    expect(lines[6]).toMatch(/^\s+hcall SHUTDOWN\(0x6\)$/);
  });

  it('a guest fault is reported with cause, pc, symbol and file:line, exit 3', () => {
    const p = file('f.s', '_start: nop\nboom:   lw a0, 0(zero)\n');
    const r = paravm('run', p);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/guest fault: VM 0 VCPU 0: LOAD_PAGE_FAULT at pc 0x80000004 <boom> at .*f\.s:2, address 0x00000000/);
  });

  it('the instruction limit stops a runaway program, exit 4', () => {
    const p = file('loop.s', '_start: j _start\n');
    const r = paravm('run', '--limit', '1000', p);
    expect(r.code).toBe(4);
    expect(r.err).toMatch(/limit reached \(1000\)/);
  });

  it('disasm prints addresses, words, labels', () => {
    const img = join(tmp, 'fib.img');
    expect(paravm('asm', 'programs/fib.s', '-o', img).code).toBe(0);
    const r = paravm('disasm', img);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^fib:$/m);
    expect(r.out).toMatch(/^80000000:\s+[0-9a-f]{8}\s+\w+/m);
  });

  it('usage errors exit 2 with one line and where to find help', () => {
    for (const args of [[], ['frobnicate'], ['run'], ['run', '--limit', 'x', 'a.s'], ['run', '--memory', 'abc', 'a.s']]) {
      const r = paravm(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toMatch(/^paravm: .+\nTry 'paravm help( \w+)?' for usage\.\n$/);
    }
  });

  it('unreadable inputs and unwritable outputs exit 2 with one line, no usage text, no stack', () => {
    const cases: [string[], RegExp][] = [
      [['disasm', join(tmp, 'nope.img')], /^paravm: cannot read .*nope\.img: ENOENT\n$/],
      [['run', join(tmp, 'nope.s')], /^paravm: cannot read .*nope\.s: no such file\n$/],
      [['asm', 'programs/hello.s', '-o', join(tmp, 'no', 'such', 'dir.img')], /^paravm: cannot write .*dir\.img: ENOENT\n$/],
    ];
    for (const [args, msg] of cases) {
      const r = paravm(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toMatch(msg);
    }
  });

  it('a trace piped into head stops when head exits', () => {
    const loop = file('forever.s', '_start: addi a0, a0, 1\n        j _start\n');
    const r = spawnSync('sh', ['-c', `"${process.execPath}" bin/paravm.js run --itrace "${loop}" | head -3`], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
    expect(r.error).toBeUndefined();
    expect(r.stdout.split('\n').filter(Boolean)).toHaveLength(3);
  });

  it('a file that is not an image is a usage error, not a crash', () => {
    const r = paravm('run', file('junk.img', 'not an image at all'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/not a paravm image/);
  });

  describe('several VMs', () => {
    const busy = () => file('busy.s', '_start: la t0, c\n1: lw t1, 0(t0)\n addi t1, t1, 1\n sw t1, 0(t0)\n j 1b\nc: .word 0\n');
    const hello = () => file('hi.s', '_start: la a1, m\n li a2, 3\n li a0, HC_CONSOLE_WRITE\n hcall\n li a0, HC_SHUTDOWN\n li a1, 0\n hcall\nm: .ascii "hi\\n"\n');
    const wild = () => file('wild.s', '_start: li t0, 0x80100000\nboom: sw zero, 0(t0)\n');

    it('--vm runs several bare-metal VMs; console lines carry the VM name; one line per VM on stderr', () => {
      const r = paravm('run', '--pcpus', '2', '--vm', `${hello()},name=first`, '--vm', hello(), '--time', '1ms');
      expect(r.code).toBe(0);
      expect(r.out.split('\n').filter(Boolean).sort()).toEqual(['[first] hi', '[vm1] hi']);
      expect(r.err).toMatch(/^paravm: 2 VMs, 2 VCPUs on 2 PCPUs: /m);
      expect(r.err).toMatch(/^paravm: first \(1 VCPU, weight 256\): shut down with code 0 at /m);
    });

    it('a faulting VM is reported with VM, VCPU, cause, pc, symbol and line; the others run on; exit 3', () => {
      const r = paravm('run', '--pcpus', '2', '--vm', busy(), '--vm', wild(), '--vm', hello(), '--time', '2ms');
      expect(r.code).toBe(3);
      expect(r.out).toContain('[vm2] hi');
      expect(r.err).toMatch(/^paravm: guest fault: VM 1 VCPU 0: BUS_ERROR at pc 0x800000[0-9a-f]{2} <boom> at .*wild\.s:2, address 0x80100000$/m);
      expect(r.err).toMatch(/^paravm: vm0 .*: still running; /m);
    });

    it('--trace writes Chrome Trace JSON, --stats JSON, --stats-text gem5-style text', () => {
      const t = join(tmp, 't.json');
      const s = join(tmp, 's.json');
      const x = join(tmp, 's.txt');
      const r = paravm('run', '--config', 'programs/ipc/machine.json', '--trace', t, '--stats', s, '--stats-text', x);
      expect(r.code).toBe(0);
      const trace = JSON.parse(readFileSync(t, 'utf8')) as { traceEvents: { ph: string; name: string; pid: number }[] };
      expect(trace.traceEvents.some((e) => e.ph === 'X' && e.name === 'client.vcpu0' && e.pid === 1)).toBe(true);
      expect(trace.traceEvents.some((e) => e.ph === 'i' && e.name === 'hcall IPC_CALL')).toBe(true);
      const stats = JSON.parse(readFileSync(s, 'utf8')) as { vms: { name: string; state: string }[] };
      expect(stats.vms.map((v) => [v.name, v.state])).toEqual([['kv', 'shutdown'], ['client', 'shutdown']]);
      expect(readFileSync(x, 'utf8')).toMatch(/^vm1\.vcpu0\.hypercalls\s+\d+\s+# /m);
    });

    it('bad configuration: flags are usage errors, a bad file is one message per problem', () => {
      const u = paravm('run', '--pcpus', 'two', hello());
      expect(u.code).toBe(2);
      expect(u.err).toMatch(/--pcpus.*two/);
      expect(u.err).toMatch(/Try 'paravm help run' for usage/);
      const cfg = file('bad.json', JSON.stringify({ pcpus: 0, vms: [{ image: 'x.s', weight: -3 }] }));
      const f = paravm('run', '--config', cfg);
      expect(f.code).toBe(2);
      expect(f.err).toMatch(/pcpus/);
      expect(f.err).toMatch(/vms\[0\].*weight/);
      expect(f.err).not.toMatch(/usage: paravm|\n\s+at /);
    });
  });

  describe('boot', () => {
    it('boots the guest kernel, runs the programs as processes, summarises per VCPU and lock class', () => {
      const r = paravm('boot', '--vcpus', '2', 'programs/kernel/hello.s', 'programs/kernel/fault.s');
      expect(r.code).toBe(0);
      expect(r.out).toContain('hello from user mode\n');
      expect(r.out).toMatch(/^kernel: process \d+ \(fault\.s\) killed: LOAD_PAGE_FAULT at pc 0x0040000c/m);
      expect(r.out).toContain('kernel: all processes have exited; shutting down\n');
      expect(r.err).toMatch(/^paravm: guest kernel on 2 VCPUs \/ 2 PCPUs: shut down with code 0 after /m);
      expect(r.err).toMatch(/^\s+lock class\s+acquisitions\s+contended\s+spin us\s+hold us\s+pv wait us$/m);
    });

    it('bad options are usage errors', () => {
      for (const args of [['boot'], ['boot', '--locks', 'mcs', 'programs/kernel/hello.s'], ['boot', '--vcpus', '0', 'programs/kernel/hello.s']]) {
        const r = paravm(...args);
        expect(r.code, args.join(' ')).toBe(2);
        expect(r.err).toMatch(/Try 'paravm help boot' for usage/);
      }
    });
  });

  it('experiment: an unknown experiment is a usage error', () => {
    const r = paravm('experiment', 'frobnicate');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown experiment frobnicate; available: balloon/);
  });
});
