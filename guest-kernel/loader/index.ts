/**
 * Booting the guest kernel from the host: assemble guest-kernel/kernel.s and
 * the user programs, build a one-VM machine, place the programs in guest
 * memory as modules (at MODULE_AREA, described in the kernel's `modules`
 * table), write the boot options, run, and read the kernel's statistics
 * back. Every offset and constant is read from the kernel image's symbols
 * (kernel.inc is their only declaration).
 */
import { basename } from 'node:path';
import { sharedImageCache } from './assemble.ts';

export {
  assembleFile, assembleSource, imageCache, sharedImageCache, defaultCacheDir, toolchainStamp, readSourceFile,
  type ImageCache, type ImageCacheOptions,
} from './assemble.ts';
import type { Image } from '../../isa/image.ts';
import { KERNEL_BASE, PAGE_SIZE, PTE } from '../../isa/memory.ts';
import {
  DEFAULTS, Hypervisor, defaultMachine, type GuestMemory, type MachineConfig, type MachineOptions, type NetOptions,
  type Engine, type PolicyName, type PreemptionName, type Vm,
} from '../../hypervisor/index.ts';
import { rootPath } from './root.ts';

const KERNEL_SOURCE = rootPath('guest-kernel', 'kernel.s');

/** Spinlock kinds (BO_LOCK_KIND): test-and-test-and-set, ticket (FIFO), queued (Linux's MCS qspinlock, 32-qspinlock.s). */
export type LockKind = 'ttas' | 'ticket' | 'queued';
export const LOCK_KINDS: readonly LockKind[] = ['ttas', 'ticket', 'queued'];
/** SPIN_THRESHOLD of pv-qspinlock on x86 (arch/x86/include/asm/qspinlock.h: 1 << 15 spins), as a count of spin-loop iterations. */
export const QSPIN_THRESHOLD = 1 << 15;

export interface KernelOptions {
  vcpus: number;
  pcpus: number;
  /** User programs (assembled images, see programs/kernel/): each becomes a module, and a process at boot. */
  programs: Image[];
  /** Names of the programs (for messages); default "prog<i>". */
  names?: string[];
  locks?: LockKind;
  hints?: boolean;
  debugLocks?: boolean;
  /**
   * Paravirtual spinlocks: with ttas, Xen's 2008 byte lock (spin BO_PV_SPINS times, block in HC_PV_WAIT, the unlocker
   * kicks one waiter); with queued, Linux's pv-qspinlock (32-qspinlock.s). Not for ticket locks.
   */
  pvspin?: boolean;
  /** Spins before a pv wait (BO_PV_SPINS); default 1,024 for the byte lock, QSPIN_THRESHOLD for pv-qspinlock. */
  pvSpins?: number;
  /** Request accounting under a sleeping mutex that spins on a running owner only (vcpu_is_preempted as Linux uses it; 34-mutex.s). */
  mutex?: boolean;
  /** vcpu_is_preempted: spinners yield to a lock holder whose VCPU the hypervisor marks preempted. */
  preemptCheck?: boolean;
  /** Linux-style steal-time-aware balancing: run queues weighted by capacity from published steal time. */
  stealBalance?: boolean;
  /** Guest tick, in cycles (default 1 ms). */
  tick?: number;
  sliceTicks?: number;
  balanceTicks?: number;
  balanceThreshold?: number;
  memory?: number;
  seed?: number;
  /** Virtual time limit in cycles (default: until the kernel shuts down). */
  time?: number;
  quantum?: number;
  slice?: number;
  /** Spread of each slice's length and the PCPUs' first-slice offset (MachineConfig.sliceJitter, .slicePhase). */
  sliceJitter?: number;
  slicePhase?: number;
  /** The remedies' bounds (MachineConfig.delayBound, .safePointWindow). */
  delayBound?: number;
  safePointWindow?: number;
  /** The hypervisor's slice-end strategy (hypervisor/sched/preemption.ts). */
  preemption?: PreemptionName;
  /** The hypervisor's scheduling policy (hypervisor/sched/registry.ts: stride, or co-scheduling). */
  policy?: PolicyName;
  /** How VCPUs execute: the interpreter or the compiling tier (same results). */
  engine?: Engine;
  /**
   * The paper's setup: one CPU-bound VM with this image pinned to each PCPU,
   * and the guest's VCPU i pinned to PCPU i mod pcpus, so that every guest
   * VCPU time-shares its PCPU (equal weights: about 50% each).
   */
  competitor?: Image;
  /** PCPUs that get a competitor (default: all). */
  competitorOn?: number[];
  /** Weights of those competitors (default: the guest's weight); of an SMP competitor, per VCPU. */
  competitorWeights?: number[];
  /**
   * Instead of `competitor`: competitors that are guests of their own, this
   * kernel running `programs` (user mode, under their own timer ticks and
   * scheduler). One 1-VCPU VM per PCPU, or with `smp` one VM with a VCPU
   * pinned to each PCPU (two SMP guests preempting each other). They take
   * the guest's lock options (locks, hints, pvspin, preemptCheck).
   */
  competitorGuest?: { programs: Image[]; names?: string[]; smp?: boolean; memory?: number };
  /**
   * Give the guest the paravirtual network device with this load generator
   * (hypervisor/devices/net.ts): the kernel sets it up and fills its file
   * cache at boot (programs/kernel/httpd.s serves it).
   */
  net?: NetOptions;
  machine?: MachineOptions;
}

