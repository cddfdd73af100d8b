/**
 * The hypervisor: P simulated physical CPUs in one Node thread, multiplexing
 * the VCPUs of several VMs.
 *
 * Time advances in rounds. A round ends at the next quantum boundary or the
 * next event (timer, IPC timeout, cap period), whichever is first. In a round
 * every PCPU runs, in an order shuffled by the seeded RNG, up to the round's
 * end on its own clock; so VCPUs on different PCPUs interleave every quantum
 * and races on guest memory (spinlocks) are real, while the same
 * configuration and seed replay bit for bit. Events fire at round
 * boundaries, so a timer is late by at most one quantum; a hypercall sees the
 * clock of the PCPU that runs it. With one PCPU nothing needs interleaving:
 * a round lasts until the next event, including events the PCPU's own
 * hypercalls schedule during the round, so timers are exact there.
 *
 * The loop never decides policy: a SchedulerPolicy places and picks VCPUs and
 * a PreemptionStrategy decides at slice end (sched/policy.ts). Everything a
 * VCPU does is accounted at the virtual time it happens: running, runnable
 * (steal), blocked, per PCPU busy and idle.
 */
import { IRQ_LINES } from '../isa/traps.ts';
import { REG } from '../isa/registers.ts';
import { ConfigError, type MachineConfig } from './config/index.ts';
import { HostMemory, F, S, Exit, DEFAULT_ENGINE, runner, run as interpret, type ExitCode, type Runner } from './cpu/index.ts';
import { EventQueue, type EventHandle } from './events.ts';
import { Rng } from './rng.ts';
import { Pcpu } from './pcpu.ts';
import { Vm, type VmState } from './vm.ts';
import { VS, Vcpu, type BlockReason, type VState } from './vcpu.ts';
import {
  POLICIES, PREEMPTION_STRATEGIES, BalloonController, SliceLengths, type EnqueueReason, type PreemptionStrategy, type SchedContext, type SchedulerPolicy,
} from './sched/index.ts';
import {
  dispatchHypercall, ipcInterrupt, ipcVmStopped, grantsVmStopped, publishPreempted, countLockPreemption, publishRunstate,
} from './hypercalls/index.ts';
import { CoRun, hypercallArgs, traceHypercall, traceStep, type Tracer } from './observe/index.ts';
import type { MachineView, StopReason } from './view.ts';
import type { MachineOptions, VmSetup } from './options.ts';
import { buildVm } from './build.ts';
import { CapAccounting } from './caps.ts';
import { stopVcpu } from './stop.ts';

export type { StopReason } from './view.ts';

export class Hypervisor implements SchedContext, MachineView {
  readonly pcpus: Pcpu[];
  private readonly order: Pcpu[]; // PCPUs in this round's order, shuffled from the last round's: kept across paused runs
  readonly vms: Vm[] = [];
  readonly vcpus: Vcpu[] = [];
  readonly events = new EventQueue();
  readonly policy: SchedulerPolicy;
  readonly preemption: PreemptionStrategy;
  readonly host: HostMemory;
  readonly tracer: Tracer | undefined;
  /** How many of each VM's VCPUs ran at once (observe/corun.ts). */
  readonly corun = new CoRun(() => this.time);
  /** Start of the current round (global virtual time). */
  time = 0;
  instructions = 0;
  wallMs = 0;
  stopReason: StopReason | undefined;
  private readonly rng: Rng;
  private readonly slices: SliceLengths;
  private readonly quantum: number;
  /** run() of the chosen engine (interpreter or compiling tier). */
  private readonly runVcpu: Runner;
  /** One instruction per execute(), when something watches each one (MachineOptions.itrace, .stepper); ResumableRun swaps it between runs. */
  stepOne: ((v: Vcpu) => ExitCode) | undefined;
  private readonly limit: number;
  pauseAt = Infinity; // where run() returns 'paused'; ResumableRun.pauseSoon moves it to now
  private cur: Pcpu | undefined;
  private live = 0;
  private queued = false; // some run queue may be non-empty this round (set at its start and by every enqueue)
  private readonly caps: CapAccounting;
  /** The time-ballooning controller, when MachineOptions.balloon is given. */
  readonly balloon: BalloonController | undefined;

