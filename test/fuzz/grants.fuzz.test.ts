/**
 * Grant and IPC sequences: two actor VMs (each in kernel or user mode) run
 * random GRANT / GRANT_MAP / GRANT_REVOKE / IPC_SEND / IPC_RECV / IPC_CALL
 * calls and loads and stores through the grant window, beside a sentinel
 * VM. A trap handler records a faulting access and skips it. Afterwards:
 * no host exception; the sentinel's memory is untouched; every result is
 * success or an error its row of the hypercall table lists (E_PERM for a
 * kernel-only call from user mode); a load saw only a page some VM granted
 * the loader, or a word an actor stored; and an actor's memory changed only
 * in its own records and page tables, or in a page it granted writable,
 * and then only to words another actor stored.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { E, GRANT_WRITE, HYPERCALLS, MAX_GRANTS } from '../../isa/hypercalls.ts';
import { GRANT_WINDOW, KERNEL_BASE } from '../../isa/memory.ts';
import { Hypervisor } from '../../hypervisor/machine.ts';
import { asm, symbol } from '../helpers/guest.ts';
import { machineConfig } from '../helpers/machine.ts';
import { SEED, budget, runs } from './scale.ts';

const ACTORS = 2;
/** Pages each actor may grant, filled with PAT(vm, page); a grant of at most 4 pages from page 0..3 stays inside. */
const GPAGES = 8;
const PAT = (vm: number, page: number): number => (0x6a000000 | (vm << 8) | page) >>> 0;
const TAG = (vm: number, step: number): number => (0x7b000000 | (vm << 16) | step) >>> 0;
/** What a recorded slot holds until its step has run, and what a faulting access leaves (with the cause). */
const UNREACHED = 0x0badf00d;
const FAULT = 0xfa000000;
const MEMORY = 1 << 20;

/** A VM argument: the other actor (most often), the caller itself, the sentinel, or no VM. */
type VmArg = 'other' | 'self' | 'sentinel' | number;
type HcName = 'GRANT' | 'GRANT_MAP' | 'GRANT_REVOKE' | 'IPC_SEND' | 'IPC_RECV' | 'IPC_CALL';
type Step =
  | { k: 'hc'; name: HcName; args: (VmArg | string)[] }
  | { k: 'load' | 'store'; page: number; word: number }
  | { k: 'spin'; n: number };

const vm = fc.oneof({ weight: 6, arbitrary: fc.constant<VmArg>('other') }, fc.constantFrom<VmArg>('self', 'sentinel', 3, -1));
const timeout = fc.constantFrom(0, 5, 20, 20, -1, -2);
const id = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(0, 1) }, fc.constantFrom(2, -1, MAX_GRANTS));
const word = fc.oneof(fc.integer({ min: -1, max: 4 }), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }));
const gaddr = fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 0, max: 3 }).map((k) => `gpages + ${k * 4096}`) },
  fc.constantFrom(0, 'gpages + 2', (KERNEL_BASE + MEMORY) | 0));
const waddr = fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 0, max: 5 }).map((k) => (GRANT_WINDOW + k * 4096) | 0) },
  fc.constantFrom((GRANT_WINDOW + 2) | 0, (GRANT_WINDOW + 1024 * 4096) | 0, KERNEL_BASE | 0));
const hc = (name: HcName) => (args: (VmArg | string)[]): Step => ({ k: 'hc', name, args });

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(vm, gaddr, fc.constantFrom(1, 1, 1, 2, 4, 0, 1000), fc.constantFrom(GRANT_WRITE, GRANT_WRITE, GRANT_WRITE, 0, 2)).map(hc('GRANT')) },
  { weight: 3, arbitrary: fc.tuple(vm, id, waddr).map(hc('GRANT_MAP')) },
  fc.tuple(id).map(hc('GRANT_REVOKE')),
  fc.tuple(vm, timeout, id, word, word).map(hc('IPC_SEND')),
  fc.tuple(vm, timeout).map(hc('IPC_RECV')),
  fc.tuple(vm, timeout, id, word, word).map(hc('IPC_CALL')),
  { weight: 4, arbitrary: fc.record({ k: fc.constantFrom('load' as const, 'store' as const), page: fc.integer({ min: 0, max: 5 }), word: fc.integer({ min: 0, max: 1023 }) }) },
  fc.record({ k: fc.constant('spin' as const), n: fc.integer({ min: 1, max: 3_000 }) }),
);
/** The steps run this many times over, so that a map may follow the other actor's grant. */
const PASSES = 3;
const MAX_STEPS = 12;

