/**
 * Pause-loop exiting (Intel PLE, AMD pause filter) and what two hypervisors
 * do on such an exit. The hardware part is shared: a VCPU executing `pause`
 * in kernel mode at least every gap cycles for a window of cycles is taken
 * out of the guest (Intel SDM vol. 3C, 25.1.3: PLE is ignored at CPL > 0).
 *
 * - ple (KVM): arch/x86/kvm/vmx/vmx.c handle_pause() grows the VCPU's window
 *   (grow_ple_window: x ple_window_grow up to ple_window_max), then
 *   virt/kvm/kvm_main.c kvm_vcpu_on_spin() looks for a sibling to boost,
 *   round robin after kvm->last_boosted_vcpu: only a `ready` (runnable)
 *   sibling; when the spinner is in kernel mode, a sibling preempted in user
 *   mode is skipped (kvm_arch_vcpu_preempted_in_kernel); a sibling that is
 *   itself inside a spin loop (it yielded from one and has not run since) is
 *   eligible every other time (kvm_vcpu_eligible_for_directed_yield flips
 *   dy_eligible), and the spinner leaves with dy_eligible cleared.
 *   yield_to() (kernel/sched/core.c) then calls schedule() on the spinner's
 *   own CPU: the spinner gives its PCPU up too (boostThenYield). When the
 *   VCPU is scheduled in again, vmx_sched_in() -> shrink_ple_window() resets
 *   the window to ple_window (ple_window_shrink is 0).
 * - xen-ple (Xen): xen/arch/x86/hvm/vmx/vmx.c vmx_vmexit_handler(), case
 *   EXIT_REASON_PAUSE_INSTRUCTION, calls do_sched_op(SCHEDOP_yield): a plain
 *   yield to whatever the PCPU's scheduler picks, fixed window
 *   (xen/arch/x86/hvm/vmx/vmcs.c ple_gap 128, ple_window 4096).
 *
 * Scaling to paravm's clock: the gap and window count TSC ticks on real
 * hardware and paravm cycles here. A real pause loop iteration (pause, load,
 * compare, branch) is some 10 to 140 ticks depending on the CPU's pause
 * latency; paravm's is 14 cycles. Taking a tick as a cycle keeps what the
 * parameters mean: the gap still admits any tight pause loop (KVM's comment
 * on ple_gap: "usually smaller than 128 cycles"), and the base window is
 * still a few hundred iterations of spinning before the exit.
 */
import { VS, type Vcpu } from '../vcpu.ts';
import type { PreemptionStrategy, SliceDecision } from './policy.ts';

const PREEMPT: SliceDecision = { preempt: true };

/** KVM_DEFAULT_PLE_GAP (arch/x86/kvm/x86.h); Xen's ple_gap (vmcs.c) is the same. */
export const PLE_GAP = 128;
/** KVM_VMX_DEFAULT_PLE_WINDOW (arch/x86/kvm/x86.h); Xen's ple_window (vmcs.c) is the same. */
export const PLE_WINDOW = 4096;
/** KVM_DEFAULT_PLE_WINDOW_GROW: the window is multiplied by this on each exit (__grow_ple_window). */
export const PLE_WINDOW_GROW = 2;
/** KVM_VMX_DEFAULT_PLE_WINDOW_MAX: UINT_MAX, i.e. the window grows until the VCPU is scheduled out. */
export const PLE_WINDOW_MAX = 0xffff_ffff;

/** The hardware's detector: cycles of pause-dense kernel-mode running without a break, per VCPU. */
class PauseLoopDetector {
  private readonly streak = new Map<Vcpu, number>();

  constructor(private readonly gap: number) {}

  /** Did this run end a window of `window` cycles of spinning? (Run granularity is a quantum: pause-dense on average.) */
  exits(v: Vcpu, ran: number, pauses: number, window: number): boolean {
    if (ran <= 0 || pauses * this.gap < ran || !v.cpu.kernelMode) { this.streak.delete(v); return false; }
    const s = (this.streak.get(v) ?? 0) + ran;
    if (s < window) { this.streak.set(v, s); return false; }
    this.streak.delete(v);
    return true;
  }

  forget(v: Vcpu): void { this.streak.delete(v); }
}

/** Per-VCPU state KVM keeps in struct kvm_vcpu (ple_window in vcpu_vmx, spin_loop.*). */
interface KvmVcpuState {
  window: number;
  /** v.switches when last seen running: a change means it was scheduled in again (kvm_sched_in). */
  seenSwitches: number;
  /** It yielded out of kvm_vcpu_on_spin at this v.switches and has not run since (spin_loop.in_spin_loop). */
  inSpinLoopAt: number;
  dyEligible: boolean;
  /** It blocked at this v.switches (a woken VCPU is ready but not preempted). */
  blockedAt: number;
}

