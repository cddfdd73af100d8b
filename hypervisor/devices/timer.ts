/**
 * The one-shot virtual timer of each VCPU of a VM (HC_SET_TIMER): at the
 * deadline it raises IRQ_TIMER on that VCPU, waking it if it is blocked.
 * A deadline at or before now fires at once.
 */
import { IRQ } from '../../isa/traps.ts';
import type { VcpuCtl } from '../vcpu-ctl.ts';
import type { Device, DeviceHost } from './device.ts';

const TIMER = IRQ.TIMER!;

export class TimerDevice implements Device {
  readonly name = 'timer';
  private armed = 0;
  private fired = 0;

  constructor(private readonly host: DeviceHost, private readonly vcpus: readonly VcpuCtl[]) {}

  /** Arm v's timer for absolute virtual time `deadline` (0 disarms). */
  arm(v: VcpuCtl, deadline: number): void {
    this.host.cancel(v.timer);
    v.timer = undefined;
    v.timerDeadline = deadline;
    if (deadline === 0) return;
    this.armed++;
    if (deadline <= this.host.now()) { this.fire(v); return; }
    v.timer = this.host.at(deadline, () => { v.timer = undefined; this.fire(v); });
  }

  private fire(v: VcpuCtl): void {
    v.timerDeadline = 0;
    this.fired++;
    this.host.raiseIrq(v, TIMER, 'timer');
  }

  stats(): Record<string, number> { return { armed: this.armed, fired: this.fired }; }

  stop(): void {
    for (const v of this.vcpus) { this.host.cancel(v.timer); v.timer = undefined; v.timerDeadline = 0; }
  }
}
