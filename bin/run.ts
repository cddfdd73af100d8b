/**
 * `paravm run`: build a machine from flags and/or a JSON configuration
 * (hypervisor/config.ts, docs/config.md), run it, report. One program and no
 * machine flags is bare metal: one VM, one VCPU, one PCPU.
 */
import { readFileSync } from 'node:fs';
import type { Image } from '../isa/image.ts';
import { CYCLES_PER_MS } from '../isa/clock.ts';
import { REGISTERS } from '../isa/registers.ts';
import {
  ConfigError,
  machineFromFlags,
  parseConfigJson,
  type MachineConfig,
  Hypervisor,
  type VmSetup,
  LoadError,
  formatFault,
  formatRegisters,
  formatRunStats,
  formatVmLine,
  collectStats,
  formatStatsText,
} from '../hypervisor/index.ts';
import type { AsmOptions } from '../assembler/index.ts';
import { UsageError, type FlagValues } from './args.ts';
import { EXIT } from './usage.ts';
import {
  InputError,
  asmOptions,
  color,
  diagFormat,
  provenance,
  provenanceComment,
  type DiagFormat,
  err,
  imageFor,
  positiveInt,
  reason,
  traceFile,
  writeOutput,
} from './common.ts';
import { SyncOut } from './output.ts';
import { drive } from './drive.ts';

type RunValues = FlagValues<'run'>;

/** A configuration file: unreadable or invalid is an input error (one message, no usage text). */
export function readConfig(path: string): MachineConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new InputError(`cannot read ${path}: ${reason(e)}`);
  }
  try {
    return parseConfigJson(text, path);
  } catch (e) {
    if (e instanceof ConfigError) throw new InputError(e.message);
    throw e;
  }
}

/** Flags over the file; a bad flag (or no program at all) is a usage error. */
function buildConfig(values: RunValues, positionals: string[]): MachineConfig {
  const file = values.config === undefined ? undefined : readConfig(values.config);
  try {
    return machineFromFlags({ ...values, positional: positionals }, file);
  } catch (e) {
    if (e instanceof ConfigError) throw new UsageError(e.message.split('\n').map((l) => `run: ${l}`).join('\n'));
    throw e;
  }
}

/** Assemble or read every VM's images; resolve symbolic entry points. Returns an exit code on assembly errors. */
export function loadSetups(cfg: MachineConfig, opts: AsmOptions, format: DiagFormat = 'text'): VmSetup[] | number {
  const setups: VmSetup[] = [];
  const cache = new Map<string, Image>();
  for (const vm of cfg.vms) {
    const images: Image[] = [];
    for (const path of vm.images) {
      const img = cache.get(path) ?? imageFor(path, opts, format);
      if (typeof img === 'number') return img;
      cache.set(path, img);
      images.push(img);
    }
    setups.push({ images, entry: entryOf(vm.name, vm.entry, images[0]!) });
  }
  return setups;
}

function entryOf(vm: string, entry: number | string | undefined, img: Image): number | undefined {
  if (typeof entry !== 'string') return entry;
  const s = img.symbols.find((x) => x.name === entry);
  if (!s) throw new InputError(`${vm}: entry symbol ${entry} is not defined in its image`);
  return s.value >>> 0;
}