export class KernelBuildError extends Error {}

let kernelImage: Image | undefined;

/**
 * The kernel image: assembled once per process, and kept in the user's image
 * cache (cache.ts) so that later processes, and a sweep's worker
 * threads, read it instead of assembling 1.4 s of source again.
 */
export function kernel(): Image {
  if (!kernelImage) {
    try {
      kernelImage = sharedImageCache().file(KERNEL_SOURCE);
    } catch (e) {
      throw new KernelBuildError(`guest-kernel/kernel.s does not assemble:\n${(e as Error).message}`);
    }
  }
  return kernelImage;
}

/** A symbol of the kernel image (labels are kernel addresses, constants are offsets). */
export function ksym(name: string): number {
  const s = kernel().symbols.find((x) => x.name === name);
  if (s === undefined) throw new KernelBuildError(`the kernel image has no symbol ${name}`);
  return s.value >>> 0;
}

/** Guest-physical address of a kernel label. */
const pa = (name: string): number => ksym(name) - KERNEL_BASE;

export interface GuestKernel {
  hv: Hypervisor;
  vm: Vm;
}

export function bootKernel(o: KernelOptions): GuestKernel {
  const maxModules = ksym('MAX_MODULES');
  if (o.programs.length === 0) throw new KernelBuildError('no program to run');
  if (o.programs.length > maxModules) throw new KernelBuildError(`at most ${maxModules} programs`);
  if (o.pvspin && o.locks === 'ticket') throw new KernelBuildError('paravirtual spinlocks are implemented for ttas and queued locks only');
  if (o.vcpus > ksym('MAX_CPUS')) throw new KernelBuildError(`the kernel supports at most ${ksym('MAX_CPUS')} VCPUs`);
  checkMemory(o.memory ?? 4 << 20);
  const g = o.competitorGuest;
  const pinned = o.competitor || g ? Array.from({ length: o.vcpus }, (_, i) => i % o.pcpus) : undefined;
  const others = o.competitor || g ? (o.competitorOn ?? Array.from({ length: o.pcpus }, (_, i) => i)) : [];
  const cfg: MachineConfig = {
    ...defaultMachine(), pcpus: o.pcpus, seed: o.seed ?? DEFAULTS.seed, time: o.time,
    quantum: o.quantum ?? DEFAULTS.quantum, slice: o.slice ?? DEFAULTS.slice, preemption: o.preemption ?? DEFAULTS.preemption, ...(o.policy ? { policy: o.policy } : {}), ...(o.engine ? { engine: o.engine } : {}),
    ...(o.sliceJitter !== undefined ? { sliceJitter: o.sliceJitter } : {}), ...(o.slicePhase !== undefined ? { slicePhase: o.slicePhase } : {}),
    ...(o.delayBound !== undefined ? { delayBound: o.delayBound } : {}), ...(o.safePointWindow !== undefined ? { safePointWindow: o.safePointWindow } : {}),
    vms: [
      { name: 'guest', images: [], memory: o.memory ?? 4 << 20, vcpus: o.vcpus, weight: DEFAULTS.vm.weight, pin: pinned, net: o.net },
      ...competitorVms(o, others),
    ],
  };
  const setups = [{ images: [kernel()] }, ...cfg.vms.slice(1).map(() => ({ images: [g ? kernel() : o.competitor!] }))];
  // With competitors the run ends with the guest (they never stop by themselves).
  const hv = new Hypervisor(cfg, setups, { prefixConsole: false, stopWithVm: o.competitor || g ? 0 : undefined, ...o.machine });
  const vm = hv.vms[0]!;
  placeModules(vm.mem, o.programs, o.names ?? o.programs.map((_, i) => `prog${i}`));
  writeBootOptions(vm.mem, o);
  for (const c of g ? hv.vms.slice(1) : []) {
    placeModules(c.mem, g!.programs, g!.names ?? g!.programs.map((_, i) => `prog${i}`));
    writeBootOptions(c.mem, { vcpus: c.vcpus.length, pcpus: o.pcpus, programs: g!.programs, locks: o.locks, hints: o.hints, pvspin: o.pvspin, preemptCheck: o.preemptCheck });
  }
  return { hv, vm };
}

