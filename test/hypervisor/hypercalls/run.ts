/**
 * Running hypercall test guests under the hypervisor. A VM's guest is a file
 * under guests/ that carries its promises in `# expect...` comments (parsed
 * by test/helpers/guest.ts, checked by expectPromises), or assembly that a
 * test generates per row of a table. Guests include guests/common/*.inc and
 * programs/lib/*.s; a guest may take `.equ`-style parameters as defines.
 * Tests read guest data by symbol (res[i], flags[i], ...), never by offset.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { Hypervisor, type StopReason } from '../../../hypervisor/machine.ts';
import { DEFAULTS } from '../../../hypervisor/config/index.ts';
import type { Image } from '../../../isa/image.ts';
import { KERNEL_BASE } from '../../../isa/memory.ts';
import { predefinedSymbols } from '../../../isa/symbols.ts';
import { ROOT } from '../../../guest-kernel/loader/root.ts';
import { asm, expectations, symbol, type Expectation } from '../../helpers/guest.ts';
import { machineConfig, type VmSpec } from '../../helpers/machine.ts';

export const GUESTS = join(ROOT, 'test/hypervisor/hypercalls/guests');
export const QUANTUM = DEFAULTS.quantum;
/** A short slice, so that two VMs sharing a PCPU alternate within a few ms. */
export const SLICE = 100_000;
/** Every guest may name the machine's memory size (its tests reach for the last byte). */
const DEFINES = { MEM_SIZE: DEFAULTS.vm.memory };

/** One VM: a guest file (relative to guests/) or generated source, its defines and VM settings. */
export interface Guest extends Partial<Omit<VmSpec, 'source'>> {
  file?: string;
  source?: string;
  defines?: Record<string, number>;
}

type MachineOver = Parameters<typeof machineConfig>[1];

export interface Run {
  hv: Hypervisor;
  stop: StopReason;
  out: string[];
  imgs: Image[];
  /** What VM vm's guest file promises (nothing for generated guests). */
  promised: Expectation[];
  /** Signed word i at symbol `name` of VM vm. */
  word(vm: number, name: string, i?: number): number;
  /** res[i] of VM vm (signed). */
  res(i: number, vm?: number): number;
  /** res[0..n-1] of VM vm. */
  resN(n: number, vm?: number): number[];
}

const NOTHING: Expectation = { lines: [], exit: 0, words: [] };

function load(g: Guest, i: number): { img: Image; promised: Expectation } {
  const opts = { includeDirs: [GUESTS], defines: { ...DEFINES, ...g.defines } };
  if (g.source !== undefined) return { img: asm(g.source, join(GUESTS, `vm${i}.s`), opts), promised: NOTHING };
  const path = join(GUESTS, g.file!);
  const text = readFileSync(path, 'utf8');
  return { img: asm(text, path, opts), promised: expectations(text) };
}

const asGuest = (g: Guest | string): Guest => (typeof g === 'string' ? { file: g } : g);

export function run(guests: readonly (Guest | string)[], over: MachineOver = {}): Run {
  const gs = guests.map(asGuest);
  const loaded = gs.map(load);
  const imgs = loaded.map((l) => l.img);
  const specs = gs.map((g) => ({ ...g, source: '' }));
  const hv = new Hypervisor(machineConfig(specs, { time: 2_000_000, ...over }), imgs.map((img) => ({ images: [img] })));
  const stop = hv.run();
  const word = (vm: number, name: string, i = 0): number =>
    hv.vms[vm]!.mem.readWord(symbol(imgs[vm]!, name) - KERNEL_BASE + 4 * i);
  return {
    hv, stop, imgs, word, promised: loaded.map((l) => l.promised),
    out: hv.vms.map((vm) => vm.console.text()),
    res: (i, vm = 0) => word(vm, 'res', i),
    resN: (n, vm = 0) => Array.from({ length: n }, (_, i) => word(vm, 'res', i)),
  };
}

/** One VM, run alone. */
export function run1(g: Guest | string, spec: Partial<VmSpec> = {}, over: MachineOver = {}): Run {
  return run([{ ...asGuest(g), ...spec }], over);
}

