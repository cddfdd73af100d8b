/**
 * Guests and files that try to hurt the host: random hypercalls from
 * kernel and user mode (with IPC and grant numbers weighted up), random
 * instruction streams beside a sentinel VM whose memory must not change,
 * and mutated images. None may raise a host exception.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HYPERCALLS } from '../../isa/hypercalls.ts';
import { ImageFormatError, readImage, writeImage } from '../../isa/image.ts';
import { asm } from '../helpers/guest.ts';
import { machine } from '../helpers/machine.ts';
import { SEED, budget, runs } from './scale.ts';

const word = fc.oneof(fc.integer({ min: -2, max: 70 }), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  fc.constantFrom(0x80000000 | 0, 0x80001000 | 0, 0xfffff000 | 0, 0x7ffffffc));
const number = fc.oneof(fc.constantFrom(...HYPERCALLS.map((h) => h.number)), fc.constantFrom(16, 17, 18, 19, 20, 21), fc.integer({ min: -1, max: 40 }));
const call = fc.tuple(number, word, word, word, word, word);

/** One VM making the calls in kernel mode, or (user) after dropping to user mode on an identity-mapped page. */
function caller(calls: readonly (readonly number[])[], user: boolean): string {
  const body = calls.map((c) => `${c.map((v, i) => `        li a${i}, ${v}`).join('\n')}\n        hcall`).join('\n');
  const drop = user ? String.raw`
        la t0, pt_root
        li t2, KERNEL_BASE
        la t1, pt_leaf
        sub t1, t1, t2
        ori t1, t1, PTE_V
        sw t1, (0x00400000 >> 22) * 4(t0)
        la t0, pt_leaf
        la t1, ucode
        sub t1, t1, t2
        ori t1, t1, PTE_V | PTE_R | PTE_X | PTE_U
        sw t1, 0(t0)
        la t0, pt_root
        sub t0, t0, t2
        csrw CSR_PTBR, t0
        li t0, 0x00400000
        csrw CSR_EPC, t0
        csrr t0, CSR_STATUS
        andi t0, t0, 0xffff & ~STATUS_PKERNEL
        csrw CSR_STATUS, t0
        eret
        .balign 4096
ucode:` : '';
  return `        .text\n_start:\n${drop}\n${body}\n1:      j 1b\n        .data\n        .balign 4096\npt_root: .space 4096\npt_leaf: .space 4096\n`;
}

const RAND_REGS = ['a0', 'a1', 'a2', 'a3', 'a4', 'a5', 't0', 'sp'];
const SENTINEL = `        .text\n_start: wfi\n        j _start\n        .data\nguard:  .rept 1024\n        .word 0x5a5a5a5a\n        .endr\n`;

describe('hypercall fuzz', () => {
  it(`${runs(400)} machines of random hypercalls, kernel and user mode, beside a sentinel`, () => {
    fc.assert(fc.property(fc.array(call, { minLength: 1, maxLength: 12 }), fc.boolean(), (calls, user) => {
      const hv = machine([{ source: SENTINEL }, { source: caller(calls, user), vcpus: 2 }], { pcpus: 2, time: 300_000 });
      const before = hv.vms[0]!.mem.u8.slice(hv.vms[0]!.mem.base, hv.vms[0]!.mem.base + hv.vms[0]!.mem.size);
      hv.run();
      const after = hv.vms[0]!.mem.u8.subarray(hv.vms[0]!.mem.base, hv.vms[0]!.mem.base + hv.vms[0]!.mem.size);
      expect(Buffer.compare(Buffer.from(before), Buffer.from(after))).toBe(0);
      expect(hv.events.size).toBeLessThan(64);
    }), { seed: SEED, numRuns: runs(400) });
  }, budget(60_000));
});

describe('random instruction streams', () => {
  it(`${runs(400)} random code pages beside a sentinel VM: no host exception, sentinel intact`, () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 2 ** 32 - 1 }), { minLength: 1, maxLength: 64 }), fc.array(word, { minLength: 8, maxLength: 8 }), (code, regs) => {
      const init = regs.map((v, i) => `        li ${RAND_REGS[i]}, ${v}`).join('\n');
      const src = `        .text\n_start:\n${init}\n${code.map((w) => `        .word ${w >>> 0}`).join('\n')}\n1:      j 1b\n`;
      const hv = machine([{ source: SENTINEL }, { source: src }], { pcpus: 2, time: 50_000 });
      const m = hv.vms[0]!.mem;
      const before = Buffer.from(m.u8.slice(m.base, m.base + m.size));
      hv.run();
      expect(Buffer.compare(before, Buffer.from(m.u8.subarray(m.base, m.base + m.size)))).toBe(0);
    }), { seed: SEED, numRuns: runs(400) });
  }, budget(60_000));
});

describe('image mutations', () => {
  const good = writeImage(asm('        .text\n_start: li a0, 1\n        j _start\n        .data\nx: .word 1, 2, 3\n'));
  it(`${runs(3_000)} truncated or mutated images: an image or ImageFormatError`, () => {
    fc.assert(fc.property(fc.nat({ max: good.length }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }), (cut, flips) => {
      const b = good.slice(0, Math.max(cut, flips.length ? good.length : cut));
      for (const [at, v] of flips) if (b.length) b[at % b.length] = v;
      try {
        readImage(b);
      } catch (e) {
        expect(e).toBeInstanceOf(ImageFormatError);
      }
    }), { seed: SEED, numRuns: runs(3_000) });
  });
});
