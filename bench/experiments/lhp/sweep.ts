/**
 * The lock-holder-preemption experiment (`paravm experiment lhp`): the
 * guest kernel on N VCPUs serves the web workload (programs/kernel/httpd.s
 * behind the paravirtual network device and its closed-loop clients), each
 * VCPU pinned to its own PCPU and time-sharing it with a CPU-bound VM of the
 * same share, under each remedy for lock-holder preemption. The figures are
 * shaped like the paper's: lock time and spin time as percent of execution
 * time, and bandwidth, per CPU count and strategy. docs/experiments.md
 * defines every measure.
 */
import { join } from 'node:path';
import { sharedImageCache } from '../../../guest-kernel/loader/index.ts';
import type { Image } from '../../../isa/image.ts';
import { CYCLES_PER_MS, CYCLES_PER_US, CLOCK_HZ } from '../../../isa/clock.ts';
import { bootKernel, kernelStats, type KernelOptions, type KernelStats, type LockKind, ROOT } from '../../../guest-kernel/loader/index.ts';
import { coRunSummary, DEFAULTS, VS, type CoRunSummary, type Hypervisor, type Vm, type NetOptions, type PolicyName, type PreemptionName } from '../../../hypervisor/index.ts';

/** A remedy: the hypervisor's slice-end strategy plus the guest's boot options. */
export interface Strategy {
  name: string;
  label: string;
  preemption: PreemptionName;
  hints?: boolean;
  pvspin?: boolean;
  preemptCheck?: boolean;
  /** The guest's spinlock, when the strategy needs one kind (else the run's `locks`). */
  locks?: LockKind;
  /** The hypervisor's scheduling policy (default stride): co-scheduling strategies set it. */
  policy?: PolicyName;
  /** Request accounting under a sleeping mutex with owner spinning (vcpu_is_preempted as Linux uses it). */
  mutex?: boolean;
  /** false: no competing VMs (the native baseline). */
  competitor: boolean;
}

export const STRATEGIES: readonly Strategy[] = [
  { name: 'native', label: 'native', preemption: 'none', competitor: false },
  { name: 'none', label: 'none', preemption: 'none', competitor: true },
  { name: 'intrusive', label: 'intrusive', preemption: 'intrusive', hints: true, competitor: true },
  { name: 'nonintrusive', label: 'non-intrusive', preemption: 'nonintrusive', competitor: true },
  { name: 'ple', label: 'KVM PLE (adaptive window, directed yield)', preemption: 'ple', competitor: true },
  { name: 'xen-ple', label: 'Xen PLE (plain yield)', preemption: 'xen-ple', competitor: true },
  { name: 'pvspin', label: 'Xen 2008 pv byte lock', preemption: 'none', locks: 'ttas', pvspin: true, competitor: true },
  { name: 'preempt-check', label: 'confer to holder (POWER H_CONFER)', preemption: 'none', preemptCheck: true, competitor: true },
  { name: 'qspinlock', label: 'qspinlock (MCS queue)', preemption: 'none', locks: 'queued', competitor: true },
  { name: 'pv-qspinlock', label: 'pv-qspinlock', preemption: 'none', locks: 'queued', pvspin: true, competitor: true },
  { name: 'pv-qspin+ple', label: 'pv-qspinlock + KVM PLE', preemption: 'ple', locks: 'queued', pvspin: true, competitor: true },
  { name: 'mutex-spin', label: 'mutex spinning while the owner runs (Linux vcpu_is_preempted)', preemption: 'none', mutex: true, competitor: true },
  { name: 'gang', label: 'gang scheduling', preemption: 'none', policy: 'gang', competitor: true },
  { name: 'relaxed-cosched', label: 'relaxed co-scheduling (VMware)', preemption: 'none', policy: 'relaxed-cosched', competitor: true },
];

export const strategy = (name: string): Strategy => {
  const s = STRATEGIES.find((x) => x.name === name);
  if (!s) throw new RangeError(`unknown strategy ${name} (known: ${STRATEGIES.map((x) => x.name).join(', ')})`);
  return s;
};