/**
 * An expected word: a number, a symbol of the image or one the assembler
 * predefines (E_INVAL, ...), or those combined with `<<` and `|` (IRQ
 * masks: `1 << IRQ_TIMER | 1 << IRQ_IPI`); a signed word.
 */
function value(img: Image, v: string): number {
  if (v.includes('|')) return v.split('|').reduce((acc, part) => acc | value(img, part.trim()), 0);
  if (v.includes('<<')) {
    const [a, b] = v.split('<<').map((part) => value(img, part.trim()));
    return (a! << b!) | 0;
  }
  const m = /^(-?)(0x[0-9a-f]+|\d+)$/i.exec(v);
  if (m) return (m[1] ? -Number(m[2]) : Number(m[2])) | 0;
  if (img.symbols.some((s) => s.name === v)) return symbol(img, v) | 0;
  const isa = predefinedSymbols().get(v);
  if (isa === undefined) throw new Error(`# expect-word: unknown value '${v}'`);
  return isa | 0;
}

/** VM vm kept its guest file's promises: the words and the console lines (none promised: no output). */
export function expectPromises(r: Run, vm = 0): void {
  expectPromisedWords(r, vm);
  const out = r.out[vm] === '' ? [] : r.out[vm]!.replace(/\n$/, '').split('\n');
  const lines = r.promised[vm]!.lines;
  expect(out, `console of VM ${vm}`).toHaveLength(lines.length);
  lines.forEach((e, i) => (typeof e === 'string' ? expect(out[i]).toBe(e) : expect(out[i]).toMatch(e)));
}

/** Only the words (for output that lines cannot state, which the test checks byte for byte). */
export function expectPromisedWords(r: Run, vm = 0): void {
  for (const w of r.promised[vm]!.words) {
    const got = w.values.map((_, k) => r.word(vm, w.label, w.index + k));
    expect(got, `${w.label}[${w.index}..] of VM ${vm}`).toEqual(w.values.map((v) => value(r.imgs[vm]!, v)));
  }
}

/** VM vm ran to its final SHUTDOWN(0) after `done`: every call before returned to the guest. */
export function expectClean(r: Run, vm = 0): void {
  expect(r.hv.vms[vm]!.state).toBe('shutdown');
  expect(r.hv.vms[vm]!.exitCode).toBe(0);
  expect(r.res(symbol(r.imgs[vm]!, 'DONE'), vm)).toBe(symbol(r.imgs[vm]!, 'DONE_MARK'));
}

/** A user-mode run ended in the handler through the final syscall. */
export function expectUserDone(r: Run, vm = 0): void {
  expect(r.word(vm, 'kres', 0)).toBe(predefinedSymbols().get('CAUSE_SYSCALL'));
  expect(r.hv.vms[vm]!.state).toBe('shutdown');
  expect(r.hv.vms[vm]!.exitCode).toBe(symbol(r.imgs[vm]!, 'USER_EXIT'));
}

/**
 * Generated kernel-mode guest (for programs built per row of a table):
 * `main` on VCPU 0, then `done`; `extra` is more code, `data` more .data.
 */
export function kernelSource(main: string, extra = '', data = ''): string {
  return `
        .include "common/kernel.inc"
_start:
${main}
        done
${extra}
        .include "common/kdata.inc"
${data}
`;
}

export interface UserOpts {
  /** Kernel code run before dropping to user mode. */
  kpre?: string;
  /** Kernel code run by the trap handler before it shuts down; its a0 goes to kres[4]. */
  verify?: string;
  /** More kernel code. */
  extra?: string;
}

/**
 * Generated user-mode guest (common/user.inc): `snippet` runs in user mode,
 * then `syscall`. The user page also holds umsg..umsg_end ("from user mode\n").
 */
export function userSource(snippet: string, o: UserOpts = {}): string {
  return `
        .include "common/user.inc"
_start:
        la      t0, handler
        csrw    CSR_TVEC, t0
${o.kpre ?? ''}
        enter_user_mode
handler:
        trap_save
${o.verify ?? ''}
        trap_end
${o.extra ?? ''}
        .include "lib/user.s"
        .balign 4096
user_code:
${snippet}
        syscall
1:      j       1b
umsg:   .ascii  "from user mode\\n"
umsg_end:
        .include "common/udata.inc"
`;
}
