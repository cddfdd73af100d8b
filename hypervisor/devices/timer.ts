/**
 * The one-shot virtual timer of each VCPU of a VM (HC_SET_TIMER): at the
 * deadline it raises IRQ_TIMER on that VCPU, waking it if it is blocked.
 * A deadline at or before now fires at once.
 */
import { IRQ } from '../../isa/traps.ts';
import type { EventHandle } from '../events.ts';
import type { Device, DeviceHost } from './device.ts';

const TIMER = IRQ.TIMER;

export class TimerDevice implements Device {
  readonly name = 'timer';
  private armed = 0;
  private fired = 0;
  /** Per VCPU: the armed deadline (0 = disarmed) and its pending event. */
  private readonly deadline: number[];
  private readonly pending: (EventHandle | undefined)[];

  constructor(private readonly host: DeviceHost) {
    this.deadline = new Array<number>(host.vcpus).fill(0);
    this.pending = new Array<EventHandle | undefined>(host.vcpus).fill(undefined);
  }

  /** Arm VCPU i's timer for absolute virtual time `deadline` (0 disarms). */
  arm(i: number, deadline: number): void {
    this.host.cancel(this.pending[i]);
    this.pending[i] = undefined;
    this.deadline[i] = deadline;
    if (deadline === 0) return;
    this.armed++;
    if (deadline <= this.host.now()) { this.fire(i); return; }
    this.pending[i] = this.host.at(deadline, () => { this.pending[i] = undefined; this.fire(i); });
  }

  private fire(i: number): void {
    this.deadline[i] = 0;
    this.fired++;
    this.host.raiseIrq(i, TIMER, 'timer');
  }

  stats(): Record<string, number> { return { armed: this.armed, fired: this.fired }; }

  stop(): void {
    for (let i = 0; i < this.pending.length; i++) { this.host.cancel(this.pending[i]); this.pending[i] = undefined; this.deadline[i] = 0; }
  }
}
