/**
 * Every command and flag of the `paravm` command line, declared once. The
 * parseArgs options, the usage text, per-command help and the README's CLI
 * reference (checked by a test) derive from this table; the machine flags of
 * `paravm run` come from the configuration's field table
 * (hypervisor/config/fields.ts), so their help is the field's own doc.
 */
import { CONFIG_FLAGS } from '../hypervisor/index.ts';

export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  readonly multiple?: boolean;
  /** The argument's placeholder in usage text (string flags). */
  readonly arg?: string;
  readonly help: string;
}

export interface CommandSpec {
  /** Positional arguments in the synopsis. */
  readonly args: string;
  /** One line for the command list. */
  readonly summary: string;
  /** More lines for `paravm help CMD`. */
  readonly details?: string;
  readonly flags: Readonly<Record<string, FlagSpec>>;
}

const ASM_FLAGS = {
  include: { type: 'string', short: 'I', multiple: true, arg: 'DIR', help: 'Search DIR for .include files (repeatable).' },
  define: { type: 'string', short: 'D', multiple: true, arg: 'NAME=VALUE', help: 'Define a symbol, 1 when no value is given (repeatable).' },
} as const satisfies Record<string, FlagSpec>;

/** How the assembler's diagnostics are written (asm, run, boot). */
const DIAGNOSTICS = {
  'diagnostics-format': { type: 'string', arg: 'text|json', help: 'Assembler diagnostics on stderr as text (default) or one JSON array.' },
} as const satisfies Record<string, FlagSpec>;

/** A file argument F may be - for stdout, wherever a file is written. */
const OUTPUTS = {
  trace: { type: 'string', arg: 'F', help: 'Write a Chrome Trace Event file (open it in ui.perfetto.dev; - for stdout).' },
  stats: { type: 'string', arg: 'F', help: 'Write the run\'s statistics as JSON (- for stdout).' },
  json: { type: 'boolean', help: 'The end-of-run summary as one JSON object on stderr instead of text.' },
} as const satisfies Record<string, FlagSpec>;

/** The machine flags of `paravm run`, one per configuration field that declares one. */
const CONFIG = Object.fromEntries(CONFIG_FLAGS.map((f) => [f.name, { type: 'string', arg: f.arg, help: f.doc }])) as
  Record<(typeof CONFIG_FLAGS)[number]['name'], { readonly type: 'string'; readonly arg: string; readonly help: string }>;

/** Where a machine comes from besides the FILE arguments (run and debug). */
const MACHINE_INPUTS = {
  config: { type: 'string', arg: 'F', help: 'Start from this JSON machine configuration (docs/config.md).' },
  vm: { type: 'string', multiple: true, arg: 'FILE[,key=value...]', help: 'A VM and its options (docs/config.md); repeatable.' },
} as const satisfies Record<string, FlagSpec>;

