/**
 * Time ballooning, the hypervisor half (the guest half is
 * guest-kernel/95-balloon.s). Flexible allocation gives the VCPUs of one VM
 * unequal shares of physical time; a commodity guest balancer spreads work
 * by run-queue length and the slow VCPUs become stragglers. The controller
 * measures each VCPU's effective speed and asks the guest, through the
 * shared info page (INFO_BALLOON_TARGET, then IRQ_HV), for balloon threads
 * on the slow VCPUs: they count as load, so the guest's own balancer moves
 * real work to the fast ones, and the time they give back goes to the
 * hypervisor's other work.
 *
 * Speed. Every `period` the controller samples each VCPU's running and
 * runnable (steal) time. Over the last `window` of samples its speed is
 *   s_i = running / (running + runnable),
 * the share of the time it wanted a PCPU that it got (blocked time does not
 * count: an idle VCPU is not slow). A VCPU that never wanted to run in the
 * window keeps its previous estimate. Estimates are smoothed (EWMA, `alpha`).
 *
 * Target. The guest publishes its runnable work threads per VCPU
 * (INFO_WORK_THREADS, balloon threads excluded). With W their sum, the
 * work each VCPU should carry is w*_i = W s_i / sum(s); a balancer that
 * equalises run-queue lengths (work + balloons) puts it there when
 *   b_i = round(max_j w*_j - w*_i).
 * Example: 3 jobs on VCPUs of speeds 1 and 0.5: w* = (2, 1), b = (0, 1):
 * two jobs share the fast VCPU and one has the slow one to itself, all at
 * half speed, which is the ideal. Hysteresis: targets are recomputed only
 * when a speed ratio s_i / s_max has moved by more than `deadband`, or the
 * guest's work count changed, since the last change; so small fluctuations
 * do not make threads ping-pong between VCPUs.
 */
import { IRQ } from '../isa/traps.ts';
import { INFO } from '../isa/infopage.ts';
import { CYCLES_PER_MS } from '../isa/clock.ts';
import { VS, type VcpuCtl } from './vcpu-ctl.ts';
import type { Hypervisor } from './machine.ts';

export interface BalloonOptions {
  /** Sampling period, cycles (default 10 ms). */
  period?: number;
  /** Samples the speed is measured over (default 5: a 50 ms window). */
  window?: number;
  /** EWMA weight of a new estimate (default 0.5). */
  alpha?: number;
  /** Change a target only when s_i / s_max moved more than this since the last change (default 0.1). */
  deadband?: number;
}

interface VcpuState {
  samples: { running: number; runnable: number }[];
  speed: number;
  /** s_i / s_max when the targets were last computed. */
  ratioAtChange: number;
  target: number;
  changes: number;
}

/** Per VM: the guest's total work threads when targets were last computed. */
interface VmState { work: number }

export class BalloonController {
  readonly period: number;
  private readonly window: number;
  private readonly alpha: number;
  private readonly deadband: number;
  private readonly state = new Map<VcpuCtl, VcpuState>();
  private readonly vmState = new Map<number, VmState>();
  /** Target changes written to info pages, all VMs. */
  updates = 0;

  constructor(private readonly hv: Hypervisor, o: BalloonOptions = {}) {
    this.period = o.period ?? 10 * CYCLES_PER_MS;
    this.window = o.window ?? 5;
    this.alpha = o.alpha ?? 0.5;
    this.deadband = o.deadband ?? 0.1;
    for (const v of hv.vcpus) this.state.set(v, { samples: [], speed: 1, ratioAtChange: 1, target: 0, changes: 0 });
  }

  /** Start sampling (the first sample at one period). */
  start(): void {
    this.hv.at(this.hv.time + this.period, () => this.tick());
  }

  /** The current target and smoothed speed of a VCPU. */
  of(v: VcpuCtl): { target: number; speed: number; changes: number } {
    const s = this.state.get(v)!;
    return { target: s.target, speed: s.speed, changes: s.changes };
  }

  private tick(): void {
    const now = this.hv.now();
    for (const vm of this.hv.vms) {
      if (!vm.running || vm.vcpus.length < 2) continue;
      for (const v of vm.vcpus) this.measure(v, now);
      this.retarget(vm.vcpus);
    }
    if (this.hv.vms.some((vm) => vm.running)) this.hv.at(now + this.period, () => this.tick());
  }

  private measure(v: VcpuCtl, now: number): void {
    const s = this.state.get(v)!;
    s.samples.push({ running: v.timeIn(VS.RUNNING, now), runnable: v.timeIn(VS.RUNNABLE, now) });
    if (s.samples.length > this.window + 1) s.samples.shift();
    const first = s.samples[0]!;
    const last = s.samples[s.samples.length - 1]!;
    const ran = last.running - first.running;
    const wanted = ran + last.runnable - first.runnable;
    if (wanted > 0) s.speed = this.alpha * (ran / wanted) + (1 - this.alpha) * s.speed;
  }

  private retarget(vcpus: readonly VcpuCtl[]): void {
    const speeds = vcpus.map((v) => this.state.get(v)!.speed);
    const fastest = Math.max(...speeds);
    const total = speeds.reduce((a, b) => a + b, 0);
    if (fastest <= 0) return;
    const work = vcpus.reduce((n, v) => n + Math.max(0, v.info < 0 ? 0 : v.vm.mem.readWord(v.info + INFO.WORK_THREADS!)), 0);
    const vmState = this.vmState.get(vcpus[0]!.vm.id) ?? { work: -1 };
    const moved = vcpus.some((v, i) => Math.abs(speeds[i]! / fastest - this.state.get(v)!.ratioAtChange) > this.deadband);
    if (!moved && work === vmState.work) return;
    vmState.work = work;
    this.vmState.set(vcpus[0]!.vm.id, vmState);
    const want = speeds.map((s) => (work * s) / total);
    const top = Math.max(...want);
    vcpus.forEach((v, i) => {
      const s = this.state.get(v)!;
      s.ratioAtChange = speeds[i]! / fastest;
      const target = Math.round(top - want[i]!);
      if (target === s.target) return;
      s.target = target;
      s.changes++;
      this.publish(v, target);
    });
  }

  private publish(v: VcpuCtl, target: number): void {
    this.updates++;
    if (v.info >= 0) v.vm.mem.writeWord(v.info + INFO.BALLOON_TARGET!, target);
    this.hv.raiseIrq(v, IRQ.HV!, 'balloon');
  }
}
