/**
 * Statistics of a run (`--stats`): collectStats gathers a plain JSON-able
 * object from a MachineView, formatStatsText prints it gem5 style
 * (`name value # description`, one stat a line, between Begin/End markers).
 * Only simulated figures: the same configuration and seed give the same
 * file byte for byte. Host measurements (wall-clock time, MIPS) vary run to
 * run and stay out of it: the summary line on stderr (report.ts) carries them.
 *
 * Accounting: every VCPU is in exactly one state at every cycle, so its
 * running + runnable + blocked + offline + stopped cycles equal the virtual
 * time elapsed; every PCPU is busy or idle, so busy + idle does too. Both up
 * to the last instruction's overshoot: a PCPU may run a few cycles past the
 * end of the run, and elapsed() is the furthest PCPU clock.
 *
 * Fairness: `share` is the fraction of the machine's PCPU time
 * (pcpus × elapsed cycles) a VM received; `entitled` is the fraction its
 * weight entitles it to, by water-filling (see entitlements()). Entitlement
 * assumes every VCPU is always runnable for the whole run: a VM that blocks,
 * or stops early, receives less than its entitlement by its own choice, not
 * because the scheduler was unfair. Compare share with entitled only for VMs
 * that compute all the time.
 */
import { CLOCK_HZ } from '../../isa/clock.ts';
import type { MachineView } from '../view.ts';
import type { Pcpu } from '../pcpu.ts';
import { VS, type Vcpu } from '../vcpu.ts';
import type { Vm, VmFault } from '../vm.ts';
import { coRunSummary, type CoRunSummary } from './corun.ts';

export interface MachineSummary {
  pcpus: number;
  slice: number;
  quantum: number;
  seed: number;
  policy: string;
  preemption: string;
  /** What the preemption strategy did: slice ends delayed and the cycles added, pause-loop exits, directed yields. */
  preemptionCounters: Readonly<Record<string, number>>;
  /** Virtual time elapsed, in cycles (hv.elapsed()). */
  cycles: number;
  /** The same in seconds of virtual time. */
  seconds: number;
  instructions: number;
  /** Why the run stopped, or null if it has not run. */
  stopReason: string | null;
}

export interface PcpuStats {
  id: number;
  busy: number;
  idle: number;
  switches: number;
  /** busy / elapsed cycles. */
  utilization: number;
}

/** Cycles per state, counters: one VCPU. */
export interface VcpuStats {
  index: number;
  name: string;
  running: number;
  /** Runnable but not running: steal time. */
  runnable: number;
  blocked: number;
  offline: number;
  stopped: number;
  preemptions: number;
  /** Preemptions while the guest held a spinlock (INFO_LOCK_COUNT nonzero). */
  lockHolderPreemptions: number;
  /** Preemptions while the guest spun for a spinlock (INFO_LOCK_WAIT nonzero). */
  lockWaiterPreemptions: number;
  migrations: number;
  yields: number;
  wakeups: number;
  switches: number;
  hypercalls: number;
  irqs: number;
  instructions: number;
}

export interface VmStats {
  id: number;
  name: string;
  state: string;
  exitCode: number;
  fault?: VmFault;
  weight: number;
  /** Percent of one PCPU, or null when uncapped. */
  cap: number | null;
  /** Cycles its VCPUs ran, in all. */
  received: number;
  /** received / (pcpus × elapsed). */
  share: number;
  /** Its water-filled entitlement, as a fraction of pcpus × elapsed. */
  entitled: number;
  /** Device counters (Device.stats()). */
  console: Record<string, number>;
  timer: Record<string, number>;
  /** The network device's counters (NetStats, plus its digest), when the VM has one. */
  net?: Record<string, number>;
  debugMarks: number;
  /** How many of its VCPUs ran at once, against independent phases (VMs of 2 or more VCPUs; observe/corun.ts). */
  corun?: CoRunSummary;
  vcpus: VcpuStats[];
}

export interface MachineStats {
  machine: MachineSummary;
  pcpus: PcpuStats[];
  vms: VmStats[];
}