/** The competing VMs' configurations: bare images or kernels, one per PCPU in `on`, or one SMP kernel over them. */
function competitorVms(o: KernelOptions, on: readonly number[]): MachineConfig['vms'] {
  const w = (i: number): number => o.competitorWeights?.[i] ?? DEFAULTS.vm.weight;
  const g = o.competitorGuest;
  if (g?.smp) {
    const memory = g.memory ?? 2 << 20;
    checkMemory(memory);
    return [{ name: 'rival', images: [], memory, vcpus: on.length, weight: on.reduce((n, _, i) => n + w(i), 0), pin: [...on] }];
  }
  if (g) checkMemory(g.memory ?? 2 << 20);
  return on.map((p, i) => ({ name: `${g ? 'hog' : 'busy'}${p}`, images: [], memory: g ? (g.memory ?? 2 << 20) : 64 << 10, vcpus: 1, weight: w(i), pin: [p] }));
}

/** The kernel image and its data sit below MODULE_AREA, the programs above it: less memory cannot boot. */
function checkMemory(memory: number): void {
  const need = ksym('MODULE_AREA') + PAGE_SIZE;
  if (memory < need) {
    throw new KernelBuildError(`the guest kernel needs at least ${need >> 10} KiB of memory (its image below ${ksym('MODULE_AREA') >> 10} KiB, the programs above); ${memory >> 10} KiB given`);
  }
}

function placeModules(mem: GuestMemory, programs: readonly Image[], names: readonly string[]): void {
  let cursor = ksym('MODULE_AREA');
  if (ksym('kernel_end') - KERNEL_BASE > cursor) throw new KernelBuildError('the kernel image overlaps the module area');
  const size = ksym('M_SIZE');
  programs.forEach((img, i) => {
    const d = pa('modules') + i * size;
    const segs = img.segments.filter((s) => s.data.length > 0);
    if (segs.length > ksym('MOD_SEGS')) throw new KernelBuildError(`${names[i]}: more than ${ksym('MOD_SEGS')} segments`);
    mem.writeWord(d + ksym('M_ENTRY'), img.entry);
    mem.writeWord(d + ksym('M_NSEGS'), segs.length);
    // Latin1 bytes without Buffer, so the loader also runs in the browser playground.
    const name = Uint8Array.from(basename(names[i]!).slice(0, 15), (c) => c.charCodeAt(0) & 0xff);
    mem.load(d + ksym('M_NAME'), name);
    segs.forEach((seg, j) => {
      const va = seg.vaddr >>> 0;
      if (va >= KERNEL_BASE || va % PAGE_SIZE !== 0) {
        throw new KernelBuildError(`${names[i]}: segment ${seg.name} at 0x${va.toString(16)} must be page-aligned user memory (start user programs with .org 0x00400000)`);
      }
      const len = Math.ceil(seg.data.length / PAGE_SIZE) * PAGE_SIZE;
      if (cursor + len > mem.size) throw new KernelBuildError('the programs do not fit in the VM\'s memory');
      mem.load(cursor, seg.data);
      const s = d + ksym('M_SEGS') + j * ksym('MS_SIZE');
      mem.writeWord(s + ksym('MS_VA'), va);
      mem.writeWord(s + ksym('MS_PA'), cursor);
      mem.writeWord(s + ksym('MS_LEN'), len);
      mem.writeWord(s + ksym('MS_FLAGS'), seg.name === '.text' ? PTE.R | PTE.X : PTE.R | PTE.W);
      cursor += len;
    });
  });
  mem.writeWord(pa('modules_end'), (KERNEL_BASE + cursor) | 0);
}

