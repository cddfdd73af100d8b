/**
 * A VM: its configuration, memory, VCPUs, devices, IPC endpoint, grants, and
 * how it ended. Everything a VM owns is reachable from here, so stopping it
 * (shutdown or fault) can release it all and leave other VMs running.
 */
import type { Image } from '../isa/image.ts';
import type { VmConfig } from './config/index.ts';
import type { GuestMemory } from './cpu/index.ts';
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
  get weight(): number { return this.config.weight; }
  /** Cycles per cap period the VM may use, or Infinity. */
  capBudget(period: number): number {
    return this.config.cap === undefined ? Infinity : (this.config.cap / 100) * period;
  }
}