export class KvmPle implements PreemptionStrategy {
  readonly name = 'ple';
  /** yield_to() ends in schedule(): the spinner gives its own PCPU up after a successful boost. */
  readonly boostThenYield: boolean = true;
  private readonly detector: PauseLoopDetector;
  private readonly state = new Map<Vcpu, KvmVcpuState>();
  /** kvm->last_boosted_vcpu, per VM. */
  private readonly lastBoosted = new Map<number, number>();
  exits = 0;
  directed = 0;
  /** Window resets on schedule-in that changed the window (shrink_ple_window). */
  shrinks = 0;

  constructor(gap = PLE_GAP, readonly base = PLE_WINDOW, private readonly grow = PLE_WINDOW_GROW, readonly max = PLE_WINDOW_MAX) {
    this.detector = new PauseLoopDetector(gap);
  }

  sliceEnd(): SliceDecision { return PREEMPT; }

  released(v: Vcpu, how: 'yield' | 'block'): void {
    this.detector.forget(v);
    if (how === 'block') this.of(v).blockedAt = v.switches;
  }

  counters(): Readonly<Record<string, number>> { return { pleExits: this.exits, directedYields: this.directed, windowResets: this.shrinks }; }

  /** v's current PLE window (vmx->ple_window). */
  window(v: Vcpu): number { return this.of(v).window; }

  afterRun(v: Vcpu, ran: number, pauses: number): Vcpu | null | undefined {
    const s = this.of(v);
    if (s.seenSwitches !== v.switches) this.scheduledIn(v, s);
    // It ran guest code again: it has left kvm_vcpu_on_spin, which clears in_spin_loop and dy_eligible on the way out.
    if (s.inSpinLoopAt >= 0) { s.inSpinLoopAt = -1; s.dyEligible = false; }
    if (!this.detector.exits(v, ran, pauses, s.window)) return undefined;
    this.exits++;
    s.window = growWindow(s.window, this.base, this.grow, this.max);
    const target = this.onSpin(v, s);
    if (!target) return undefined; // nobody to boost: back to the guest, with the larger window
    this.directed++;
    s.inSpinLoopAt = v.switches;
    return target;
  }

  private of(v: Vcpu): KvmVcpuState {
    let s = this.state.get(v);
    if (!s) { s = { window: this.base, seenSwitches: v.switches, inSpinLoopAt: -1, dyEligible: false, blockedAt: -1 }; this.state.set(v, s); }
    return s;
  }

  /** kvm_sched_in -> vmx_sched_in -> shrink_ple_window (ple_window_shrink 0: back to the base). */
  private scheduledIn(v: Vcpu, s: KvmVcpuState): void {
    s.seenSwitches = v.switches;
    if (s.window !== this.base) { s.window = this.base; this.shrinks++; }
  }

  /** kvm_vcpu_on_spin(me, yield_to_kernel_mode = true, as handle_pause passes). */
  private onSpin(me: Vcpu, ms: KvmVcpuState): Vcpu | undefined {
    const sibs = me.vm.vcpus;
    const start = (this.lastBoosted.get(me.vm.id) ?? -1) + 1;
    let chosen: Vcpu | undefined;
    for (let i = 0; i < sibs.length && !chosen; i++) {
      const idx = (start + i) % sibs.length;
      const c = sibs[idx]!;
      if (c === me || c.state !== VS.RUNNABLE) continue; // not ready
      const cs = this.of(c);
      const preempted = cs.blockedAt !== c.switches;
      if (preempted && !c.cpu.kernelMode) continue; // preempted in user mode: not the lock holder
      if (!this.eligible(c, cs)) continue;
      this.lastBoosted.set(me.vm.id, idx);
      chosen = c;
    }
    ms.dyEligible = false; // kvm_vcpu_on_spin's last step: not eligible during its next spin loop
    return chosen;
  }

  /** kvm_vcpu_eligible_for_directed_yield: a VCPU inside a spin loop is eligible every other time it is considered. */
  private eligible(c: Vcpu, cs: KvmVcpuState): boolean {
    if (cs.inSpinLoopAt !== c.switches) return true;
    const ok = cs.dyEligible;
    cs.dyEligible = !cs.dyEligible;
    return ok;
  }
}

/** __grow_ple_window (arch/x86/kvm/x86.h): multiply when the modifier is below the base, else add; never past max. */
export function growWindow(val: number, base: number, modifier: number, max: number): number {
  if (modifier < 1) return base;
  const grown = modifier < base ? val * modifier : val + modifier;
  return Math.min(grown, max);
}

export class XenPle implements PreemptionStrategy {
  readonly name = 'xen-ple';
  private readonly detector: PauseLoopDetector;
  exits = 0;

  constructor(gap = PLE_GAP, private readonly window = PLE_WINDOW) { this.detector = new PauseLoopDetector(gap); }

  sliceEnd(): SliceDecision { return PREEMPT; }

  released(v: Vcpu): void { this.detector.forget(v); }

  counters(): Readonly<Record<string, number>> { return { pleExits: this.exits }; }

  /** SCHEDOP_yield: a plain yield (null), no target. */
  afterRun(v: Vcpu, ran: number, pauses: number): null | undefined {
    if (!this.detector.exits(v, ran, pauses, this.window)) return undefined;
    this.exits++;
    return null;
  }
}