function writeBootOptions(mem: GuestMemory, o: KernelOptions): void {
  const bo = pa('bootopts');
  const set = (field: string, v: number | undefined): void => { if (v !== undefined) mem.writeWord(bo + ksym(field), v); };
  set('BO_LOCK_KIND', o.locks === undefined ? undefined : ksym({ ttas: 'LOCK_TTAS', ticket: 'LOCK_TICKET', queued: 'LOCK_QUEUED' }[o.locks]));
  set('BO_PV_SPINS', o.pvSpins ?? (o.locks === 'queued' ? QSPIN_THRESHOLD : undefined));
  set('BO_HINTS', o.hints === undefined ? undefined : Number(o.hints));
  set('BO_DEBUG_LOCKS', o.debugLocks === undefined ? undefined : Number(o.debugLocks));
  set('BO_PVSPIN', o.pvspin === undefined ? undefined : Number(o.pvspin));
  set('BO_PREEMPT_CHECK', o.preemptCheck === undefined ? undefined : Number(o.preemptCheck));
  set('BO_MUTEX', o.mutex === undefined ? undefined : Number(o.mutex));
  set('BO_STEAL_BALANCE', o.stealBalance === undefined ? undefined : Number(o.stealBalance));
  set('BO_NET', o.net === undefined ? undefined : 1);
  set('BO_TICK', o.tick);
  set('BO_SLICE_TICKS', o.sliceTicks);
  set('BO_BALANCE_TICKS', o.balanceTicks);
  set('BO_BALANCE_THRESHOLD', o.balanceThreshold);
  set('BO_NMODULES', o.programs.length);
  set('BO_NINIT', o.programs.length);
  o.programs.forEach((_, i) => mem.writeWord(bo + ksym('BO_INIT') + 4 * i, i)); // module i, argument 0
}

// ---- what the kernel measured ---------------------------------------------------

export interface CpuStats {
  cpu: number;
  ticks: number;
  switches: number;
  threadsRun: number;
  migrations: number;
  balances: number;
  hintYields: number;
  pvWaits: number;
  preemptYields: number;
  /** pv-qspinlock: halts before the spin threshold behind a halted or preempted predecessor; kicks sent; halted heads hashed. */
  pvEarly: number;
  pvKicks: number;
  pvHashed: number;
  /** Steal balancing: running threads this CPU pushed to a faster idle CPU (72-steal.s). */
  activeMigrations: number;
}

export interface LockClassStats {
  name: string;
  locks: number;
  acquisitions: number;
  contended: number;
  holdCycles: number;
  /** Cycles waiters were busy spinning. */
  spinCycles: number;
  /** Cycles waiters were blocked in HC_PV_WAIT instead (pv spinlocks). */
  pvWaitCycles: number;
  /** Wall-clock cycles waiters waited (first try to acquisition), their own time off the PCPU and blocked time included. */
  waitCycles: number;
}

export interface KernelStats {
  cpus: CpuStats[];
  locks: LockClassStats[];
  counter: number;
  /** Responses the kernel's network stack completed (SYS_CLOSE), and their bytes. */
  served: { requests: number; bytes: number };
  /** Processes that have not exited (the kernel shuts down when this reaches 0). */
  liveProcs: number;
  /** The request-accounting mutex (used with KernelOptions.mutex). */
  acctMutex: MutexStats;
}

