/**
 * A VM: its configuration, memory, VCPUs, devices, IPC endpoint, grants, and
 * how it ended. Everything a VM owns is reachable from here, so stopping it
 * (shutdown or fault) can release it all and leave other VMs running.
 */
import type { Image } from '../isa/image.ts';
import type { VmConfig } from './config/index.ts';
import { S, type GuestMemory } from './cpu/index.ts';
import type { ConsoleDevice, NetDevice, TimerDevice } from './devices/index.ts';
import type { Vcpu } from './vcpu.ts';

export type VmState = 'running' | 'shutdown' | 'fault' | 'halted';

export interface VmFault {
  vcpu: number;
  cause: number;
  pc: number;
  addr: number;
}

/** Pages a VM offered to another (HC_GRANT). */
export interface Grant {
  readonly id: number;
  readonly to: number;
  /** Guest-physical address in the granter. */
  readonly pa: number;
  readonly pages: number;
  readonly writable: boolean;
  /** Grant-window page index where the receiver mapped it, or -1. */
  mappedAt: number;
}

export class Vm {
  state: VmState = 'running';
  exitCode = 0;
  fault: VmFault | undefined;
  stoppedAt = 0;
  readonly vcpus: Vcpu[] = [];
  /** VCPUs of other VMs blocked sending to this VM (FIFO). */
  readonly senders: Vcpu[] = [];
  /** VCPUs of this VM blocked receiving. */
  readonly receivers: Vcpu[] = [];
  readonly grants = new Map<number, Grant>();
  nextGrant = 0;
  /** Cycles used in the current cap period. */
  periodUsed = 0;
  debugMarks = 0;
  /** Set right after construction (the timer needs the VCPUs). */
  timer!: TimerDevice;
  /** The paravirtual network device, when the configuration has `net`. */
  net: NetDevice | undefined;

  constructor(
    readonly id: number,
    readonly name: string,
    readonly config: VmConfig,
    readonly mem: GuestMemory,
    readonly image: Image | undefined,
    readonly console: ConsoleDevice,
  ) {}

  get running(): boolean { return this.state === 'running'; }

  /** Record how the VM ended, at virtual time t (and where, if a VCPU faulted). */
  markStopped(state: Exclude<VmState, 'running'>, code: number, t: number, faulting?: Vcpu): void {
    this.state = state;
    this.exitCode = code;
    this.stoppedAt = t;
    if (!faulting) return;
    const st = faulting.cpu.st;
    this.fault = { vcpu: faulting.index, cause: st[S.FAULT_CAUSE], pc: st[S.FAULT_PC] >>> 0, addr: st[S.FAULT_ADDR] >>> 0 };
  }

  /** Cancel the devices' pending work (the console is flushed by whoever stops the VM). */
  stopDevices(): void {
    this.timer.stop();
    this.net?.stop();
  }
  get weight(): number { return this.config.weight; }
  /** Cycles per cap period the VM may use, or Infinity. */
  capBudget(period: number): number {
    return this.config.cap === undefined ? Infinity : (this.config.cap / 100) * period;
  }
}