export interface LhpOptions {
  cpus: number;
  strategy: Strategy;
  seed: number;
  /** Measured window, cycles of virtual time (after the warm-up). */
  duration: number;
  /** Warm-up before the window: boot, file cache, clients ramping up. */
  warmup: number;
  locks?: LockKind;
  /** Load generator overrides (default: 16 clients, no think time). */
  net?: NetOptions;
  /** The competitors' share of their PCPU (default 0.5: equal weights). */
  competitorShare?: number;
  /** PCPUs (default cpus): fewer over-commit the guest, VCPU i on PCPU i mod pcpus. */
  pcpus?: number;
  /** What competes for each PCPU (default 'guest'; COMPETITORS). */
  competitor?: CompetitorKind;
  /** -D symbols for httpd.s (WORK, THREADS, COPY). */
  defines?: Record<string, number>;
  /** The hypervisor's round (cycles): PCPUs interleave at this grain; default LHP_QUANTUM. */
  quantum?: number;
  /** Slice length, its jitter and the PCPUs' first-slice offset (MachineConfig.slice, .sliceJitter, .slicePhase); default the hypervisor's. */
  slice?: number;
  sliceJitter?: number;
  slicePhase?: number;
  /** The remedies' bounds (MachineConfig.delayBound, .safePointWindow); default the hypervisor's. */
  delayBound?: number;
  safePointWindow?: number;
}

export interface LhpRun {
  /** The sensitivity point this run belongs to (absent in the main sweep). */
  point?: string;
  cpus: number;
  strategy: string;
  seed: number;
  /** Execution time: cycles the guest's VCPUs ran in the window (sum over VCPUs); the base of every % below. */
  execCycles: number;
  /** The other base: wall-clock VCPU time, the window times the guest's VCPUs (execCycles / wallCycles is the guest's share). */
  wallCycles: number;
  /** The numerators, cycles summed over the guest's spinlocks: held (wall clock), spun (executed), waited (wall clock). */
  holdCycles: number;
  spinCycles: number;
  waitCycles: number;
  /** Lock time: kernel spinlocks held (wall clock, acquire to release, summed over acquisitions), % of execution time. */
  lockPct: number;
  /** Spin time: cycles spent spinning for kernel spinlocks (first try to acquisition, minus the spinner's own steal time and time blocked in HC_PV_WAIT), % of execution time. */
  spinPct: number;
  /** Wait time: wall-clock time from first try to acquisition, the waiter's own time off its PCPU included (what a guest timing its spinlocks with a TSC sees), % of execution time. */
  waitPct: number;
  /** Correct response bytes the clients received per second of virtual time, KB/s (1 KB = 1024 bytes). */
  kbps: number;
  responses: number;
  /** Responses with wrong bytes (must be 0). */
  bad: number;
  /** Preemptions of a guest VCPU holding a spinlock / spinning for one. */
  lockHolderPreemptions: number;
  lockWaiterPreemptions: number;
  /** Slice ends the strategy delayed (intrusive: extensions; non-intrusive: deferrals), and the cycles that added. */
  delayed: number;
  delayCycles: number;
  pleExits: number;
  directedYields: number;
  /** The competing VMs' share of their PCPUs in the window, and the share their weights entitle them to. */
  competitorShare: number;
  competitorEntitled: number;
  meanLatencyUs: number;
  /** How many of the guest's VCPUs ran at once in the window, against independent phases (hypervisor/observe/corun.ts). */
  corun: CoRunSummary;
}

interface Snapshot {
  t: number;
  exec: number;
  hold: number;
  spin: number;
  wait: number;
  bytes: number;
  responses: number;
  bad: number;
  latency: number;
  lhp: number;
  lwp: number;
  delayed: number;
  delayCycles: number;
  pleExits: number;
  directed: number;
  competitor: number;
  corun: number[];
  running: number[];
}

/** This thread's assembled programs: a sweep's worker assembles each once, or reads it from the user's image cache. */
const images = sharedImageCache();
const image = (path: string, defines: Record<string, number> = {}): Image => images.file(path, { defines });