  constructor(readonly config: MachineConfig, setups: readonly VmSetup[], readonly opts: MachineOptions = {}) {
    if (setups.length !== config.vms.length) throw new RangeError('one VmSetup per configured VM');
    this.rng = new Rng(config.seed);
    this.pcpus = Array.from({ length: config.pcpus }, (_, i) => new Pcpu(i));
    this.order = this.pcpus.slice();
    this.slices = new SliceLengths(config, this.pcpus.map(() => Math.round(config.slice * (0.5 + this.rng.next() / 2 ** 33))));
    this.quantum = config.pcpus === 1 ? Infinity : config.quantum;
    this.runVcpu = runner(config.engine ?? DEFAULT_ENGINE);
    this.limit = opts.maxInstructions ?? Infinity;
    this.tracer = opts.tracer;
    const one = opts.itrace ? (v: Vcpu) => this.traceOne(v) : (v: Vcpu) => interpret(v.cpu, 1);
    this.stepOne = opts.stepper ? (v) => opts.stepper!(v, () => one(v)) : opts.itrace ? one : undefined;
    // A configuration is validated before it gets here; own-key lookups keep 'toString' from reaching Object.prototype anyway.
    if (!Object.hasOwn(POLICIES, config.policy)) throw new ConfigError(`unknown scheduling policy ${config.policy} (known: ${Object.keys(POLICIES).join(', ')})`);
    if (!Object.hasOwn(PREEMPTION_STRATEGIES, config.preemption)) {
      throw new ConfigError(`unknown preemption strategy ${config.preemption} (known: ${Object.keys(PREEMPTION_STRATEGIES).join(', ')})`);
    }
    this.policy = POLICIES[config.policy](this);
    this.preemption = PREEMPTION_STRATEGIES[config.preemption](config);
    this.caps = new CapAccounting(config.capPeriod, this.vms, this.events);
    this.host = new HostMemory(config.vms.reduce((n, v) => n + v.memory, 0));
    let base = 0;
    config.vms.forEach((vc, i) => { this.addVm(i, setups[i]!, base); base += vc.memory; });
    if (config.vms.some((v) => v.cap !== undefined)) this.caps.start();
    if (opts.balloon) { this.balloon = new BalloonController(this, opts.balloon); this.balloon.start(); }
    this.tracer?.begin(this);
  }

  private addVm(id: number, setup: VmSetup, base: number): void {
    const vm = buildVm(this, id, setup, base);
    this.vms.push(vm);
    this.live++;
    this.makeRunnable(vm.vcpus[0]!, 0, 'start');
  }

  // ---- the run loop ------------------------------------------------------

  /**
   * Runs until the machine stops, or returns 'paused' after `budget` more instructions, where a round ends
   * (alone, a PCPU also between two runs of a VCPU): so a paused and resumed run is the same run.
   */
  run(budget = Infinity): StopReason {
    const end = this.config.time ?? Infinity;
    this.pauseAt = this.instructions + budget;
    const t0 = performance.now();
    for (const order = this.order; ;) {
      this.cur = undefined;
      this.events.runDue(this.time);
      if (this.live === 0 || this.watchedVmStopped()) { this.stopReason = 'done'; break; }
      if (this.time >= end) { this.stopReason = 'time'; break; }
      if (this.instructions >= this.limit) { this.stopReason = 'limit'; break; }
      if (this.instructions >= this.pauseAt) { this.wallMs += performance.now() - t0; return 'paused'; }
      const next = Math.min(this.events.nextTime(), end);
      if (!this.anyWork()) {
        // Nothing runs and nothing is scheduled: no VCPU can ever wake (a time limit changes nothing).
        if (this.events.nextTime() === Infinity) { this.stopReason = 'deadlock'; break; }
        this.idleUntil(next);
        continue;
      }
      const roundEnd = Math.min(this.time + this.quantum, next);
      if (order.length > 1) this.rng.shuffle(order);
      this.queued = this.pcpus.some((q) => q.queue.length > 0);
      // An idle PCPU with nothing queued anywhere only lets time pass: O(1), not a policy pick (which scans every PCPU).
      for (const p of order) if (p.current || this.queued || this.quantum === Infinity) this.runPcpu(p, roundEnd); else p.idleTo(roundEnd);
      this.cur = undefined;
      // One PCPU: the round ends where the PCPU stopped (an event came due, or it ran out of work).
      this.time = this.quantum !== Infinity ? roundEnd : Math.max(this.time, this.pcpus[0]!.time);
      this.policy.balance(this.time);
      this.tracer?.round(this);
    }
    this.finish();
    this.wallMs += performance.now() - t0;
    return this.stopReason;
  }

