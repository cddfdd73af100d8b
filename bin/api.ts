/**
 * paravm's JavaScript API, what `import ... from 'paravm'` gives (README "JS
 * API"): assemble, load and disassemble images, configure a machine, run it
 * for a budget or to the end, inspect registers, memory and statistics, boot
 * the guest kernel, run an experiment. The CLI's run and boot commands build
 * their machines through it, so the API and the CLI cannot drift apart. It
 * sits in bin/, the top layer, because it reaches every front door.
 */
import { readFileSync } from 'node:fs';
import { type AsmOptions, type AsmResult } from '../assembler/index.ts';
import { assembleFile, assembleSource } from '../guest-kernel/loader/index.ts';
import { bootKernel, kernelStats, rootPath, type KernelOptions, type KernelStats } from '../guest-kernel/loader/index.ts';
import {
  Hypervisor, LoadError, collectStats, type MachineConfig, type MachineOptions, type MachineStats, type StopReason, type Vm, type VmSetup,
} from '../hypervisor/index.ts';
import { readImage, type Image } from '../isa/image.ts';
import { REGISTERS } from '../isa/registers.ts';
import { EXPERIMENTS, resolveParams, runSweep, type Params, type SweepOutcome } from '../bench/experiments/index.ts';

export type { AsmOptions, AsmResult, Diagnostic } from '../assembler/index.ts';
export { formatDiagnostics } from '../assembler/index.ts';
export type { Image, ImageSymbol, Segment } from '../isa/image.ts';
export { readImage, writeImage } from '../isa/image.ts';
export { disassembleImage, disassemblyLines } from '../isa/disasm.ts';
export type { MachineConfig, MachineOptions, MachineStats, StopReason, VmConfig } from '../hypervisor/index.ts';
export {
  ConfigError, LoadError, bareMetalConfig, collectStats, configSchema, formatStatsText, machineFromFlags, parseConfigJson, validateConfig,
} from '../hypervisor/index.ts';
export type { KernelOptions, KernelStats } from '../guest-kernel/loader/index.ts';
export { KernelBuildError } from '../guest-kernel/loader/index.ts';
export type { Params, SweepOutcome } from '../bench/experiments/index.ts';

/** Searched for `.include` after the caller's directories: `.include "io.s"` and `.include "lib/io.s"` work anywhere. */
export const DEFAULT_INCLUDE_DIRS: readonly string[] = [rootPath('programs', 'lib'), rootPath('programs')];

const withDefaults = (opts: AsmOptions): AsmOptions => ({ ...opts, includeDirs: [...(opts.includeDirs ?? []), ...DEFAULT_INCLUDE_DIRS] });

/** Assemble source text; `filename` names it in diagnostics and resolves its relative includes. */
export function assemble(source: string, filename = '<source>', opts: AsmOptions = {}): AsmResult {
  return assembleSource(source, filename, withDefaults(opts));
}

/** Assemble one or more files as one unit (like `cat` into GNU as). */
export function assembleFiles(files: readonly string[], opts: AsmOptions = {}): AsmResult {
  if (files.length === 1) return assembleFile(files[0]!, withDefaults(opts));
  const src = files.map((f) => `.include ${JSON.stringify(f)}`).join('\n');
  return assembleSource(src, COMMAND_LINE, withDefaults({ ...opts, includeDirs: ['.', ...(opts.includeDirs ?? [])] }));
}

/** The synthetic file that includes each of several files; diagnostics' notes about it say nothing. */
export const COMMAND_LINE = '<command line>';

/** Read an image file (`paravm asm` output). */
export function loadImage(path: string): Image {
  return readImage(readFileSync(path));
}

/** An image from a path: a .s file is assembled (an AssemblyError when it does not), anything else is read. */
export function imageOf(path: string, opts: AsmOptions = {}): Image {
  if (!/\.(s|S|asm)$/.test(path)) return loadImage(path);
  const res = assembleFiles([path], opts);
  if (!res.ok) throw new AssemblyError(path, res);
  return res.image!;
}

/** A program did not assemble; `result.diagnostics` says why. */
export class AssemblyError extends Error {
  constructor(readonly path: string, readonly result: AsmResult) {
    super(`${path}: ${result.diagnostics.filter((d) => d.severity === 'error').length} assembly error(s)`);
  }
}

/** A VCPU's registers by ABI name, and its pc. */
export interface Registers { pc: number; [name: string]: number }

/** A machine to run and inspect; `hv` is the whole hypervisor for anything not wrapped here. */
export class Machine {
  constructor(readonly hv: Hypervisor) {}

  /** Run until the machine stops, or until about `budget` more instructions ran ('paused'; run again to go on). */
  run(budget?: number): StopReason { return this.hv.run(budget); }

  /** End a paused run where it stands (statistics and traces are then final). */
  stop(): StopReason { return this.hv.stop(); }

