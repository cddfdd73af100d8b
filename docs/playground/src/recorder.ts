/**
 * The schedule timeline's source: a Tracer (hypervisor/observe/tracer.ts)
 * that keeps the PCPU slices the hypervisor reports, for the worker to send
 * to the page after each slice of host time. Only the newest MAX_PENDING
 * are kept between two sends: the page draws a window of recent time.
 */
import type { MachineView, Pcpu, Tracer, Vcpu } from '../../../hypervisor/index.ts';
import type { SliceEvent } from './protocol.ts';

const MAX_PENDING = 20000;

export class SliceRecorder implements Tracer {
  private pending: SliceEvent[] = [];

  begin(_hv: MachineView): void {}
  pcpuSlice(p: Pcpu, v: Vcpu, start: number, end: number): void {
    if (end <= start) return;
    if (this.pending.length >= MAX_PENDING) this.pending.splice(0, MAX_PENDING / 2);
    this.pending.push({ pcpu: p.id, vcpu: v.gid, start, end });
  }
  vcpuSpan(): void {}
  hypercall(): void {}
  instant(): void {}
  round(): void {}
  end(): void {}

  /** The slices since the last take(). */
  take(): SliceEvent[] {
    const out = this.pending;
    this.pending = [];
    return out;
  }
}