  /** Ends a paused run where it stands, as a time limit would (Ctrl-C in the CLI). */
  stop(): StopReason { this.stopReason = 'stopped'; this.finish(); return this.stopReason; }

  private watchedVmStopped(): boolean { const id = this.opts.stopWithVm; return id !== undefined && this.vms[id]?.running === false; }
  private anyWork(): boolean { return this.pcpus.some((p) => p.current !== undefined || p.queue.some((v) => this.eligible(v))); }

  /** Every enqueue goes through here, so the round knows some PCPU may have work to pick (or steal). */
  private enqueue(v: Vcpu, why: EnqueueReason, t: number): void { this.queued = true; this.policy.enqueue(v, why, t); }

  private idleUntil(t: number): void { for (const p of this.pcpus) p.idleTo(t); this.time = t; }

  private runPcpu(p: Pcpu, roundEnd: number): void {
    this.cur = p;
    for (;;) {
      // Alone, a PCPU also stops at events its own hypercalls schedule (a timer armed in this round).
      const end = this.quantum === Infinity ? Math.min(roundEnd, this.events.nextTime()) : roundEnd;
      if (p.time >= end || this.live === 0 || this.watchedVmStopped() || (this.quantum === Infinity && this.instructions >= this.pauseAt)) return;
      let v = p.current;
      if (v && (p.time >= p.sliceEnd || !this.eligible(v))) {
        this.sliceEnded(v, p);
        v = p.current;
      }
      if (!v) {
        v = this.dispatch(p);
        if (!v) {
          if (end !== Infinity) { p.idle += end - p.time; p.time = end; }
          return;
        }
      }
      let budget = Math.max(1, Math.min(end, p.sliceEnd, p.time + this.caps.left(v)) - p.time);
      if (this.limit !== Infinity) {
        if (this.instructions >= this.limit) return;
        budget = Math.min(budget, this.limit - this.instructions);
      }
      this.execute(v, p, budget);
    }
  }

  /** One run() of v on p, then whatever its exit asks for. */
  private execute(v: Vcpu, p: Pcpu, budget: number): void {
    const cpu = v.cpu;
    cpu.f64[F.TIME] = p.time;
    const n0 = cpu.f64[F.INSTRET]!;
    const pauses0 = cpu.st[S.PAUSES]!;
    const exit: ExitCode = this.stepOne ? this.stepOne(v) : this.runVcpu(cpu, budget);
    const ran = cpu.f64[F.RAN]!;
    this.instructions += cpu.f64[F.INSTRET]! - n0;
    p.time += ran;
    p.busy += ran;
    v.vm.periodUsed += ran;
    this.policy.charge(v, ran);
    if (exit === Exit.HCALL) this.hypercall(v);
    else if (exit === Exit.WFI) { if (!cpu.wakeable) this.block(v, 'wfi'); }
    else if (exit === Exit.FAULT) this.stopVm(v.vm, 'fault', 0, v);
    if (this.preemption.afterRun && v.state === VS.RUNNING) {
      const to = this.preemption.afterRun(v, ran, (cpu.st[S.PAUSES]! - pauses0) | 0);
      if (to !== undefined) { v.pleExits++; this.yieldCpu(v, to ?? undefined, this.preemption.boostThenYield === true); }
    }
  }

  private traceOne(v: Vcpu): ExitCode {
    const out = this.opts.itrace!;
    const tag = this.vcpus.length > 1 ? `${v.name} ` : '';
    return traceStep(v.cpu, v.vm.image, tag ? (line) => out(tag + line) : out);
  }

  private hypercall(v: Vcpu): void {
    v.hypercalls++;
    const number = v.cpu.reg(REG.a0);
    const args = this.opts.itrace || this.tracer ? hypercallArgs(v.cpu) : undefined;
    dispatchHypercall(v, this);
    const returned = v.state === VS.RUNNING || v.state === VS.RUNNABLE;
    if (this.opts.itrace) traceHypercall(v.cpu, number, args!, returned, this.opts.itrace);
    this.tracer?.hypercall(v, number, args!, this.now(), returned ? v.cpu.reg(REG.a0) : undefined);
  }