  get instructions(): number { return this.hv.instructions; }
  /** Virtual time reached, in cycles (isa/clock.ts: CLOCK_HZ). */
  get cycles(): number { return this.hv.elapsed(); }
  get vms(): readonly Vm[] { return this.hv.vms; }

  /** The registers of VCPU `vcpu` (machine-wide index; bare metal has one, 0). */
  registers(vcpu = 0): Registers {
    const cpu = this.vcpu(vcpu).cpu;
    const regs: Registers = { pc: cpu.pc };
    for (const r of REGISTERS) regs[r.abi] = cpu.reg(r.index);
    return regs;
  }

  /** `length` bytes of VM `vm`'s guest-physical memory from `addr` (a copy). */
  readMemory(vm: number, addr: number, length: number): Uint8Array {
    const ram = this.vmAt(vm).mem.ram();
    if (addr < 0 || length < 0 || addr + length > ram.length) throw new RangeError(`memory ${addr}+${length} is outside VM ${vm}'s ${ram.length} bytes`);
    return ram.slice(addr, addr + length);
  }

  /** The 32-bit word at guest-physical `addr` (aligned) of VM `vm`. */
  readWord(vm: number, addr: number): number { return this.vmAt(vm).mem.readWord(addr); }

  /** The statistics `paravm run --stats` writes. */
  stats(): MachineStats { return collectStats(this.hv); }

  private vcpu(i: number): Hypervisor['vcpus'][number] {
    const v = this.hv.vcpus[i];
    if (!v) throw new RangeError(`no VCPU ${i} (the machine has ${this.hv.vcpus.length})`);
    return v;
  }

  private vmAt(i: number): Vm {
    const vm = this.hv.vms[i];
    if (!vm) throw new RangeError(`no VM ${i} (the machine has ${this.hv.vms.length})`);
    return vm;
  }
}

/** Every VM's images (paths assembled or read, each once) and its entry point, symbolic entries resolved. */
export function vmSetups(cfg: MachineConfig, opts: AsmOptions = {}): VmSetup[] {
  const cache = new Map<string, Image>();
  const image = (p: string): Image => { const img = cache.get(p) ?? imageOf(p, opts); cache.set(p, img); return img; };
  return cfg.vms.map((vm) => {
    const images = vm.images.map(image);
    return { images, entry: entryOf(vm.name, vm.entry, images[0]!) };
  });
}

function entryOf(vm: string, entry: number | string | undefined, img: Image): number | undefined {
  if (typeof entry !== 'string') return entry;
  const s = img.symbols.find((x) => x.name === entry);
  if (!s) throw new LoadError(`${vm}: entry symbol ${entry} is not defined in its image`);
  return s.value >>> 0;
}

/**
 * A machine from a configuration (parseConfigJson, machineFromFlags or bareMetalConfig plus VMs);
 * `setups` default to the configuration's image paths, assembled or read.
 */
export function createMachine(cfg: MachineConfig, opts: MachineOptions & { asm?: AsmOptions; setups?: VmSetup[] } = {}): Machine {
  const { asm, setups, ...machine } = opts;
  return new Machine(new Hypervisor(cfg, setups ?? vmSetups(cfg, asm), machine));
}

/** The guest kernel booted (not yet run) with its programs as processes; `kernelStats()` reads what it measured. */
export interface BootedKernel { machine: Machine; vm: Vm; kernelStats(): KernelStats }

/** Boot the SMP guest kernel (guest-kernel/) with `programs` (images or paths of programs/kernel/*.s style programs). */
export function bootGuestKernel(o: Omit<KernelOptions, 'programs'> & { programs: (Image | string)[]; asm?: AsmOptions }): BootedKernel {
  const { asm, programs, ...rest } = o;
  const k = bootKernel({ ...rest, programs: programs.map((p) => (typeof p === 'string' ? imageOf(p, asm) : p)) });
  return { machine: new Machine(k.hv), vm: k.vm, kernelStats: () => kernelStats(k.vm) };
}

/** The experiments (`paravm experiment NAME`) and their axes. */
export const experiments = (): string[] => Object.keys(EXPERIMENTS);

/** Run an experiment sweep into `out` (results.json, table, figures): a preset, with some axes overridden. */
export async function runExperiment(o: {
  name: string; out: string; preset?: 'quick' | 'full'; params?: Params; jobs?: number; signal?: AbortSignal;
}): Promise<SweepOutcome> {
  const exp = EXPERIMENTS[o.name as keyof typeof EXPERIMENTS];
  if (!exp) throw new RangeError(`unknown experiment ${o.name} (known: ${experiments().join(', ')})`);
  const params = { ...resolveParams(exp.axes, exp.presets[o.preset ?? 'quick'], undefined, '', {}), ...o.params };
  return runSweep({ experiment: o.name, params, out: o.out, jobs: o.jobs ?? 1, signal: o.signal });
}
