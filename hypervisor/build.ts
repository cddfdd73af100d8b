/**
 * Building one VM of a machine: its memory (a window of the one host
 * buffer), its images, console, VCPUs and devices, and VCPU 0's entry
 * state. The machine then makes VCPU 0 runnable.
 */
import { KERNEL_BASE } from '../isa/memory.ts';
import { REG } from '../isa/registers.ts';
import type { MachineConfig } from './config/index.ts';
import { CpuState, GuestMemory, type HostMemory } from './cpu/index.ts';
import { ConsoleDevice, NetDevice, TimerDevice, type DeviceHost } from './devices/index.ts';
import { LoadError, loadImage } from './loader.ts';
import type { MachineOptions, VmSetup } from './options.ts';
import { VS, Vcpu } from './vcpu.ts';
import type { EventHandle } from './events.ts';
import { Vm } from './vm.ts';

/** What building a VM needs of the machine. */
export interface VmBuilder {
  readonly config: MachineConfig;
  readonly opts: MachineOptions;
  readonly host: HostMemory;
  /** Every VCPU built so far: a new VCPU's machine-wide id is its index here. */
  readonly vcpus: Vcpu[];
  now(): number;
  at(t: number, fn: () => void): EventHandle;
  cancel(e: EventHandle | undefined): void;
  raiseIrq(v: Vcpu, line: number, why: string): void;
}

/** The machine as vm's devices see it: VCPUs by their index in vm. */
function deviceHost(m: VmBuilder, vm: Vm): DeviceHost {
  return {
    now: () => m.now(),
    at: (t, fn) => m.at(t, fn),
    cancel: (e) => m.cancel(e),
    vcpus: vm.vcpus.length,
    online: (i) => vm.vcpus[i]!.state !== VS.OFFLINE && vm.vcpus[i]!.state !== VS.STOPPED,
    raiseIrq: (i, line, why) => m.raiseIrq(vm.vcpus[i]!, line, why),
  };
}

/** VM `id` of the configuration, its memory at `base` in the host buffer. */
export function buildVm(m: VmBuilder, id: number, setup: VmSetup, base: number): Vm {
  const vc = m.config.vms[id]!;
  const mem = new GuestMemory(vc.memory, m.host, base);
  for (const img of setup.images) loadImage(mem, img);
  const prefix = m.opts.prefixConsole ?? m.config.vms.length > 1;
  const vm: Vm = new Vm(id, vc.name, vc, mem, setup.images[0], new ConsoleDevice(
    (b) => m.opts.onConsole?.(vm, b), prefix ? `[${vc.name}] ` : ''));
  for (let i = 0; i < vc.vcpus; i++) {
    const v = new Vcpu(vm, i, m.vcpus.length, new CpuState(mem, i));
    v.pin = vc.pin?.[i] ?? null;
    vm.vcpus.push(v);
    m.vcpus.push(v);
  }
  vm.timer = new TimerDevice(deviceHost(m, vm));
  if (vc.net) vm.net = new NetDevice(deviceHost(m, vm), mem, vc.net, m.config.seed);
  const boot = vm.vcpus[0]!;
  const entry = setup.entry ?? setup.images[0]?.entry;
  if (entry === undefined) throw new LoadError(`VM ${vc.name}: no image to take the entry point from`);
  boot.cpu.pc = entry;
  if (m.opts.initialStack !== false) boot.cpu.setReg(REG.sp, (KERNEL_BASE + vc.memory) | 0);
  return vm;
}