  // ---- scheduling transitions ------------------------------------------

  /** Move v to state s at time t (never before its last change), accounting the span it leaves. */
  setState(v: Vcpu, s: VState, t: number): void {
    const at = Math.max(t, v.since);
    v.acc[v.state] += at - v.since;
    this.tracer?.vcpuSpan(v, v.state, v.since, at);
    const ran = v.state === VS.RUNNING ? v.since : -1;
    v.state = s;
    v.since = at;
    // After the change: a fold inside ran() must not see the span it is handed as still open.
    if (ran >= 0) this.corun.ran(v, ran, at);
  }

  private makeRunnable(v: Vcpu, t: number, why: 'start' | 'wake'): void {
    this.setState(v, VS.RUNNABLE, t);
    this.enqueue(v, why, t);
    const q = this.pcpus[v.pcpu]!;
    if (q.current && this.policy.wakePreempts(v, q)) q.sliceEnd = Math.min(q.sliceEnd, Math.max(q.time, t));
  }

  private dispatch(p: Pcpu, avoid?: Vcpu): Vcpu | undefined {
    const v = this.policy.pick(p, p.time, avoid);
    if (!v) return undefined;
    // Causality: a VCPU woken later in this round by another PCPU cannot run earlier here.
    if (v.since > p.time) { p.idle += v.since - p.time; p.time = v.since; }
    if (v.lastRan >= 0 && v.lastRan !== p.id) v.migrations++;
    v.lastRan = p.id;
    v.pcpu = p.id;
    this.setState(v, VS.RUNNING, p.time);
    v.switches++;
    p.switches++;
    p.current = v;
    p.runStart = p.time;
    // Real PCPUs' timers are not synchronised: lockstep slice boundaries would decide by phase alone
    // whether the VCPUs of an SMP guest ever overlap (and so whether its locks are contended); sched/slice.ts.
    p.sliceEnd = p.time + (p.switches === 1 ? this.slices.firstSlice(p.id) : this.slices.next(p.id));
    publishRunstate(v, p.time);
    publishPreempted(v, false);
    return v;
  }

  /** Take v (running on p) off the PCPU into state s. */
  private deschedule(v: Vcpu, p: Pcpu, s: VState): void {
    this.tracer?.pcpuSlice(p, v, p.runStart, p.time);
    this.setState(v, s, p.time);
    p.current = undefined;
  }

  private sliceEnded(v: Vcpu, p: Pcpu): void {
    if (this.eligible(v)) {
      if (!this.policy.hasWaiting(p)) { p.sliceEnd = p.time + this.slices.next(p.id); return; }
      const d = this.preemption.sliceEnd(v, p.time, this.config.slice);
      if (!d.preempt) { p.sliceEnd = Math.max(d.until, p.time + 1); return; }
    }
    this.preempt(v, p);
  }

  private preempt(v: Vcpu, p: Pcpu): void {
    this.deschedule(v, p, VS.RUNNABLE);
    v.preemptions++;
    countLockPreemption(v);
    publishPreempted(v, true);
    this.enqueue(v, 'preempt', p.time);
  }

  /** The running VCPU v blocks (wfi, HC_BLOCK, IPC). */
  block(v: Vcpu, reason: BlockReason): void {
    const p = this.pcpus[v.pcpu]!;
    if (p.current !== v) return;
    v.blockReason = reason;
    this.preemption.released(v, 'block', p.time);
    this.deschedule(v, p, VS.BLOCKED);
  }

  /** Wake a blocked VCPU (its wake-up result, if any, is already in its registers). */
  wake(v: Vcpu): void {
    if (v.state !== VS.BLOCKED) return;
    v.blockReason = undefined;
    v.wakeups++;
    this.makeRunnable(v, this.now(), 'wake');
  }

