/**
 * Test helpers for the guest kernel (guest-kernel/): boot it with user
 * programs from programs/kernel/ or inline sources, run it with a time limit,
 * and read the kernel's tables (threads, locks, info pages) from guest
 * memory. Every offset comes from the kernel image's symbols (ksym), never
 * from a number written here.
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { bootKernel, kernelStats, ksym, type GuestKernel, type KernelOptions, type KernelStats } from '../../guest-kernel/loader/index.ts';
import type { Image } from '../../isa/image.ts';
import { KERNEL_BASE, PAGE_SIZE } from '../../isa/memory.ts';
import type { StopReason } from '../../hypervisor/machine.ts';
import type { Tracer } from '../../hypervisor/observe/tracer.ts';
import type { Vm } from '../../hypervisor/vm.ts';
import { asm, asmFile, expectations, type Expectation } from './guest.ts';
import { ROOT } from '../../guest-kernel/loader/root.ts';

export const KPROGS = join(ROOT, 'programs', 'kernel');

/** The kernel's last line before a clean shutdown. */
export const ALL_DONE = 'kernel: all processes have exited; shutting down';

/** Default virtual time limit of a test run: 1 s of virtual time (every run here needs a few ms). */
export const TIME_LIMIT = 100_000_000;

const images = new Map<string, Image>();

/** A program of programs/kernel/ by file name ("hello.s"), assembled once. */
export function kprog(name: string): Image {
  let img = images.get(name);
  if (!img) {
    img = asmFile(join(KPROGS, name));
    images.set(name, img);
  }
  return img;
}

/**
 * A user program from a source string. It is assembled as if it were a file
 * in programs/kernel/, so `.include "../../guest-kernel/abi.inc"` resolves.
 * USER_LIB (below) gives it puts/putint/exit without depending on the
 * programs' own library file.
 */
export function kinline(source: string, name = 'inline.s'): Image {
  return asm(source, join(KPROGS, name));
}

/** A tiny self-contained user library for inline programs (system calls only). */
export const USER_LIB = `
# puts(a0 = NUL-terminated string)
puts:   mv      a1, a0
        mv      t1, a0
1:      lbu     t0, 0(t1)
        beqz    t0, 2f
        addi    t1, t1, 1
        j       1b
2:      sub     a2, t1, a1
        li      a0, SYS_WRITE
        syscall
        ret
# putint(a0 = unsigned integer), decimal
putint: addi    sp, sp, -16
        addi    a2, sp, 16
        li      t2, 10
1:      remu    t1, a0, t2
        divu    a0, a0, t2
        addi    t1, t1, '0'
        addi    a2, a2, -1
        sb      t1, 0(a2)
        bnez    a0, 1b
        mv      a1, a2
        addi    t0, sp, 16
        sub     a2, t0, a2
        li      a0, SYS_WRITE
        syscall
        addi    sp, sp, 16
        ret
# exit(a0 = code)
exit:   mv      a1, a0
        li      a0, SYS_EXIT
        syscall
`;

export interface KernelRun extends GuestKernel {
  stop: StopReason;
  out: string;
  lines: string[];
  stats: KernelStats;
}

export type RunOptions = Omit<KernelOptions, 'programs' | 'names'> & {
  /** File names in programs/kernel/, or [name, image] pairs. */
  programs: (string | [string, Image])[];
  /** Called after bootKernel, before hv.run(). */
  before?: (k: GuestKernel) => void;
};

export function boot(o: RunOptions): GuestKernel {
  const { programs, before: _, ...rest } = o;
  const progs = programs.map((p) => (typeof p === 'string' ? [p, kprog(p)] as const : p));
  return bootKernel({ time: TIME_LIMIT, ...rest, programs: progs.map((p) => p[1]), names: progs.map((p) => basename(p[0])) });
}