/** The VM index a VmArg names for actor self. */
const vmOf = (a: VmArg | string, self: number): number =>
  (a === 'other' ? 1 - self : a === 'self' ? self : a === 'sentinel' ? ACTORS : typeof a === 'number' ? a : -1);

/** The value of an argument for actor self. */
function resolve(a: VmArg | string, self: number): string {
  if (a === 'other') return `li ${1 - self}`;
  if (a === 'self') return `li ${self}`;
  if (a === 'sentinel') return `li ${ACTORS}`;
  return typeof a === 'string' ? `la ${a}` : `li ${a}`;
}

/** The assembly of step i: its result (a0, the loaded word, or 0 for a store) goes to res[slot], unless it faults. */
function stepSource(s: Step, i: number, slot: number, self: number, user: boolean): string {
  const rec = `${user ? '        li t2, UDATA_VA' : '        la t2, res'}\n        sw s3, ${slot * 4}(t2)`;
  if (s.k === 'spin') return `        li t0, ${s.n}\n9:      addi t0, t0, -1\n        bnez t0, 9b\n        li s3, 0\n${rec}`;
  if (s.k === 'hc') {
    const args = s.args.map((a, j) => `        ${resolve(a, self).replace(' ', ` a${j + 1}, `)}`).join('\n');
    return `${args}\n        li a0, HC_${s.name}\n        hcall\n        mv s3, a0\n${rec}`;
  }
  const at = `        li t0, ${(GRANT_WINDOW + s.page * 4096 + s.word * 4) | 0}\n        li s3, 0`;
  if (s.k === 'load') return `${at}\n        lw s3, 0(t0)\n${rec}`;
  return `${at}\n        li t1, ${TAG(self, i) | 0}\n        sw t1, 0(t0)\n${rec}`;
}

/** An actor: trap handler, optional drop to user mode, the steps, then an idle loop. */
function actorSource(steps: readonly Step[], self: number, user: boolean): string {
  const body = Array.from({ length: PASSES }, (_, p) => steps.map((s, i) => stepSource(s, i, p * steps.length + i, self, user)).join('\n')).join('\n');
  const fill = Array.from({ length: GPAGES }, (_, p) => `        .rept 1024\n        .word ${PAT(self, p)}\n        .endr`).join('\n');
  const drop = user
    ? '        call map_user_page\n        la a0, res\n        li a1, UDATA_VA\n        call map_user_data\n        j enter_user\n        .include "lib/user.s"\n        .balign 4096\nuser_code:'
    : '';
  return `        .equ USER_VA, 0x00400000\n        .equ UDATA_VA, 0x00401000\n        .text\n_start:\n        la t0, handler\n        csrw CSR_TVEC, t0\n${drop}
${body}\n1:      j 1b\n        .balign 4\nhandler:\n        csrr s3, CSR_CAUSE\n        li s2, ${FAULT | 0}\n        or s3, s3, s2\n        csrr s2, CSR_EPC\n        addi s2, s2, 4\n        csrw CSR_EPC, s2\n        eret
        .data\n        .balign 4096\nres:\n        .rept 1024\n        .word ${UNREACHED}\n        .endr\npt_root: .space 4096\npt_leaf: .space 4096\ngpages:\n${fill}\n`;
}

const SENTINEL = '        .text\n_start: wfi\n        j _start\n        .data\nguard:  .rept 1024\n        .word 0x5a5a5a5a\n        .endr\n';

interface Actor { steps: Step[]; user: boolean }

/** The results a call may return, by the table: success, its row's errors, E_PERM from user mode. */
function allowed(name: string, user: boolean, r: number): boolean {
  const row = HYPERCALLS.find((h) => h.name === name)!;
  if (user && !row.user) return r === E.PERM;
  if (row.errors.some((e) => E[e.error] === r)) return true;
  return name === 'GRANT' ? r >= 0 && r < 2 ** 31 : r === 0;
}

/** Pages g may have granted to w (writable ones only, with write), statically from g's steps. */
function grantedPages(actors: readonly Actor[], g: number, w: number, write: boolean): Set<number> {
  const pages = new Set<number>();
  for (const s of actors[g]!.steps) {
    if (s.k !== 'hc' || s.name !== 'GRANT' || vmOf(s.args[0]!, g) !== w || typeof s.args[1] !== 'string') continue;
    if (write && !(Number(s.args[3]) & GRANT_WRITE)) continue;
    const first = Number(/\d+$/.exec(s.args[1])![0]) / 4096;
    for (let p = first; p < first + Number(s.args[2]); p++) pages.add(p);
  }
  return pages;
}