/**
 * Proportional-share water-filling: split `capacity` between VMs in
 * proportion to their weights, but give none more than its `max` (what it
 * could use); what a saturated VM cannot use goes to the others, again by
 * weight. Returns each VM's amount, in the units of capacity. The total is
 * min(capacity, Σ max): capacity nobody can use stays unassigned.
 */
export function entitlements(vms: readonly { weight: number; max: number }[], capacity: number): number[] {
  const out = vms.map(() => 0);
  let active = vms.map((_, i) => i).filter((i) => vms[i].weight > 0 && vms[i].max > 0);
  let left = Math.max(0, capacity);
  while (active.length > 0 && left > 0) {
    const total = active.reduce((s, i) => s + vms[i].weight, 0);
    const fair = (i: number): number => (left * vms[i].weight) / total;
    // Everyone whose max is below its fair share at this level saturates; raising
    // the level for the rest can only saturate more, never fewer.
    const full = active.filter((i) => vms[i].max <= fair(i));
    if (full.length === 0) {
      for (const i of active) out[i] = fair(i);
      break;
    }
    for (const i of full) { out[i] = vms[i].max; left -= vms[i].max; }
    active = active.filter((i) => !full.includes(i));
  }
  return out;
}

const ratio = (a: number, b: number): number => (b > 0 ? a / b : 0);

/** The most a VM could use of `elapsed` cycles: all its VCPUs, at most its cap. */
function usable(vm: Vm, elapsed: number): number {
  const cpus = vm.config.cap === undefined ? vm.vcpus.length : Math.min(vm.vcpus.length, vm.config.cap / 100);
  return cpus * elapsed;
}

/**
 * v's clock: the round boundary or, past it, the clock of its PCPU. The
 * machine closes every span at this time at the end of run(), so afterwards
 * the open span is empty; before that (a tracer's end(), a mid-run look) it
 * counts. Not elapsed(): padding to the furthest PCPU would credit v with
 * another PCPU's overshoot.
 */
function vcpuNow(hv: MachineView, v: Vcpu): number {
  return Math.max(hv.time, hv.pcpus[v.pcpu]?.time ?? 0);
}

function vcpuStats(v: Vcpu, now: number): VcpuStats {
  return {
    index: v.index, name: v.name,
    running: v.timeIn(VS.RUNNING, now), runnable: v.timeIn(VS.RUNNABLE, now), blocked: v.timeIn(VS.BLOCKED, now),
    offline: v.timeIn(VS.OFFLINE, now), stopped: v.timeIn(VS.STOPPED, now),
    preemptions: v.preemptions, lockHolderPreemptions: v.lockHolderPreemptions, lockWaiterPreemptions: v.lockWaiterPreemptions,
    migrations: v.migrations, yields: v.yields, wakeups: v.wakeups,
    switches: v.switches, hypercalls: v.hypercalls, irqs: v.irqs, instructions: v.cpu.instret,
  };
}

function pcpuStats(p: Pcpu, elapsed: number): PcpuStats {
  return { id: p.id, busy: p.busy, idle: p.idle, switches: p.switches, utilization: ratio(p.busy, elapsed) };
}

function vmStats(hv: MachineView, vm: Vm, machineTime: number, entitled: number): VmStats {
  const vcpus = vm.vcpus.map((v) => vcpuStats(v, vcpuNow(hv, v)));
  const received = vcpus.reduce((s, v) => s + v.running, 0);
  return {
    id: vm.id, name: vm.name, state: vm.state, exitCode: vm.exitCode, ...(vm.fault ? { fault: { ...vm.fault } } : {}),
    weight: vm.weight, cap: vm.config.cap ?? null, received, share: ratio(received, machineTime),
    entitled: ratio(entitled, machineTime), console: vm.console.stats(), timer: vm.timer.stats(),
    ...(vm.net ? { net: { ...vm.net.stats(), digest: vm.net.digest } } : {}),
    debugMarks: vm.debugMarks,
    ...(vm.vcpus.length > 1 ? { corun: coRunSummary(hv.corun.histogram(vm), vm.vcpus.map((v) => v.timeIn(VS.RUNNING, hv.time))) } : {}),
    vcpus,
  };
}