function snapshot(hv: Hypervisor, vm: Vm, k: KernelStats): Snapshot {
  const t = hv.now();
  const c = hv.preemption.counters();
  const net = vm.net!.stats();
  const guest = vm.vcpus;
  return {
    t,
    exec: guest.reduce((n, v) => n + v.timeIn(VS.RUNNING, t), 0),
    hold: k.locks.reduce((n, l) => n + l.holdCycles, 0),
    spin: k.locks.reduce((n, l) => n + l.spinCycles, 0),
    wait: k.locks.reduce((n, l) => n + l.waitCycles, 0),
    bytes: net.bytes, responses: net.responses, bad: net.bad, latency: net.latencySum,
    lhp: guest.reduce((n, v) => n + v.lockHolderPreemptions, 0),
    lwp: guest.reduce((n, v) => n + v.lockWaiterPreemptions, 0),
    delayed: c.delayed ?? 0,
    delayCycles: c.delayCycles ?? 0,
    pleExits: c.pleExits ?? 0,
    directed: c.directedYields ?? 0,
    competitor: hv.vms.slice(1).reduce((n, c) => n + c.vcpus.reduce((m, v) => m + v.timeIn(VS.RUNNING, t), 0), 0),
    corun: hv.corun.histogram(vm), running: guest.map((v) => v.timeIn(VS.RUNNING, hv.time)),
  };
}

/**
 * The hypervisor's round for these runs: 1 us, not the default 5 us. The
 * kernel's critical sections last 50 to 1,200 cycles; PCPUs run a round one
 * after another, so a section that straddles a round boundary looks held
 * for a whole round to every PCPU that runs after it. With 5 us rounds that
 * artefact alone made native spin time 3.5% at 4 CPUs; with 1 us, 1.1%
 * (measured before sendfile posted whole files under one lock hold).
 */
export const LHP_QUANTUM = CYCLES_PER_US;

/**
 * What competes with the guest for each PCPU. 'guest' (the default): a VM of
 * its own per PCPU, the guest kernel running a CPU-bound user process
 * (programs/kernel/cpuhog.s), so a slice end finds it in user mode as it
 * would find a real competing guest. 'smp': one SMP guest of that kind with
 * a VCPU pinned to each PCPU, a thread per VCPU (two SMP guests preempting
 * each other). 'bare': a bare-metal loop in kernel mode (programs/sched/busy.s),
 * which safe-point detection never finds at a safe point.
 */
export const COMPETITORS = ['guest', 'smp', 'bare'] as const;
export type CompetitorKind = (typeof COMPETITORS)[number];

function competitorOptions(kind: CompetitorKind, cpus: number): Pick<KernelOptions, 'competitor' | 'competitorGuest'> {
  if (kind === 'bare') return { competitor: image(join(ROOT, 'programs', 'sched', 'busy.s')) };
  const hog = join(ROOT, 'programs', 'kernel', 'cpuhog.s');
  return kind === 'smp'
    ? { competitorGuest: { programs: [image(hog, { THREADS: cpus })], names: ['cpuhog.s'], smp: true } }
    : { competitorGuest: { programs: [image(hog)], names: ['cpuhog.s'] } };
}

/** Boot the guest with the web server and the competitors; the caller runs it. */
export function setup(o: LhpOptions): { hv: Hypervisor; vm: Vm } {
  const path = join(ROOT, 'programs', 'kernel', 'httpd.s');
  const server = image(path, o.defines);
  const s = o.strategy;
  // The guest VM's weight is split over its VCPUs; a competitor of weight w beside k of them (k > 1 when
  // over-committed) gets w / (w + k g).
  const pcpus = o.pcpus ?? o.cpus;
  const g = DEFAULTS.vm.weight / o.cpus;
  const k = Math.ceil(o.cpus / pcpus);
  const share = o.competitorShare ?? 0.5;
  const w = Math.max(1, Math.round((k * g * share) / (1 - share)));
  return bootKernel({
    vcpus: o.cpus, pcpus, programs: [server], names: ['httpd.s'], seed: o.seed, memory: 8 << 20,
    time: o.warmup + o.duration, quantum: o.quantum ?? LHP_QUANTUM, slice: o.slice, sliceJitter: o.sliceJitter, slicePhase: o.slicePhase, delayBound: o.delayBound, safePointWindow: o.safePointWindow, locks: s.locks ?? o.locks, hints: s.hints, pvspin: s.pvspin, preemptCheck: s.preemptCheck, policy: s.policy, mutex: s.mutex,
    preemption: s.preemption, ...(s.competitor ? competitorOptions(o.competitor ?? 'guest', pcpus) : {}),
    competitorWeights: s.competitor ? Array<number>(pcpus).fill(w) : undefined,
    net: { ...o.net },
  });
}

