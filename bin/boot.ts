/**
 * `paravm boot`: boot the SMP guest kernel (guest-kernel/) under the
 * hypervisor and run user programs as its processes; print the console and
 * a summary of what the kernel measured (per VCPU and per lock class).
 */
import { basename, join } from 'node:path';
import { ROOT, bootKernel, kernelStats, KernelBuildError, type GuestKernel, type KernelOptions, type KernelStats, LOCK_KINDS, type LockKind } from '../guest-kernel/loader/index.ts';
import { CLOCK_HZ, CYCLES_PER_MS, CYCLES_PER_US } from '../isa/clock.ts';
import type { Image } from '../isa/image.ts';
import {
  ConfigError, LoadError, MACHINE_FIELDS, parseDuration, parseSize, collectStats, formatFault, type Hypervisor, type Kind, type MachineConfig, type Vm,
} from '../hypervisor/index.ts';
import { UsageError, type FlagValues } from './args.ts';
import { EXIT } from './usage.ts';
import {
  InputError,
  asmOptions,
  color,
  diagFormat,
  provenance,
  err,
  imageFor,
  positiveInt,
  traceFile,
  writeOutput,
} from './common.ts';
import { SyncOut } from './output.ts';
import { drive } from './drive.ts';

type BootValues = FlagValues<'boot'>;

function count(flag: string, v: string | undefined, dflt: number): number {
  return positiveInt('boot', `--${flag}`, v) ?? dflt;
}

/** A boot flag that sets a machine field (--preemption, --engine), checked by the field's own kind. */
function fieldFlag<K extends 'preemption' | 'engine'>(key: K, s: string | undefined): MachineConfig[K] | undefined {
  if (s === undefined) return undefined;
  const r = (MACHINE_FIELDS[key].kind as Kind<MachineConfig[K]>).fromText(s);
  if (r.problem !== undefined) throw new ConfigError(`--${key}: ${r.problem}`);
  return r.value;
}

function option<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof ConfigError) throw new UsageError(`boot: ${e.message}`);
    throw e;
  }
}

/** The kernel's options from the flags; `machine` carries the console and the tracer. */
function kernelOptions(v: BootValues, positionals: string[], programs: Image[], machine: KernelOptions['machine']): KernelOptions {
  const vcpus = count('vcpus', v.vcpus, 2);
  return {
    vcpus, pcpus: count('pcpus', v.pcpus, vcpus), programs, names: positionals.map((p) => basename(p)),
    locks: v.locks as LockKind | undefined, hints: v.hints, debugLocks: v['debug-locks'],
    tick: option(() => (v.tick === undefined ? undefined : parseDuration(v.tick, '--tick'))),
    sliceTicks: v['slice-ticks'] === undefined ? undefined : count('slice-ticks', v['slice-ticks'], 1),
    balanceTicks: v['balance-ticks'] === undefined ? undefined : count('balance-ticks', v['balance-ticks'], 1),
    pvSpins: v['pv-spins'] === undefined ? undefined : count('pv-spins', v['pv-spins'], 1),
    memory: option(() => (v.memory === undefined ? undefined : parseSize(v.memory, '--memory'))),
    seed: v.seed === undefined ? undefined : count('seed', v.seed, 1),
    time: option(() => (v.time === undefined ? undefined : parseDuration(v.time, '--time'))),
    preemption: option(() => fieldFlag('preemption', v.preemption)), engine: option(() => fieldFlag('engine', v.engine)), pvspin: v.pvspin, preemptCheck: v['preempt-check'], mutex: v.mutex, stealBalance: v['steal-balance'],
    competitor: v.compete ? competitor(v) : undefined,
    net: v.net ? {} : undefined,
    machine,
  };
}

export async function cmdBoot(v: BootValues, positionals: string[]): Promise<number> {
  if (positionals.length === 0) throw new UsageError('boot: no program given (try programs/kernel/workers.s)');
  if (v.locks !== undefined && !(LOCK_KINDS as readonly string[]).includes(v.locks)) throw new UsageError(`boot: --locks must be ${LOCK_KINDS.join(', ')}, got ${v.locks}`);
  const format = diagFormat(v);
  const programs: Image[] = [];
  for (const p of positionals) {
    const img = imageFor(p, asmOptions(v), format);
    if (typeof img === 'number') return img;
    programs.push(img);
  }
  const out = new SyncOut(1);
  const meta = (): Record<string, unknown> => provenance('boot', v, positionals);
  const trace = v.trace ? traceFile(v.trace, meta()) : undefined;
  let kernel: GuestKernel;
  let interrupted: boolean;
  try {
    kernel = bootKernel(kernelOptions(v, positionals, programs, { onConsole: (_, b) => { out.write(b); out.flush(); }, tracer: trace?.tracer }));
    interrupted = await drive(kernel.hv);
    out.flush();
  } catch (e) {
    if (e instanceof KernelBuildError || e instanceof LoadError || e instanceof ConfigError) throw new InputError(`boot: ${e.message}`);
    throw e;
  } finally {
    trace?.close();
  }
  return finishBoot(kernel, v, meta, interrupted);
}

