/**
 * What the rest of the hypervisor may see of a running machine. Observers
 * (statistics, reports, tracers) and services (hypercalls, the balloon
 * controller) receive this view or a narrower one instead of the Hypervisor
 * class, so nothing but the machine itself depends on machine.ts.
 */
import type { MachineConfig } from './config/index.ts';
import type { Pcpu } from './pcpu.ts';
import type { Vcpu } from './vcpu.ts';
import type { Vm } from './vm.ts';

/** 'paused': run(budget) used its budget, the run goes on at the next run(); 'stopped': ended by stop() after a pause. */
export type StopReason = 'done' | 'time' | 'limit' | 'deadlock' | 'paused' | 'stopped';

export interface MachineView {
  readonly config: MachineConfig;
  readonly pcpus: readonly Pcpu[];
  readonly vms: readonly Vm[];
  readonly vcpus: readonly Vcpu[];
  /** Start of the current round (global virtual time). */
  readonly time: number;
  /** Instructions executed by every VCPU together. */
  readonly instructions: number;
  /** Host milliseconds spent in run(). */
  readonly wallMs: number;
  readonly stopReason: StopReason | undefined;
  /** How many of each VM's VCPUs ran at once, over the run (observe/corun.ts). */
  readonly corun: { histogram(vm: Vm): number[] };
  /** The slice-end strategy, as far as reports need it: its counters. */
  readonly preemption: { counters(): Record<string, number> };
  /** Virtual time of the PCPU handling the current exit, or the round boundary. */
  now(): number;
  /** Virtual time reached: the round boundary, or a PCPU's clock past it. */
  elapsed(): number;
}