  /** HC_YIELD: give up the PCPU; run `target` (a runnable sibling) instead if the policy agrees; `thenYield`: also when target runs elsewhere. */
  yieldCpu(v: Vcpu, target: Vcpu | undefined, thenYield = false): void {
    const p = this.pcpus[v.pcpu]!;
    v.yields++;
    this.preemption.released(v, 'yield', p.time);
    if (target && target !== v && target.state === VS.RUNNABLE) {
      const where = this.policy.boost(target, p, v);
      // Pinned elsewhere: end that PCPU's slice now, so its pick can run the target (KVM's yield_to).
      const q = where >= 0 && where !== p.id ? this.pcpus[where]! : undefined;
      if (q) {
        if (q.current) q.sliceEnd = Math.min(q.sliceEnd, Math.max(q.time, p.time));
        if (!thenYield) return; // the target runs over there: giving this PCPU away too would only delay the yielder
      }
    }
    if (!this.policy.hasWaiting(p) && !this.pcpus.some((q) => q !== p && q.queue.length > 0)) return;
    this.deschedule(v, p, VS.RUNNABLE);
    publishPreempted(v, true);
    this.enqueue(v, 'yield', p.time);
    if (this.dispatch(p, v) === undefined) this.dispatch(p);
  }

  /** HC_VCPU_START: bring an offline VCPU up. */
  startVcpu(v: Vcpu): void {
    this.makeRunnable(v, this.now(), 'start');
  }

  /** Raise line on v (devices, IPIs), waking it if it waits for an interrupt. */
  raiseIrq(v: Vcpu, line: number, why: string): void {
    if (v.state === VS.STOPPED) return;
    v.cpu.raiseIrq(line);
    v.irqs++;
    this.tracer?.instant(v, `irq ${IRQ_LINES[line]?.name ?? line}`, this.now(), { from: why });
    if (v.state === VS.BLOCKED && (v.blockReason === 'wfi' || v.blockReason === 'block') && v.cpu.wakeable) this.wake(v);
    else if (v.state === VS.BLOCKED && v.blockReason === 'ipc') ipcInterrupt(this, v);
  }

  // ---- VMs ---------------------------------------------------------------

  /** Stop a VM (shutdown, fault): its VCPUs leave every PCPU and queue; other VMs go on. */
  stopVm(vm: Vm, state: Exclude<VmState, 'running'>, code: number, faulting?: Vcpu): void {
    if (!vm.running) return;
    const t = this.now();
    vm.markStopped(state, code, t, faulting);
    for (const v of vm.vcpus) stopVcpu(this, v, t);
    vm.stopDevices();
    ipcVmStopped(this, vm);
    grantsVmStopped(this, vm);
    vm.console.flush();
    this.live--;
  }

  /** Every VM still running at the end: the time limit, or nothing left to wake them. */
  private finish(): void {
    const t = this.time;
    for (const p of this.pcpus) {
      const v = p.current;
      if (v) {
        this.tracer?.pcpuSlice(p, v, p.runStart, Math.max(p.time, p.runStart));
        // Stopped early (the instruction limit): from here to the end it did not run.
        if (p.time < t) this.setState(v, VS.RUNNABLE, p.time);
      }
      if (p.time < t) { p.idle += t - p.time; p.time = t; }
    }
    for (const v of this.vcpus) this.setState(v, v.state, Math.max(t, this.pcpus[v.pcpu]?.time ?? t));
    for (const vm of this.vms) {
      if (vm.running && this.stopReason === 'deadlock') { vm.markStopped('halted', vm.exitCode, t); this.live--; }
      vm.console.flush();
    }
    this.tracer?.end(this);
  }

  // ---- what devices, hypercalls and policies see --------------------------

  /** Virtual time of the PCPU handling the current exit, or the round boundary. */
  now(): number { return this.cur ? this.cur.time : this.time; }
  at(t: number, fn: () => void): EventHandle { return this.events.at(t, fn); }
  cancel(e: EventHandle | undefined): void { this.events.cancel(e); }

  eligible(v: Vcpu): boolean { return this.caps.eligible(v); }

  /** Virtual time reached: the round boundary, or a PCPU's clock past it. */
  elapsed(): number { return Math.max(this.time, ...this.pcpus.map((p) => p.time)); }

  /** A running VM by index (IPC and grants address VMs by index). */
  runningVm(id: number): Vm | undefined {
    const vm = this.vms[id];
    return vm?.running ? vm : undefined;
  }
}