export function collectStats(hv: MachineView): MachineStats {
  const elapsed = hv.elapsed();
  const c = hv.config;
  const machineTime = c.pcpus * elapsed;
  const ent = entitlements(hv.vms.map((vm) => ({ weight: vm.weight, max: usable(vm, elapsed) })), machineTime);
  return {
    machine: {
      pcpus: c.pcpus, slice: c.slice, quantum: c.quantum, seed: c.seed, policy: c.policy, preemption: c.preemption,
      preemptionCounters: hv.preemption.counters(),
      cycles: elapsed, seconds: elapsed / CLOCK_HZ, instructions: hv.instructions,
      stopReason: hv.stopReason ?? null,
    },
    pcpus: hv.pcpus.map((p) => pcpuStats(p, elapsed)),
    vms: hv.vms.map((vm, i) => vmStats(hv, vm, machineTime, ent[i])),
  };
}

// ---- text ------------------------------------------------------------------

type Line = [name: string, value: number | string, description: string];

export const STATS_BEGIN = '---------- Begin Simulation Statistics ----------';
export const STATS_END = '---------- End Simulation Statistics ----------';

const PREEMPTION_COUNTERS: Readonly<Record<string, string>> = {
  delayed: 'Slice ends the strategy delayed (intrusive: extensions; non-intrusive: deferrals)',
  expired: 'Delays that ran out before the VCPU yielded or left kernel mode',
  delayCycles: 'Cycles the delays added, from each slice end to what ended the delay',
  pleExits: 'Pause-loop exits: VCPUs found spinning',
  directedYields: 'Pause-loop exits that yielded to a preempted sibling',
};

function machineLines(m: MachineSummary): Line[] {
  return [
    ['sim.cycles', m.cycles, 'Virtual time simulated (cycles)'],
    ['sim.seconds', m.seconds, `Virtual time simulated (seconds at ${CLOCK_HZ / 1e6} MHz)`],
    ['sim.instructions', m.instructions, 'Guest instructions executed, all VCPUs'],
    ['sim.stopReason', m.stopReason ?? 'none', 'Why the run stopped'],
    ['sim.pcpus', m.pcpus, 'Simulated physical CPUs'],
    ['sim.slice', m.slice, 'Hypervisor time slice (cycles)'],
    ['sim.quantum', m.quantum, 'Simulation quantum (cycles)'],
    ['sim.seed', m.seed, 'Seed of the interleaving'],
    ['sim.policy', m.policy, 'Scheduling policy'],
    ['sim.preemption', m.preemption, 'Preemption strategy'],
    ...Object.entries(m.preemptionCounters).map(([k, v]): Line => [`sim.preemption.${k}`, v, PREEMPTION_COUNTERS[k] ?? 'Preemption strategy counter']),
  ];
}

function pcpuLines(p: PcpuStats): Line[] {
  const n = `pcpu${p.id}`;
  return [
    [`${n}.busyCycles`, p.busy, 'Cycles running a VCPU'],
    [`${n}.idleCycles`, p.idle, 'Cycles with nothing to run'],
    [`${n}.utilization`, p.utilization, 'busyCycles / sim.cycles'],
    [`${n}.switches`, p.switches, 'VCPUs dispatched'],
  ];
}

function vcpuLines(vm: string, v: VcpuStats): Line[] {
  const n = `${vm}.vcpu${v.index}`;
  return [
    [`${n}.runningCycles`, v.running, 'Cycles running on a PCPU'],
    [`${n}.runnableCycles`, v.runnable, 'Cycles runnable but waiting for a PCPU (steal time)'],
    [`${n}.blockedCycles`, v.blocked, 'Cycles blocked (wfi, BLOCK, IPC)'],
    [`${n}.offlineCycles`, v.offline, 'Cycles before it was started'],
    [`${n}.stoppedCycles`, v.stopped, 'Cycles after its VM stopped'],
    [`${n}.preemptions`, v.preemptions, 'Times the PCPU was taken away while runnable'],
    [`${n}.lockHolderPreemptions`, v.lockHolderPreemptions, 'Preemptions while the guest held a spinlock (INFO_LOCK_COUNT > 0)'],
    [`${n}.lockWaiterPreemptions`, v.lockWaiterPreemptions, 'Preemptions while the guest spun for a spinlock (INFO_LOCK_WAIT != 0)'],
    [`${n}.migrations`, v.migrations, 'Dispatches on another PCPU than the last one'],
    [`${n}.yields`, v.yields, 'HC_YIELD calls'],
    [`${n}.wakeups`, v.wakeups, 'Wake-ups from blocked'],
    [`${n}.switches`, v.switches, 'Times dispatched'],
    [`${n}.hypercalls`, v.hypercalls, 'Hypercalls made'],
    [`${n}.irqs`, v.irqs, 'Interrupts raised on it'],
    [`${n}.instructions`, v.instructions, 'Instructions executed'],
  ];
}

