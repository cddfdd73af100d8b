/**
 * Every configuration field, declared once: its kind (range, unit), default,
 * meaning, and the command-line flag or --vm key that sets it. The JSON
 * parser, the --vm parser, the flag merger, the validator, docs/config.md
 * and the JSON Schema (docs/config.schema.json) all derive from these tables.
 */
import { CYCLES_PER_MS, CYCLES_PER_US } from '../../isa/clock.ts';
import { MAX_VCPUS } from '../../isa/hypercalls.ts';
import { DEFAULT_MEMORY_BYTES } from '../../isa/memory.ts';
import { NET_DEFAULT_FILES, NET_MAX_CLIENTS, NET_MAX_FILES } from '../../isa/net.ts';
import { DEFAULT_ENGINE, ENGINES } from '../cpu/index.ts';
import { choice, duration, entry, int, memorySize, paths, percent, pin, text, type Kind } from './kinds.ts';

/** Largest number of PCPUs a machine may have. */
export const MAX_PCPUS = 1024;
/** Largest number of VMs in one machine. */
export const MAX_VMS = 4096;
/** Largest weight of one VM. */
export const MAX_WEIGHT = 65535;
/** Largest seed (seeds are 32-bit). */
export const MAX_SEED = 0xffff_ffff;
/** Largest total guest memory of all VMs together (one host buffer holds them all): 1.5 GiB. */
export const MAX_TOTAL_MEMORY = 3 * 512 * 1024 * 1024;

/** Scheduling policies (their implementations: POLICIES in hypervisor/sched/registry.ts). */
export const POLICY_NAMES = ['stride', 'gang', 'relaxed-cosched'] as const;
export type PolicyName = (typeof POLICY_NAMES)[number];
/** Slice-end strategies (their implementations: PREEMPTION_STRATEGIES in hypervisor/sched/preemption.ts). */
export const PREEMPTION_NAMES = ['none', 'intrusive', 'nonintrusive', 'ple', 'xen-ple'] as const;
export type PreemptionName = (typeof PREEMPTION_NAMES)[number];

export interface Field<T> {
  readonly kind: Kind<T>;
  /** The default value, or undefined for none. */
  readonly default?: T;
  /** The default as the docs show it, when the value alone would not say it ("required", "the image's entry"). */
  readonly shown?: string;
  readonly doc: string;
  /** The `paravm run` flag that sets it (without the dashes). */
  readonly flag?: string;
  /** What the flag's argument looks like in usage text. */
  readonly arg?: string;
  /** The key of a `--vm IMAGE,key=value` spec that sets it. */
  readonly spec?: string;
}

/** The machine's fields (every MachineConfig field but `vms`), in the order the docs list them. */
export const MACHINE_FIELDS = {
  pcpus: { kind: int(1, MAX_PCPUS), default: 1, flag: 'pcpus', arg: 'N', doc: 'Simulated physical CPUs.' },
  slice: {
    kind: duration(1), default: 10 * CYCLES_PER_MS, flag: 'slice', arg: 'T',
    doc: 'Hypervisor time slice: how long a VCPU runs before the scheduler picks again.',
  },
  sliceJitter: {
    kind: duration(0), default: 4 * CYCLES_PER_MS, flag: 'slice-jitter', arg: 'T', shown: '`4ms`, ≤ `slice`',
    doc: 'Spread of each slice\'s length: a slice lasts `slice` ± half of this, uniformly, drawn per PCPU from the seed (hypervisor/sched/slice.ts). Real PCPUs do not switch in lockstep: a slice end waits for the next scheduler tick (Linux CFS notices an expired slice in `check_preempt_tick`, kernel/sched/fair.c, once per tick) and timer and interrupt noise move it. The default is one tick at Linux\'s default `HZ=250` (kernel/Kconfig.hz); the LHP experiment sweeps it. At most `slice` (a shorter slice takes the default as its own length). `0` = exact slices.',
  },
  slicePhase: {
    kind: duration(0), flag: 'slice-phase', arg: 'T', shown: 'seeded',
    doc: 'Offset between consecutive PCPUs\' first slice ends, for controlled experiments: PCPU i\'s first slice lasts `slice` − (i × this mod `slice`), so `0` starts every PCPU in lockstep. Absent = each PCPU\'s first slice has a seeded length in [`slice`/2, `slice`].',
  },
  delayBound: {
    kind: duration(1), default: 2 * CYCLES_PER_MS, flag: 'delay-bound', arg: 'T',
    doc: 'Longest slice extension of the `intrusive` strategy (`DELAY` in hypervisor/sched/preemption.ts: L4Ka\'s delayed preemption, 2 ms against a 10 ms slice). The LHP experiment sweeps it.',
  },
  safePointWindow: {
    kind: duration(1), default: 2 * CYCLES_PER_MS, flag: 'safe-point-window', arg: 'T',
    doc: 'Longest deferral of a slice end by the `nonintrusive` strategy while the VCPU is in kernel mode (`WINDOW` in hypervisor/sched/preemption.ts). The LHP experiment sweeps it.',
  },
  quantum: {
    kind: duration(1), default: 5 * CYCLES_PER_US, flag: 'quantum', arg: 'T', shown: '`5us`, ≤ `slice`',
    doc: 'Simulation quantum: how long one PCPU runs before the next PCPU is interleaved. Smaller is more faithful to true parallelism and slower to simulate.',
  },
  seed: {
    kind: int(0, MAX_SEED), default: 1, flag: 'seed', arg: 'N',
    doc: 'Seed of every random choice the simulation makes (the interleaving order). The same configuration and seed give the same run.',
  },
  time: { kind: duration(1), flag: 'time', arg: 'T', doc: 'Virtual time to run; absent = until every VM has stopped.' },
  policy: {
    kind: choice(POLICY_NAMES, 'scheduling policy'), default: 'stride' as PolicyName, flag: 'policy', arg: 'P',
    doc: 'Scheduling policy (`POLICIES` in `hypervisor/sched/registry.ts`).',
  },
  preemption: {
    kind: choice(PREEMPTION_NAMES, 'preemption strategy'), default: 'none' as PreemptionName, flag: 'preemption', arg: 'S',
    doc: 'What happens at slice end (`PREEMPTION_STRATEGIES` in `hypervisor/sched/preemption.ts`); `none` preempts whatever the guest is doing. Lock-holder-preemption remedies plug in here.',
  },
  engine: {
    kind: choice(ENGINES, 'engine'), default: DEFAULT_ENGINE, flag: 'engine', arg: 'E',
    doc: 'How VCPUs execute: `interp`, the interpreter, or `jit`, the compiling tier in front of it (hypervisor/cpu/engine.ts). Every result is the same bit for bit; only the host\'s speed differs.',
  },
  capPeriod: {
    kind: duration(1), default: 30 * CYCLES_PER_MS,
    doc: 'Accounting period of caps: the window over which a VM\'s CPU use is measured against its `cap`.',
  },
} as const satisfies Record<string, Field<never> | Field<number> | Field<string>>;

