/**
 * Bare metal: one VM with one VCPU on one PCPU, starting in kernel mode at
 * the image's entry with sp at the top of memory, no guest kernel. It is the
 * hypervisor with the smallest configuration (so there is one machine), plus
 * the debugging knobs that only make sense for a single VCPU: an exact
 * instruction limit and the per-instruction trace.
 */
import type { Image } from '../isa/image.ts';
import { DEFAULT_MEMORY_BYTES, KERNEL_BASE } from '../isa/memory.ts';
import { REG } from '../isa/registers.ts';
import { DEFAULTS, defaultMachine, type MachineConfig } from './config/index.ts';
import { GuestMemory, CpuState, type Engine } from './cpu/index.ts';
import { loadImage } from './loader.ts';
import { Hypervisor } from './machine.ts';
import type { VmFault } from './vm.ts';

export interface BareMetalOptions {
  memoryBytes?: number;
  /** Stop after this many instructions (exact). */
  maxInstructions?: number;
  /** Console bytes as the guest writes them. */
  onConsole?: (bytes: Uint8Array) => void;
  /** When given, execute one instruction at a time and report each. */
  onTrace?: (line: string) => void;
  /** The interpreter or the compiling tier (default: DEFAULT_ENGINE). */
  engine?: Engine;
}

export type BareMetalStop = 'shutdown' | 'fault' | 'limit' | 'halted';

export type Fault = Omit<VmFault, 'vcpu'>;

export interface BareMetalResult {
  reason: BareMetalStop;
  exitCode: number;
  fault?: Fault;
  instructions: number;
  cycles: number;
  virtualTime: number;
  wallMs: number;
  cpu: CpuState;
  hv: Hypervisor;
}

export function bareMetalConfig(memory = DEFAULT_MEMORY_BYTES): MachineConfig {
  return { ...defaultMachine(), pcpus: 1, vms: [{ name: 'vm0', images: [], memory, vcpus: 1, weight: DEFAULTS.vm.weight }] };
}

/** A lone VCPU with the image loaded, outside any hypervisor: for driving run() directly (benchmarks, tests). */
export function createVcpu(img: Image, memoryBytes = DEFAULT_MEMORY_BYTES): CpuState {
  const mem = new GuestMemory(memoryBytes);
  loadImage(mem, img);
  const cpu = new CpuState(mem, 0);
  cpu.pc = img.entry;
  cpu.setReg(REG.sp, (KERNEL_BASE + memoryBytes) | 0);
  return cpu;
}

export function runBareMetal(img: Image, opts: BareMetalOptions = {}): BareMetalResult {
  const config = { ...bareMetalConfig(opts.memoryBytes), ...(opts.engine ? { engine: opts.engine } : {}) };
  const hv = new Hypervisor(config, [{ images: [img] }], {
    onConsole: opts.onConsole ? (_, b) => opts.onConsole!(b) : undefined,
    maxInstructions: opts.maxInstructions,
    itrace: opts.onTrace,
  });
  const stop = hv.run();
  const vm = hv.vms[0]!;
  const cpu = vm.vcpus[0]!.cpu;
  const reason: BareMetalStop = stop === 'limit' ? 'limit' : vm.state === 'running' ? 'halted' : vm.state;
  const fault = vm.fault && { cause: vm.fault.cause, pc: vm.fault.pc, addr: vm.fault.addr };
  return {
    reason, exitCode: vm.exitCode, fault, instructions: cpu.instret, cycles: cpu.cycles,
    virtualTime: hv.elapsed(), wallMs: hv.wallMs, cpu, hv,
  };
}
