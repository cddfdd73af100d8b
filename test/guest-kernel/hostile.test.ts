/**
 * User processes that try to take the machine from the guest kernel: an IPC
 * wait forever from user mode (test/fixtures/hostile/freeze.s) is ended by
 * the kernel's tick with E_INTR, so the other processes run and the kernel
 * shuts down on any number of VCPUs.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { asmFile } from '../helpers/guest.ts';
import { ALL_DONE, kprog, runKernel } from '../helpers/kernel.ts';
import { ROOT } from '../../guest-kernel/loader/root.ts';
import { bootKernel, KernelBuildError } from '../../guest-kernel/loader/index.ts';

const freeze = asmFile(join(ROOT, 'test', 'fixtures', 'hostile', 'freeze.s'));

describe('a user process cannot keep a VCPU from the guest kernel', () => {
  it.each([1, 2])('freeze.s beside workers.s on %i VCPU(s): both finish, the kernel shuts down', (vcpus) => {
    const r = runKernel({ vcpus, pcpus: vcpus, programs: [['freeze.s', freeze], 'workers.s'] });
    expect(r.stop).toBe('done');
    expect(r.vm.state).toBe('shutdown');
    expect(r.lines).toContain('freeze: IPC wait interrupted');
    expect(r.lines.some((l) => l.startsWith('workers: 4 threads'))).toBe(true);
    expect(r.lines.at(-1)).toBe(ALL_DONE);
  });
});

describe('too little memory for the guest kernel', () => {
  it.each([4, 64, 128, 256, 1024])('%i KiB: a KernelBuildError naming the minimum, not a LoadError', (kib) => {
    const go = (): unknown => bootKernel({ vcpus: 1, pcpus: 1, memory: kib << 10, programs: [kprog('hello.s')] });
    expect(go).toThrow(KernelBuildError);
    expect(go).toThrow(new RegExp(`needs at least \\d+ KiB of memory .*; ${kib} KiB given`));
  });

  it('just above the kernel, programs that do not fit are named as such', () => {
    expect(() => bootKernel({ vcpus: 1, pcpus: 1, memory: (1 << 20) + 4096, programs: [kprog('hello.s')] })).toThrow(/programs do not fit/);
  });
});
