/**
 * CPU caps (VmConfig.cap): a capped VM may run cap% of one PCPU per
 * accounting period; its VCPUs are not eligible once the period's budget is
 * used, until the period ends and every VM's count restarts.
 */
import type { EventQueue } from './events.ts';
import type { Vcpu } from './vcpu.ts';
import type { Vm } from './vm.ts';

export class CapAccounting {
  private periodEnd = Infinity;

  constructor(private readonly period: number, private readonly vms: readonly Vm[], private readonly events: EventQueue) {}

  /** Start the periods at time 0 (only machines with a capped VM need them). */
  start(): void { this.arm(0); }

  /** Cycles v's VM may still run in this period (Infinity without a cap). */
  left(v: Vcpu): number {
    return v.vm.capBudget(this.period) - v.vm.periodUsed;
  }

  /** False while v's VM has used up its cap for the current period. */
  eligible(v: Vcpu): boolean {
    return v.vm.config.cap === undefined || v.vm.periodUsed < v.vm.capBudget(this.period);
  }

  private arm(t: number): void {
    this.periodEnd = t + this.period;
    this.events.at(this.periodEnd, () => {
      for (const vm of this.vms) vm.periodUsed = 0;
      this.arm(this.periodEnd);
    });
  }
}