export async function cmdRun(values: RunValues, positionals: string[]): Promise<number> {
  const limit = positiveInt('run', '--limit', values.limit);
  const cfg = buildConfig(values, positionals);
  const single = cfg.vms.length === 1 && cfg.vms[0]!.vcpus === 1 && cfg.pcpus === 1;
  if (limit !== undefined && !single) {
    throw new UsageError('run: --limit needs a single VM with one VCPU on one PCPU');
  }
  const setups = loadSetups(cfg, asmOptions(values), diagFormat(values));
  if (typeof setups === 'number') return setups;
  const meta = (): Record<string, unknown> => ({ ...provenance('run', values, positionals), config: cfg });
  const out = new SyncOut(1);
  const trace = values.trace ? traceFile(values.trace, meta()) : undefined;
  let hv: Hypervisor;
  let interrupted: boolean;
  try {
    hv = new Hypervisor(cfg, setups, {
      onConsole: (_, b) => { out.write(b); out.flush(); },
      tracer: trace?.tracer,
      maxInstructions: limit,
      itrace: values.itrace ? (line) => out.write(`${line}\n`) : undefined,
    });
    interrupted = await drive(hv);
    out.flush();
  } catch (e) {
    if (e instanceof LoadError || e instanceof ConfigError) throw new InputError(`run: ${e.message}`);
    throw e;
  } finally {
    trace?.close();
  }
  if (values.stats) writeOutput(values.stats, `${JSON.stringify({ provenance: meta(), ...collectStats(hv) }, null, 2)}\n`);
  if (values['stats-text']) writeOutput(values['stats-text'], provenanceComment(meta()) + formatStatsText(collectStats(hv)));
  const code = exitStatus(hv, interrupted);
  if (values.json) err(JSON.stringify(summaryJson(hv, code, interrupted, meta(), Boolean(values.regs))));
  else report(hv, Boolean(values.regs), interrupted);
  return code;
}

function exitStatus(hv: Hypervisor, interrupted: boolean): number {
  if (interrupted) return EXIT.INTERRUPTED;
  if (hv.vms.some((vm) => vm.state === 'fault')) return EXIT.GUEST_FAULT;
  if (hv.stopReason === 'limit') return EXIT.LIMIT;
  return hv.vms.find((vm) => vm.state === 'shutdown' && vm.exitCode !== 0)?.exitCode ?? EXIT.OK;
}

/** --json: what the text report says, as one object (the exit status included). */
function summaryJson(hv: Hypervisor, exit: number, interrupted: boolean, meta: object, regs: boolean): object {
  return {
    exit, interrupted, stopReason: hv.stopReason ?? null, instructions: hv.instructions,
    virtualMs: hv.elapsed() / CYCLES_PER_MS, wallMs: hv.wallMs,
    vms: hv.vms.map((vm) => ({
      name: vm.name, state: vm.state, exitCode: vm.exitCode,
      ...(vm.state === 'fault' ? { fault: stripAnsi(formatFault(vm, false)) } : {}),
    })),
    ...(regs ? { registers: hv.vcpus.map((v) => ({ vcpu: v.name, pc: v.cpu.pc, x: REGISTERS.map((r) => v.cpu.reg(r.index)) })) } : {}),
    provenance: meta,
  };
}

const stripAnsi = (s: string): string => s.replace(/\x1b\[[0-9;]*m/g, '');

/** stderr: registers, statistics, one line per VM when there are several, faults, why the run ended. */
function report(hv: Hypervisor, regs: boolean, interrupted: boolean): void {
  if (regs) {
    for (const v of hv.vcpus) err(`${hv.vcpus.length > 1 ? `${v.name}:\n` : ''}${formatRegisters(v.cpu)}`);
  }
  err(formatRunStats(hv));
  if (hv.vms.length > 1) for (const vm of hv.vms) err(formatVmLine(vm, hv));
  for (const vm of hv.vms) if (vm.state === 'fault') err(formatFault(vm, color()));
  if (interrupted) { err(`paravm: interrupted after ${hv.instructions} instructions`); return; }
  if (hv.vms.some((vm) => vm.state === 'fault')) return;
  if (hv.stopReason === 'limit') { err(`paravm: instruction limit reached (${hv.instructions})`); return; }
  if (hv.vms.length === 1 && hv.vms[0]!.state === 'halted') err('paravm: halted: every VCPU waits and nothing can wake it');
  if (hv.vms.length === 1 && hv.vms[0]!.state === 'shutdown' && hv.vms[0]!.exitCode !== 0) err(`paravm: the guest shut down with code ${hv.vms[0]!.exitCode}`);
}