/** A loaded word is a pattern of a page another actor granted the loader, or a word an actor stored. */
function loadable(actors: readonly Actor[], v: number, r: number, stored: Set<number>): boolean {
  const g = (r >>> 8) & 0xff;
  const isPat = r === PAT(g, r & 0xff) && g < actors.length && g !== v;
  return stored.has(r) || (isPat && grantedPages(actors, g, v, false).has(r & 0xff));
}

/** Words any actor stores: the only values besides PAT that may appear in a granted page. */
function tags(actors: readonly Actor[]): Set<number> {
  return new Set(actors.flatMap((a, v) => a.steps.flatMap((s, i) => (s.k === 'store' ? [TAG(v, i)] : []))));
}

/** Where an actor's records (res, then its page tables) and its grantable pages start, guest-physical. */
interface Layout { res: number; gpages: number }

function check(hv: Hypervisor, actors: readonly Actor[], at: readonly Layout[], snapshots: readonly Uint8Array[]): void {
  const stored = tags(actors);
  actors.forEach((a, v) => {
    const mem = hv.vms[v]!.mem;
    const words = new Uint32Array(snapshots[v]!.buffer.slice(0));
    let reached = true;
    const slots = Array.from({ length: PASSES }, () => a.steps).flat();
    slots.forEach((s, i) => {
      const r = mem.readWord(at[v]!.res + 4 * i) >>> 0;
      if (r === UNREACHED) { reached = false; return; }
      expect(reached, `vm${v} step ${i} ran after an unreached one`).toBe(true);
      if (s.k === 'hc') expect(allowed(s.name, a.user, r | 0), `vm${v} step ${i} ${s.name}(${s.args}) -> ${r | 0}`).toBe(true);
      else if (s.k === 'load' && (r & 0xff000000) >>> 0 !== FAULT) {
        expect(loadable(actors, v, r, stored), `vm${v} step ${i} loaded ${r.toString(16)}`).toBe(true);
      }
    });
    const gpages = at[v]!.gpages / 4;
    for (let w = 0; w < words.length; w++) {
      const now = mem.readWord(w * 4) >>> 0;
      if (now === words[w]) continue;
      const inRecords = w * 4 >= at[v]!.res && w < gpages;
      if (inRecords) continue;
      const page = Math.floor((w - gpages) / 1024);
      const writer = (now >>> 16) & 0xff;
      expect(w >= gpages && page < GPAGES && stored.has(now) && writer !== v && grantedPages(actors, v, writer, true).has(page),
        `vm${v} word ${(w * 4).toString(16)} became ${now.toString(16)}`).toBe(true);
    }
  });
}

describe('grant and IPC fuzz', () => {
  it(`${runs(150)} sequences of grants, maps, revokes and IPC between two VMs, kernel and user mode, beside a sentinel`, () => {
    const actor = fc.record({ steps: fc.array(step, { minLength: 1, maxLength: MAX_STEPS }), user: fc.constantFrom(false, false, true) });
    fc.assert(fc.property(fc.array(actor, { minLength: ACTORS, maxLength: ACTORS }), (actors) => {
      const imgs = [...actors.map((a, v) => asm(actorSource(a.steps, v, a.user), `actor${v}.s`)), asm(SENTINEL, 'sentinel.s')];
      const specs = imgs.map(() => ({ source: '', memory: MEMORY }));
      const hv = new Hypervisor(machineConfig(specs, { pcpus: 2, time: 400_000 }), imgs.map((img) => ({ images: [img] })));
      const mems = hv.vms.map((m) => m.mem.u8.slice(m.mem.base, m.mem.base + m.mem.size));
      hv.run();
      const s = hv.vms[ACTORS]!.mem;
      expect(Buffer.compare(Buffer.from(mems[ACTORS]!), Buffer.from(s.u8.subarray(s.base, s.base + s.size)))).toBe(0);
      check(hv, actors, imgs.slice(0, ACTORS).map((img) => ({ res: symbol(img, 'res') - KERNEL_BASE, gpages: symbol(img, 'gpages') - KERNEL_BASE })), mems);
    }), { seed: SEED, numRuns: runs(150) });
  }, budget(60_000));
});