/** Boot, run to the end (or the time limit), and collect the console and the kernel's statistics. */
export function runKernel(o: RunOptions): KernelRun {
  const k = boot(o);
  o.before?.(k);
  const stop = k.hv.run();
  const out = k.vm.console.text();
  return { ...k, stop, out, lines: out.replace(/\n$/, '').split('\n'), stats: kernelStats(k.vm) };
}

// ---- reading the kernel's memory -------------------------------------------------

/** Guest-physical address of a kernel label. */
export const kpa = (name: string): number => ksym(name) - KERNEL_BASE;

/** Guest-physical address of CPU cpu's shared info page. */
export const infoPage = (cpu: number): number => kpa('infopages') + cpu * PAGE_SIZE;

export const word = (vm: Vm, pa: number): number => vm.mem.readWord(pa) >>> 0;

/** A NUL-terminated string at a kernel (virtual) address. */
export function kstring(vm: Vm, addr: number): string {
  let s = '';
  for (let a = (addr >>> 0) - KERNEL_BASE; a < vm.mem.size; a++) {
    const c = vm.mem.u8[vm.mem.base + a]!;
    if (c === 0) break;
    s += String.fromCharCode(c);
  }
  return s;
}

export interface Tcb { index: number; state: number; kind: number; cpu: number; pin: number; runs: number; proc: number }

/** Every TCB of the kernel's `threads` table (free ones included). */
export function threadTable(vm: Vm): Tcb[] {
  const f = (i: number, field: string): number => word(vm, kpa('threads') + i * ksym('T_SIZE') + ksym(field));
  return Array.from({ length: ksym('MAX_THREADS') }, (_, i) => ({
    index: i, state: f(i, 'T_STATE'), kind: f(i, 'T_KIND'), cpu: f(i, 'T_CPU'), pin: f(i, 'T_PIN') | 0,
    runs: f(i, 'T_RUNS'), proc: f(i, 'T_PROC'),
  }));
}

export interface LockEntry { index: number; name: string; owner: number; acquisitions: number; contended: number }

/** Every lock of the kernel's lock table, with its owner field (CPU + 1 while held, 0 free). */
export function lockTable(vm: Vm): LockEntry[] {
  return Array.from({ length: word(vm, kpa('lock_count')) }, (_, i) => {
    const l = kpa('locks') + i * ksym('L_SIZE');
    return {
      index: i, name: kstring(vm, word(vm, l + ksym('L_NAME'))), owner: word(vm, l + ksym('L_OWNER')),
      acquisitions: word(vm, l + ksym('L_ACQ')), contended: word(vm, l + ksym('L_CONTENDED')),
    };
  });
}

/** A word of a per-CPU area (field: a C_* constant). */
export const percpu = (vm: Vm, cpu: number, field: string): number => word(vm, kpa('percpu') + cpu * ksym('C_SIZE') + ksym(field));

// ---- expectations (test/helpers/guest.ts) ----------------------------------------------

export const programExpectations = (name: string): Expectation => expectations(readFileSync(join(KPROGS, name), 'utf8'));

/**
 * Match expectations against output lines in order, each by a later line than
 * the previous one (the kernel adds its own lines, and a program may print
 * lines it does not promise). Returns the expectations that found no line.
 */
export function unmatched(exp: readonly (string | RegExp)[], lines: readonly string[]): (string | RegExp)[] {
  let i = 0;
  const missing: (string | RegExp)[] = [];
  for (const e of exp) {
    const at = lines.findIndex((l, j) => j >= i && (typeof e === 'string' ? l === e : e.test(l)));
    if (at < 0) missing.push(e);
    else i = at + 1;
  }
  return missing;
}

/** A Tracer that ignores everything but hypercalls. */
export function hypercallTracer(onHypercall: Tracer['hypercall']): Tracer {
  return {
    begin() {}, pcpuSlice() {}, vcpuSpan() {}, instant() {}, round() {}, end() {},
    hypercall: onHypercall,
  };
}