/** What a guest mutex counted (34-mutex.s, MX_*). */
export interface MutexStats {
  acquisitions: number;
  /** Taken by optimistic spinning on a running owner. */
  spun: number;
  sleeps: number;
  /** Spinning stopped because the owner's VCPU was preempted (vcpu_is_preempted), or the owner was not running. */
  stopPreempted: number;
  stopOffCpu: number;
  /** Spinners that left the spinner queue (osq): the predecessor's VCPU preempted, or a reschedule due. */
  osqLeft: number;
}

function cstring(mem: GuestMemory, addr: number): string {
  let s = '';
  for (let a = addr - KERNEL_BASE; a < mem.size; a++) {
    const c = mem.u8[mem.base + a]!;
    if (c === 0) break;
    s += String.fromCharCode(c);
  }
  return s;
}

export function kernelStats(vm: Vm): KernelStats {
  const mem = vm.mem;
  const w = (a: number): number => mem.readWord(a) >>> 0;
  const cpus = vm.vcpus.map((_, cpu): CpuStats => {
    const c = pa('percpu') + cpu * ksym('C_SIZE');
    return {
      cpu, ticks: w(c + ksym('C_TICKS')), switches: w(c + ksym('C_SWITCHES')), threadsRun: w(c + ksym('C_THREADS_RUN')),
      migrations: w(c + ksym('C_MIGRATIONS')), balances: w(c + ksym('C_BALANCES')), hintYields: w(c + ksym('C_HINT_YIELDS')),
      pvWaits: w(c + ksym('C_PV_WAITS')), preemptYields: w(c + ksym('C_PREEMPT_YIELDS')),
      pvEarly: w(c + ksym('C_PV_EARLY')), pvKicks: w(c + ksym('C_PV_KICKS')), pvHashed: w(c + ksym('C_PV_HASHED')),
      activeMigrations: w(c + ksym('C_ACTIVE_MIGRATIONS')),
    };
  });
  const byName = new Map<string, LockClassStats>();
  for (let i = 0; i < w(pa('lock_count')); i++) {
    const l = pa('locks') + i * ksym('L_SIZE');
    const name = cstring(mem, w(l + ksym('L_NAME')));
    const c = byName.get(name) ?? { name, locks: 0, acquisitions: 0, contended: 0, holdCycles: 0, spinCycles: 0, pvWaitCycles: 0, waitCycles: 0 };
    const word64 = (off: string): number => w(l + ksym(off)) + w(l + ksym(off) + 4) * 2 ** 32;
    c.locks++;
    c.acquisitions += w(l + ksym('L_ACQ'));
    c.contended += w(l + ksym('L_CONTENDED'));
    c.holdCycles += word64('L_HOLD');
    c.pvWaitCycles += word64('L_PVWAIT');
    c.spinCycles += word64('L_SPIN') - word64('L_PVWAIT'); // L_SPIN counts all the waiting
    c.waitCycles += word64('L_WAITW');
    byName.set(name, c);
  }
  const acct = pa('acct');
  const served = { requests: w(acct + ksym('A_REQUESTS')), bytes: w(acct + ksym('A_BYTES')) + w(acct + ksym('A_BYTES') + 4) * 2 ** 32 };
  const mx = pa('acct_mutex');
  const acctMutex: MutexStats = {
    acquisitions: w(mx + ksym('MX_ACQ')), spun: w(mx + ksym('MX_SPUN')), sleeps: w(mx + ksym('MX_SLEEPS')),
    stopPreempted: w(mx + ksym('MX_STOP_PREEMPTED')), stopOffCpu: w(mx + ksym('MX_STOP_OFFCPU')), osqLeft: w(mx + ksym('MX_OSQ_LEFT')),
  };
  return { cpus, locks: [...byName.values()], counter: w(pa('counter')), served, liveProcs: w(pa('live_procs')), acctMutex };
}
export { ROOT, rootPath } from './root.ts';