/** Responses served when every client has made `requests` requests (the machine stops then). */
export interface Served {
  done: boolean; responses: number; bytes: number; bad: number; digest: number;
  /** What the guest kernel's accounting (SYS_CLOSE, under the accounting lock) counted. */
  kernel: { requests: number; bytes: number };
}

/**
 * Serve a fixed workload, `requests` per client, and stop: the responses
 * (count, bytes, and the sum of their checksums) must be the same under
 * every strategy, however the VCPUs were scheduled.
 */
export function serveFixed(o: Omit<LhpOptions, 'duration' | 'warmup'> & { requests: number; limit: number }): Served {
  let stop = (): void => {};
  const { hv, vm } = setup({ ...o, duration: o.limit, warmup: 0, net: { ...o.net, requests: o.requests, onComplete: () => stop() } });
  // 1 ms after the last response, so that every thread has closed its connection (and the kernel accounted it).
  stop = () => { hv.at(hv.now() + CYCLES_PER_MS, () => hv.stopVm(vm, 'shutdown', 0)); };
  hv.run();
  const s = vm.net!.stats();
  return { done: vm.net!.done, responses: s.responses, bytes: s.bytes, bad: s.bad, digest: vm.net!.digest, kernel: kernelStats(vm).served };
}

export function runOne(o: LhpOptions): LhpRun {
  const { hv, vm } = setup(o);
  let a: Snapshot | undefined;
  hv.at(o.warmup, () => { a = snapshot(hv, vm, kernelStats(vm)); });
  hv.run();
  if (vm.state !== 'running' || !a) throw new Error(`${o.strategy.name}, ${o.cpus} CPUs, seed ${o.seed}: the guest did not run to the end (${vm.state})\n${vm.console.text().slice(-400)}`);
  const b = snapshot(hv, vm, kernelStats(vm));
  const d = (k: Exclude<keyof Snapshot, 'corun' | 'running'>): number => b[k] - a![k];
  const exec = d('exec');
  const window = d('t');
  const competitors = hv.vms.slice(1).reduce((n, c) => n + c.vcpus.length, 0);
  const g = DEFAULTS.vm.weight / o.cpus;
  const cw = competitors > 0 ? hv.vms[1]!.config.weight / hv.vms[1]!.vcpus.length : 0;
  return {
    cpus: o.cpus, strategy: o.strategy.name, seed: o.seed, execCycles: exec, wallCycles: window * o.cpus,
    holdCycles: d('hold'), spinCycles: d('spin'), waitCycles: d('wait'),
    lockPct: (100 * d('hold')) / exec, spinPct: (100 * d('spin')) / exec, waitPct: (100 * d('wait')) / exec,
    kbps: d('bytes') / 1024 / (window / CLOCK_HZ), responses: d('responses'), bad: d('bad'),
    lockHolderPreemptions: d('lhp'), lockWaiterPreemptions: d('lwp'),
    delayed: d('delayed'), delayCycles: d('delayCycles'), pleExits: d('pleExits'), directedYields: d('directed'),
    competitorShare: competitors > 0 ? d('competitor') / (competitors * window) : 0,
    competitorEntitled: competitors > 0 ? cw / (cw + Math.ceil(o.cpus / (o.pcpus ?? o.cpus)) * g) : 0,
    meanLatencyUs: d('responses') > 0 ? d('latency') / d('responses') / (CLOCK_HZ / 1e6) : 0,
    corun: coRunSummary(b.corun.map((x, k) => x - a!.corun[k]!), b.running.map((x, i) => x - a!.running[i]!)),
  };
}