/** A VM's fields, by JSON key (`image` and `modules` make VmConfig.images). */
export const VM_FIELDS = {
  name: { kind: text(), shown: '`vm<index>`', spec: 'name', doc: 'Label in reports and console output prefixes. Names must be unique.' },
  image: {
    kind: text('path'), shown: 'required',
    doc: 'The main image (`.img`, or `.s` assembled on the fly); its entry point starts VCPU 0. A relative path is relative to the directory of the configuration file, so a file in `programs/` can say `"image": "ipc-server.s"`.',
  },
  modules: { kind: paths(), shown: '`[]`', spec: 'image', doc: 'Extra images loaded at their own addresses, resolved like `image`. In a `--vm` spec, each `image=` adds one.' },
  memory: { kind: memorySize(), default: DEFAULT_MEMORY_BYTES, shown: '`1M`', flag: 'memory', arg: 'SIZE', spec: 'memory', doc: 'Guest-physical memory (multiple of 4096, at most 1 GiB). The `--memory` flag is the default of the VMs given on the command line.' },
  vcpus: {
    kind: int(1, MAX_VCPUS), default: 1, flag: 'vcpus', arg: 'N', spec: 'vcpus',
    doc: 'Virtual CPUs (`MAX_VCPUS`). VCPU 0 starts at the entry; the others wait for `HC_VCPU_START`. The `--vcpus` flag is the default of the VMs given on the command line.',
  },
  entry: {
    kind: entry(), shown: 'the image\'s entry', spec: 'entry',
    doc: 'Where VCPU 0 starts: a number, a string holding a hex (`"0x80000100"`) or decimal address, or the name of a symbol of the main image (`"_start"`).',
  },
  weight: {
    kind: int(1, MAX_WEIGHT), default: 256, spec: 'weight',
    doc: 'Proportional share: with enough demand, VMs get CPU time in the ratio of their weights (a VM of weight 512 gets twice the time of one of weight 256).',
  },
  cap: { kind: percent(), spec: 'cap', doc: 'Upper bound on the VM\'s CPU use in percent of one PCPU: 50 = half a PCPU, 200 = two whole PCPUs. Absent = no cap.' },
  pin: {
    kind: pin(MAX_PCPUS), spec: 'pin',
    doc: 'Per VCPU, the PCPU it must run on (`0..pcpus-1`), or `null` for any. At most `vcpus` entries; VCPUs beyond the end of the array are unpinned.',
  },
} as const;

/** The network device's fields (VmConfig.net), by JSON key; `think` is NetOptions.thinkUs. */
export const NET_FIELDS = {
  clients: { kind: int(1, NET_MAX_CLIENTS), default: 16, doc: 'Simulated clients, each with at most one request outstanding.' },
  think: {
    kind: duration(0), default: 0,
    doc: 'Mean of the exponential think time between a response and the client\'s next request; 0 = at once. Unlike the machine\'s durations, `0` (or `"0us"`) is allowed.',
  },
  files: { kind: int(1, NET_MAX_FILES), default: NET_DEFAULT_FILES, doc: 'Files in the file set.' },
  requests: { kind: int(1, Number.MAX_SAFE_INTEGER), doc: 'Requests per client: each client stops after that many responses. Absent = no limit.' },
  seed: { kind: int(0, MAX_SEED), shown: 'the machine `seed`', doc: 'Seed of the file set and of the clients\' request streams.' },
} as const;

/** The VM list: its length bound and the message for an empty one. */
export const VMS_FIELD = { doc: 'The guests, in order.', type: `array of VMs, 1..${MAX_VMS}` } as const;