function deviceLines(n: string, device: string, stats: Record<string, number>): Line[] {
  return Object.entries(stats).map(([k, v]): Line => [`${n}.${device}.${k}`, v, `${device} device: ${k}`]);
}

function vmLines(vm: VmStats): Line[] {
  const n = `vm${vm.id}`;
  const lines: Line[] = [
    [`${n}.name`, vm.name, 'Name of the VM'],
    [`${n}.state`, vm.state, 'How it ended (running: it had not)'],
    [`${n}.exitCode`, vm.exitCode, 'Exit code (HC_SHUTDOWN)'],
    [`${n}.weight`, vm.weight, 'Proportional-share weight'],
    [`${n}.cap`, vm.cap ?? 'none', 'Cap (percent of one PCPU)'],
    [`${n}.receivedCycles`, vm.received, 'Cycles its VCPUs ran'],
    [`${n}.share`, vm.share, 'Fraction of all PCPU time received'],
    [`${n}.entitled`, vm.entitled, 'Fraction of all PCPU time its weight entitles it to (always runnable)'],
    [`${n}.debugMarks`, vm.debugMarks, 'HC_DEBUG_MARK calls'],
  ];
  if (vm.fault) {
    lines.push([`${n}.fault.vcpu`, vm.fault.vcpu, 'VCPU that faulted'],
      [`${n}.fault.cause`, vm.fault.cause, 'Fault cause'],
      [`${n}.fault.pc`, `0x${vm.fault.pc.toString(16)}`, 'Fault pc'],
      [`${n}.fault.addr`, `0x${vm.fault.addr.toString(16)}`, 'Fault address'],
    );
  }
  vm.corun?.observed.forEach((f, k) => lines.push([`${n}.corun.${k}`, f, `Fraction of the run with ${k} of its VCPUs running at once (independent phases: ${vm.corun!.independent[k]!.toFixed(3)})`]));
  if (vm.corun) lines.push([`${n}.corun.tv`, vm.corun.tv, 'Total-variation distance of that distribution from independent phases (0: independent; near 1: lockstep)']);
  return [...lines, ...deviceLines(n, 'console', vm.console), ...deviceLines(n, 'timer', vm.timer),
    ...(vm.net ? deviceLines(n, 'net', vm.net) : []),
    ...vm.vcpus.flatMap((v) => vcpuLines(n, v))];
}

/** A value as one token: integers plain, fractions to 6 places, strings without blanks. */
function formatValue(v: number | string): string {
  if (typeof v === 'string') return v === '' ? '-' : v.replace(/\s+/g, '_');
  return Number.isInteger(v) ? String(v) : v.toFixed(6);
}

/** gem5's stats.txt layout: names and values in aligned columns, then `# description`. */
export function formatStatsText(s: MachineStats): string {
  const lines = [...machineLines(s.machine), ...s.pcpus.flatMap(pcpuLines), ...s.vms.flatMap(vmLines)];
  const values = lines.map(([, v]) => formatValue(v));
  const nameWidth = Math.max(40, ...lines.map(([n]) => n.length + 2));
  const valueWidth = Math.max(16, ...values.map((v) => v.length + 2));
  const body = lines.map(([n, , d], i) => `${n.padEnd(nameWidth)}${values[i].padEnd(valueWidth)}# ${d}`);
  return [STATS_BEGIN, ...body, STATS_END, ''].join('\n');
}
