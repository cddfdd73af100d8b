/**
 * What a hypercall handler may do to the machine, and nothing more (as seL4's
 * invoke functions receive decoded arguments and the few capabilities they
 * need): read the clock, arm events, block, wake, yield, start and stop
 * VCPUs and VMs, raise interrupts, and find a VM by index. The Hypervisor
 * implements it.
 */
import type { EventHandle } from '../events.ts';
import type { Tracer } from '../observe/index.ts';
import type { BlockReason, Vcpu } from '../vcpu.ts';
import type { Vm, VmState } from '../vm.ts';

export interface HypercallHost {
  /** Every VM, by index (stopped ones too). */
  readonly vms: readonly Vm[];
  readonly tracer: Tracer | undefined;
  /** Virtual time of the PCPU running the hypercall. */
  now(): number;
  at(t: number, fn: () => void): EventHandle;
  cancel(e: EventHandle | undefined): void;
  /** The running VCPU v blocks. */
  block(v: Vcpu, reason: BlockReason): void;
  /** Wake a blocked VCPU (its result is already in its registers). */
  wake(v: Vcpu): void;
  /** v gives up its PCPU, to `target` if the policy agrees. */
  yieldCpu(v: Vcpu, target: Vcpu | undefined): void;
  /** Bring an offline VCPU up. */
  startVcpu(v: Vcpu): void;
  stopVm(vm: Vm, state: Exclude<VmState, 'running'>, code: number, faulting?: Vcpu): void;
  raiseIrq(v: Vcpu, line: number, why: string): void;
  /** A running VM by index. */
  runningVm(id: number): Vm | undefined;
}
