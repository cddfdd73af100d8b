/**
 * Test helpers for the hypervisor: build a machine from assembly sources
 * (one per VM) and run it, collecting each VM's console output.
 */
import { DEFAULTS, defaultMachine, type MachineConfig, type VmConfig } from '../../hypervisor/config/index.ts';
import { Hypervisor, type StopReason } from '../../hypervisor/machine.ts';
import type { MachineOptions } from '../../hypervisor/options.ts';
import { asm } from './guest.ts';

/**
 * Guest subroutines for machine tests. sleep(a0 = cycles): arm the timer,
 * block until it fires, clear it (IMASK must enable IRQ_TIMER).
 * spin(a0 = iterations): burn time.
 */
export const SLEEP_AND_SPIN = `
sleep:  rdtime  t0
        add     a1, t0, a0
        li      a2, 0
        li      a0, HC_SET_TIMER
        hcall
        li      a0, HC_BLOCK
        hcall
        li      t0, 1 << IRQ_TIMER
        csrw    CSR_IPEND, t0
        ret
spin:   addi    a0, a0, -1
        bnez    a0, spin
        ret
`;

export interface VmSpec extends Partial<Omit<VmConfig, 'images'>> {
  source: string;
}

export function machineConfig(vms: readonly VmSpec[], over: Partial<Omit<MachineConfig, 'vms'>> = {}): MachineConfig {
  return {
    // Exact slices: these tests count slices and preemptions (the jittered default is tested in sched/slice.test.ts).
    ...defaultMachine(), sliceJitter: 0, ...over,
    vms: vms.map((v, i) => ({
      name: v.name ?? `vm${i}`, images: [], memory: v.memory ?? DEFAULTS.vm.memory, vcpus: v.vcpus ?? 1,
      weight: v.weight ?? DEFAULTS.vm.weight, cap: v.cap, pin: v.pin, entry: v.entry,
    })),
  };
}

export function machine(vms: readonly VmSpec[], over: Partial<Omit<MachineConfig, 'vms'>> = {}, opts: MachineOptions = {}): Hypervisor {
  const images = vms.map((v, i) => asm(v.source, `vm${i}.s`));
  return new Hypervisor(machineConfig(vms, over), images.map((img) => ({ images: [img] })), opts);
}

export interface MachineRun {
  hv: Hypervisor;
  stop: StopReason;
  /** Console output per VM (unprefixed). */
  out: string[];
}

export function runMachine(vms: readonly VmSpec[], over: Partial<Omit<MachineConfig, 'vms'>> = {}, opts: MachineOptions = {}): MachineRun {
  const hv = machine(vms, over, opts);
  const stop = hv.run();
  return { hv, stop, out: hv.vms.map((vm) => vm.console.text()) };
}
