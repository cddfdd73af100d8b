/**
 * The machine configuration as the Hypervisor runs it: what `paravm run`
 * builds from a JSON file (--config) and flags. All times are cycles of
 * virtual time. The fields, their ranges and defaults are declared in
 * fields.ts; DEFAULTS and defaultMachine() are read from there.
 */
import type { Engine } from '../cpu/index.ts';
import type { NetOptions } from './net.ts';
import { MACHINE_FIELDS, VM_FIELDS, type PolicyName, type PreemptionName } from './fields.ts';

export interface VmConfig {
  /** Label in reports and console prefixes; default "vm<index>". */
  name: string;
  /** Image files (.img, or .s assembled on the fly): the first gives the entry point; the rest are modules loaded at their own addresses. */
  images: string[];
  /** Guest-physical memory in bytes (multiple of 4096). */
  memory: number;
  /** Number of VCPUs (1..MAX_VCPUS). VCPU 0 starts at the entry; the others wait for HC_VCPU_START. */
  vcpus: number;
  /** Entry point: an address, or a symbol of the first image; default the image's entry. */
  entry?: number | string;
  /** Proportional share (relative to the other VMs). */
  weight: number;
  /** Upper bound on the VM's CPU use, in percent of one PCPU (100 = one whole PCPU); undefined = none. */
  cap?: number;
  /** Per VCPU: the PCPU it must run on, or null for any. Shorter than vcpus = the rest unpinned. */
  pin?: (number | null)[];
  /** The paravirtual network device and its load generator (hypervisor/devices/net.ts); undefined = no device. */
  net?: NetOptions;
}

export interface MachineConfig {
  /** Simulated physical CPUs. */
  pcpus: number;
  /** Hypervisor time slice, in cycles. */
  slice: number;
  /** Spread of each slice's length (slice ± half of it), in cycles; undefined = DEFAULTS.sliceJitter. */
  sliceJitter?: number;
  /** Offset between consecutive PCPUs' first slice ends, in cycles; undefined = seeded first slices. */
  slicePhase?: number;
  /** Longest extension of `intrusive` and deferral of `nonintrusive`, in cycles; undefined = the fields' defaults. */
  delayBound?: number;
  safePointWindow?: number;
  /** Simulation quantum: how long one PCPU runs before the next one is interleaved, in cycles. */
  quantum: number;
  /** Seed of every random choice the simulation makes (interleaving order). */
  seed: number;
  /** Virtual time to run, in cycles; undefined = until every VM has stopped. */
  time?: number;
  /** Scheduling policy (hypervisor/sched/registry.ts). */
  policy: PolicyName;
  /** Preemption strategy: what happens at slice end (lock-holder preemption remedies plug in here). */
  preemption: PreemptionName;
  /** How VCPUs execute (same results either way); default DEFAULT_ENGINE. */
  engine?: Engine;
  /** Accounting period of caps, in cycles. */
  capPeriod: number;
  vms: VmConfig[];
}

const M = MACHINE_FIELDS;
export const DEFAULTS = {
  pcpus: M.pcpus.default,
  slice: M.slice.default,
  sliceJitter: M.sliceJitter.default,
  quantum: M.quantum.default,
  seed: M.seed.default,
  policy: M.policy.default,
  preemption: M.preemption.default,
  engine: M.engine.default,
  capPeriod: M.capPeriod.default,
  vm: { memory: VM_FIELDS.memory.default, vcpus: VM_FIELDS.vcpus.default, weight: VM_FIELDS.weight.default },
} as const;

/** A machine with every default and no VMs yet. */
export function defaultMachine(): MachineConfig {
  return {
    pcpus: DEFAULTS.pcpus, slice: DEFAULTS.slice, quantum: DEFAULTS.quantum, seed: DEFAULTS.seed,
    policy: DEFAULTS.policy, preemption: DEFAULTS.preemption, capPeriod: DEFAULTS.capPeriod, vms: [],
  };
}

/** A VM of `images` with every default ('' names are defaulted by finishConfig). */
export function defaultVm(images: string[], over: { vcpus?: number; memory?: number } = {}): VmConfig {
  return { name: '', images, memory: over.memory ?? DEFAULTS.vm.memory, vcpus: over.vcpus ?? DEFAULTS.vm.vcpus, weight: DEFAULTS.vm.weight };
}