export const COMMANDS = {
  asm: {
    args: 'FILE...',
    summary: 'assemble FILEs (as one unit) into an image',
    flags: {
      ...ASM_FLAGS,
      ...DIAGNOSTICS,
      output: { type: 'string', short: 'o', arg: 'IMAGE', help: 'The image to write (default: the first FILE with .img; - for stdout).' },
      listing: { type: 'string', arg: 'F', help: 'Write a listing: addresses, bytes and source lines (- for stdout).' },
      symbols: { type: 'string', arg: 'F', help: 'Write the symbol table (- for stdout).' },
    },
  },
  disasm: { args: 'IMAGE', summary: 'disassemble an image, with its labels', flags: {} },
  run: {
    args: '[FILE...]',
    summary: 'run programs under the hypervisor, one VM per FILE or --vm',
    details: 'A .s file is assembled on the fly. One FILE alone is bare metal: one VCPU in kernel mode on one PCPU, no guest kernel.\n'
      + 'T: virtual time such as 10ms, 500us, 1000cycles; SIZE: 1M, 64K. The configuration format is in docs/config.md.',
    flags: {
      ...ASM_FLAGS,
      ...DIAGNOSTICS,
      ...MACHINE_INPUTS,
      ...CONFIG,
      ...OUTPUTS,
      'stats-text': { type: 'string', arg: 'F', help: 'Write the statistics as gem5-style text (- for stdout).' },
      regs: { type: 'boolean', help: 'Print the registers of every VCPU at the end.' },
      itrace: { type: 'boolean', help: 'Print one line per instruction executed (tagged with its VCPU when there are several).' },
      limit: { type: 'string', arg: 'N', help: 'Stop after N instructions (one VM, one VCPU); exit status 4.' },
    },
  },
  boot: {
    args: 'PROGRAM...',
    summary: 'boot the SMP guest kernel and run each PROGRAM as a process',
    details: 'Boots guest-kernel/ on N VCPUs over M PCPUs and runs each PROGRAM (see programs/kernel/) as a process;\n'
      + 'then prints a summary per VCPU and per lock class.',
    flags: {
      ...ASM_FLAGS,
      ...DIAGNOSTICS,
      vcpus: { type: 'string', arg: 'N', help: 'VCPUs of the guest (default 2).' },
      pcpus: { type: 'string', arg: 'M', help: 'PCPUs (default: as many as VCPUs).' },
      memory: { type: 'string', arg: 'SIZE', help: 'Guest memory (default 4M).' },
      seed: { type: 'string', arg: 'N', help: 'Seed of the interleaving (default 1).' },
      time: { type: 'string', arg: 'T', help: 'Stop after this much virtual time (default: when the kernel shuts down).' },
      locks: { type: 'string', arg: 'ttas|ticket|queued', help: 'The kernel\'s spinlock (default ttas; queued: Linux\'s MCS qspinlock).' },
      hints: { type: 'boolean', help: 'The kernel yields after its last lock when the hypervisor asks (intrusive remedy).' },
      'debug-locks': { type: 'boolean', help: 'Check lock ownership and order on every acquisition.' },
      tick: { type: 'string', arg: 'T', help: 'The kernel\'s timer tick (default 1ms).' },
      'slice-ticks': { type: 'string', arg: 'N', help: 'Ticks per thread time slice.' },
      'balance-ticks': { type: 'string', arg: 'N', help: 'Ticks between load-balancer runs.' },
      preemption: { type: 'string', arg: 'S', help: CONFIG.preemption.help },
      engine: { type: 'string', arg: 'E', help: CONFIG.engine.help },
      compete: { type: 'boolean', help: 'A CPU-bound VM on every PCPU; guest VCPUs pinned one per PCPU.' },
      pvspin: { type: 'boolean', help: 'Paravirtual spinlocks: with ttas Xen\'s 2008 byte lock, with queued Linux\'s pv-qspinlock (spin, then block in HC_PV_WAIT until kicked).' },
      'pv-spins': { type: 'string', arg: 'N', help: 'Spins before a paravirtual lock waiter blocks (default 1024 for ttas, 32768 = SPIN_THRESHOLD for queued).' },
      'preempt-check': { type: 'boolean', help: 'Spinners confer to a lock holder whose VCPU is preempted (POWER\'s H_CONFER, once per attempt).' },
      mutex: { type: 'boolean', help: 'Request accounting under a sleeping mutex that spins only on a running owner (vcpu_is_preempted as Linux uses it).' },
      'steal-balance': { type: 'boolean', help: 'The balancer weighs run queues by capacity from steal time.' },
      net: { type: 'boolean', help: 'The network device and its clients (programs/kernel/httpd.s serves them).' },
      ...OUTPUTS,
    },
  },
  debug: {
    args: '[FILE...]',
    summary: 'debug programs: breakpoints, watchpoints, stepping forwards and backwards',
    details: 'The machine is built as by run (or, with --boot, the guest kernel runs each FILE as a process, as boot does).\n'
      + 'Commands come from the terminal, or one per line from stdin when it is not one; \'help\' lists them.\n'
      + 'Going backwards restores the last snapshot before the target (one every 2^20 instructions) and replays from there: the machine is deterministic, so the replay is the run.',
    flags: {
      ...ASM_FLAGS,
      ...MACHINE_INPUTS,
      ...CONFIG,
      boot: { type: 'boolean', help: 'Debug the guest kernel running each FILE as a process (--vcpus, --pcpus, --memory, --seed apply).' },
    },
  },
  experiment: {
    args: 'lhp|balloon|steady | merge DIR...',
    summary: 'run an experiment sweep: table on stdout, results.json and SVG figures',
    details: 'lhp: the lock-holder-preemption sweep (web server, 2-4 CPUs, every strategy).\n'
      + 'balloon: the time-ballooning sweep.\n'
      + 'steady: time ballooning in steady state (a stream of jobs; throughput and fairness).\n'
      + 'merge DIR...: the shards\' outputs (--shard) into the sweep\'s table, results.json and figures.\n'
      + 'Runs go to worker threads; the output is the same for any --jobs and any sharding.',
    flags: {
      quick: { type: 'boolean', help: 'A short preset of the sweep (seconds instead of minutes).' },
      out: { type: 'string', arg: 'DIR', help: 'Output directory (default experiment-NAME).' },
      jobs: { type: 'string', arg: 'N', help: 'Worker threads (default: the available cores).' },
      shard: { type: 'string', arg: 'I/N', help: 'Run the I-th of N slices of the plan and write a partial (DIR/runs.json) for merge.' },
      resume: { type: 'boolean', help: 'Keep the runs already in DIR; run only the others.' },
      list: { type: 'boolean', help: 'Print the plan (runs and their parameters) without running it.' },
      sweep: { type: 'string', arg: 'F', help: 'Parameters from a JSON sweep file (axis values; "preset": "quick").' },
      cpus: { type: 'string', arg: 'LIST', help: 'CPU counts, such as 2,3,4 or 1-8.' },
      seeds: { type: 'string', arg: 'N|LIST', help: 'Seeds: N for 1..N, or a list such as 1,5,9 or 1-20.' },
      strategies: { type: 'string', arg: 'LIST', help: 'lhp: the remedies, such as native,none,intrusive.' },
      'duration-ms': { type: 'string', arg: 'MS', help: 'lhp: the measured window, ms of virtual time.' },
      'warmup-ms': { type: 'string', arg: 'MS', help: 'lhp: the warm-up before the window, ms of virtual time.' },
      competitor: { type: 'string', arg: 'KIND', help: 'lhp: what competes for each PCPU: guest (a kernel VM running a CPU-bound process, the default), smp (one SMP guest over all PCPUs) or bare (a bare-metal loop).' },
      sensitivity: { type: 'boolean', help: 'lhp: the sensitivity sweep instead: one figure per model parameter (share, over-commit, slice, jitter, user work, lock type, threads, clients, competitor, the remedies\' bound).' },
      'sensitivity-axes': { type: 'string', arg: 'LIST', help: 'lhp: the parameters --sensitivity moves, such as share,jitter.' },
      'sensitivity-seeds': { type: 'string', arg: 'N|LIST', help: 'lhp: seeds of each sensitivity point.' },
      'sensitivity-ms': { type: 'string', arg: 'MS', help: 'lhp: the measured window of the sensitivity runs.' },
      'job-counts': { type: 'string', arg: 'LIST', help: 'balloon: numbers of CPU-bound jobs, such as 3,6.' },
      work: { type: 'string', arg: 'N', help: 'balloon: work units per job.' },
      loads: { type: 'string', arg: 'LIST', help: 'steady: offered loads, % of the sum of the VCPUs\' shares, such as 90,120.' },
      engine: { type: 'string', arg: 'E', help: 'Execution engine of every run, interp or jit (recorded in the provenance; the results are the same).' },
    },
  },
  demo: { args: '', summary: 'what `npm start` runs: bare metal, two VMs, the SMP guest kernel', flags: {} },
  help: { args: '[COMMAND]', summary: 'this text, or a command\'s flags', flags: {} },
} as const satisfies Record<string, CommandSpec>;

export type CommandName = keyof typeof COMMANDS;

/** Flags every command takes. */
export const COMMON_FLAGS = {
  help: { type: 'boolean', short: 'h', help: 'Show the command\'s usage and exit.' },
} as const satisfies Record<string, FlagSpec>;

export function isCommand(name: string): name is CommandName {
  return Object.hasOwn(COMMANDS, name);
}
