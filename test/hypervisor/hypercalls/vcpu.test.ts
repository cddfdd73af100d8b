/**
 * The VCPU and VM lifecycle rows: VCPU_START (entry state and every error),
 * VCPU_ID, VCPU_COUNT, VM_ID, and SHUTDOWN (exit code, every VCPU stopped,
 * other VMs unaffected). Guests: guests/vcpu/*.s, with their expected
 * results and exit codes in the files.
 */
import { describe, expect, it } from 'vitest';
import { VS } from '../../../hypervisor/vcpu.ts';
import { MAX_VCPUS } from '../../../isa/hypercalls.ts';
import { symbol } from '../../helpers/guest.ts';
import { expectClean, expectPromises, run, run1 } from './run.ts';

describe('SHUTDOWN', () => {
  it('stops the VM with exit code code & 0xff and does not return', () => {
    for (const [code, exit] of [[0x1234, 0x34], [-1, 0xff], [0, 0], [255, 255], [256, 0]] as const) {
      const r = run1({ file: 'vcpu/shutdown-code.s', defines: { CODE: code } });
      expect(r.stop).toBe('done');
      expect(r.hv.vms[0]!.state).toBe('shutdown');
      expect(r.hv.vms[0]!.exitCode).toBe(exit);
      expectPromises(r); // nothing after the hcall ran
      expect(r.res(symbol(r.imgs[0]!, 'DONE'))).toBe(0);
    }
  });

  it('stops every VCPU of the VM: a running one on another PCPU and a blocked one', () => {
    const r = run1('vcpu/shutdown-all.s', { vcpus: 3 }, { pcpus: 2 });
    expect(r.stop).toBe('done'); // nothing kept running until the time limit
    const vm = r.hv.vms[0]!;
    expect(vm.state).toBe('shutdown');
    expect(vm.exitCode).toBe(r.promised[0]!.exit);
    expect(vm.vcpus.map((v) => v.state)).toEqual([VS.STOPPED, VS.STOPPED, VS.STOPPED]);
    expect(r.word(0, 'flags', 1)).toBeGreaterThan(0);
    expectPromises(r);
    expect(vm.stoppedAt).toBeLessThan(2_000_000);
  });

  it('from a secondary VCPU stops VCPU 0 too', () => {
    const r = run1('vcpu/shutdown-secondary.s', { vcpus: 2 }, { pcpus: 2 });
    expect(r.stop).toBe('done');
    expect(r.hv.vms[0]!.exitCode).toBe(r.promised[0]!.exit);
    expect(r.hv.vms[0]!.vcpus.map((v) => v.state)).toEqual([VS.STOPPED, VS.STOPPED]);
  });

  it('stops only its own VM: the others go on', () => {
    const r = run([{ file: 'vcpu/shutdown-code.s', defines: { CODE: 1 } }, 'vcpu/shutdown-late.s']);
    expect(r.stop).toBe('done');
    expect(r.hv.vms.map((v) => [v.state, v.exitCode])).toEqual([['shutdown', 1], ['shutdown', r.promised[1]!.exit]]);
    expect(r.hv.vms[1]!.stoppedAt).toBeGreaterThan(r.hv.vms[0]!.stoppedAt + 20_000);
  });
});

describe('VCPU_ID and VCPU_COUNT', () => {
  it('give the index of the calling VCPU and the number of VCPUs, on every VCPU', () => {
    const r = run1('vcpu/ids.s', { vcpus: 3 }, { pcpus: 2 });
    expectPromises(r);
    expectClean(r);
  });

  it(`VCPU_COUNT is ${MAX_VCPUS} with MAX_VCPUS VCPUs, 1 with one`, () => {
    const one = run1('vcpu/count.s');
    expect(one.resN(2)).toEqual([1, 0]);
    const max = run1('vcpu/count.s', { vcpus: MAX_VCPUS });
    expect(max.res(0)).toBe(MAX_VCPUS);
    expectClean(max);
  });
});

describe('VCPU_START', () => {
  it('starts VCPU 1 at entry, in kernel mode with interrupts off, with sp and a0 = arg', () => {
    const r = run1('vcpu/start.s', { vcpus: 2 }, { pcpus: 2 });
    expectPromises(r);
    expectClean(r);
  });

  it('E_NOENT, E_STATE, E_INVAL with their conditions; failed calls start nothing', () => {
    const r = run1('vcpu/start-errors.s', { vcpus: 2 }, { pcpus: 2 });
    expectPromises(r);
    expectClean(r);
  });
});

describe('VM_ID', () => {
  it("gives the calling VM's index, on every VCPU", () => {
    const r = run(['vcpu/vm-id.s', { file: 'vcpu/vm-id-2vcpu.s', vcpus: 2 }, 'vcpu/vm-id.s'], { pcpus: 2 });
    expect([r.res(0, 0), r.res(0, 1), r.res(1, 1), r.res(0, 2)]).toEqual([0, 1, 1, 2]);
    for (const vm of [0, 1, 2]) expectClean(r, vm);
  });
});