/** Stats file, summary (text or --json) and the exit status. */
function finishBoot({ hv, vm }: GuestKernel, v: BootValues, meta: () => object, interrupted: boolean): number {
  const ks = kernelStats(vm);
  if (v.stats) writeOutput(v.stats, `${JSON.stringify({ provenance: meta(), ...collectStats(hv), guest: ks }, null, 2)}\n`);
  const code = interrupted ? EXIT.INTERRUPTED : vm.state === 'fault' ? EXIT.GUEST_FAULT : vm.state === 'halted' ? EXIT.HALTED
    : vm.state === 'shutdown' ? vm.exitCode : EXIT.OK;
  if (v.json) {
    err(JSON.stringify({
      exit: code, interrupted, state: vm.state, exitCode: vm.exitCode, stopReason: hv.stopReason ?? null, instructions: hv.instructions,
      virtualMs: hv.elapsed() / CYCLES_PER_MS, wallMs: hv.wallMs, guest: ks, provenance: meta(),
    }));
    return code;
  }
  err(summary(hv, vm, ks));
  if (interrupted) err(`paravm: interrupted after ${hv.instructions} instructions`);
  else if (vm.state === 'fault') err(formatFault(vm, color()));
  // Halted: every VCPU blocked with nothing scheduled to wake one, so the processes that had not exited never will.
  else if (vm.state === 'halted') err(`paravm: the guest kernel halted with ${ks.liveProcs} process(es) not exited: every VCPU is blocked and nothing can wake one`);
  return code;
}

/** programs/sched/busy.s: the CPU-bound VM that --compete pins to every PCPU. */
function competitor(v: BootValues): Image {
  const img = imageFor(join(ROOT, 'programs', 'sched', 'busy.s'), asmOptions(v));
  if (typeof img === 'number') throw new InputError('boot: programs/sched/busy.s does not assemble');
  return img;
}

const us = (cycles: number): string => (cycles / CYCLES_PER_US).toFixed(0);

/** What the kernel measured, as a few aligned lines. */
export function summary(hv: Hypervisor, vm: Vm, ks: KernelStats): string {
  const ended = vm.state === 'shutdown' ? `shut down with code ${vm.exitCode}` : vm.state === 'running' ? 'still running at the time limit' : vm.state;
  const lines = [
    `paravm: guest kernel on ${vm.vcpus.length} VCPUs / ${hv.pcpus.length} PCPUs`
      + `${hv.vms.length > 1 ? ` (each PCPU shared with a CPU-bound VM, preemption ${hv.preemption.name})` : ''}: ${ended} after `
      + `${(hv.elapsed() / CYCLES_PER_MS).toFixed(2)} ms virtual (${hv.wallMs.toFixed(0)} ms wall, ${hv.instructions} instructions)`,
    '  cpu  threads run  migrations  switches  balancer runs  hint yields  pv waits  preempt yields',
    ...ks.cpus.map((c) => `  ${String(c.cpu).padStart(3)}  ${String(c.threadsRun).padStart(11)}  ${String(c.migrations).padStart(10)}`
      + `  ${String(c.switches).padStart(8)}  ${String(c.balances).padStart(13)}  ${String(c.hintYields).padStart(11)}`
      + `  ${String(c.pvWaits).padStart(8)}  ${String(c.preemptYields).padStart(14)}`),
    '  lock class   acquisitions  contended  spin us  hold us  pv wait us',
    ...ks.locks.filter((l) => l.acquisitions > 0).map((l) => `  ${l.name.padEnd(11)}  ${String(l.acquisitions).padStart(12)}`
      + `  ${String(l.contended).padStart(9)}  ${us(l.spinCycles).padStart(7)}  ${us(l.holdCycles).padStart(7)}  ${us(l.pvWaitCycles).padStart(10)}`),
    `  preemptions of guest VCPUs: ${vm.vcpus.reduce((n, x) => n + x.preemptions, 0)}, of which holding a spinlock `
      + `${vm.vcpus.reduce((n, x) => n + x.lockHolderPreemptions, 0)}, spinning for one ${vm.vcpus.reduce((n, x) => n + x.lockWaiterPreemptions, 0)}`,
  ];
  if (vm.net) {
    const s = vm.net.stats();
    lines.push(`  network: ${s.responses} responses, ${s.bytes} bytes correct (${((s.bytes / 1024) / (hv.elapsed() / CLOCK_HZ)).toFixed(0)} KB/s), `
      + `${s.bad} wrong, ${s.errors} bad descriptors; mean latency ${s.responses ? us(s.latencySum / s.responses) : 0} us`);
  }
  return lines.join('\n');
}
