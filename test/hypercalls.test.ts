/**
 * The hypercall table, row by row: every call works with good arguments,
 * returns each documented error for bad ones, refuses user mode where the
 * table says so, and never throws a host exception.
 */
import { describe, expect, it } from 'vitest';
import { E, HC, HYPERCALLS } from '../isa/hypercalls.ts';
import { GuestMemory } from '../hypervisor/cpu/memory.ts';
import { S, Vcpu } from '../hypervisor/cpu/state.ts';
import { dispatchHypercall, unhandledHypercalls, type HcMachine } from '../hypervisor/hypercalls.ts';
import { STATUS_BITS } from '../isa/csrs.ts';
import { PTE } from '../isa/memory.ts';
import { runSource } from './helpers/guest.ts';

const A0 = 3;

class Recorder implements HcMachine {
  out: number[] = [];
  shutdownCode: number | undefined;
  timer = -1;
  consoleWrite(_: Vcpu, b: Uint8Array): void { this.out.push(...b); }
  shutdown(_: Vcpu, code: number): void { this.shutdownCode = code; }
  vcpuCount(): number { return 3; }
  now(): number { return 2 ** 33 + 5; }
  setTimer(_: Vcpu, d: number): void { this.timer = d; }
}

function call(num: number, args: number[], opts: { user?: boolean; cpu?: Vcpu } = {}): { a0: number; a1: number; m: Recorder; cpu: Vcpu } {
  const cpu = opts.cpu ?? new Vcpu(new GuestMemory(1 << 16), 1);
  if (opts.user) cpu.st[S.STATUS] = 0;
  cpu.setReg(A0, num);
  args.forEach((v, i) => cpu.setReg(A0 + 1 + i, v));
  const m = new Recorder();
  dispatchHypercall(cpu, m);
  return { a0: cpu.reg(A0), a1: cpu.reg(A0 + 1), m, cpu };
}

describe('hypercall table', () => {
  it('has a handler for every row', () => {
    expect(unhandledHypercalls()).toEqual([]);
  });

  it('unknown numbers return E_NOSYS', () => {
    for (const n of [0, 999, -1]) expect(call(n, []).a0).toBe(E.NOSYS);
  });

  it('rows not allowed from user mode return E_PERM there', () => {
    for (const h of HYPERCALLS.filter((x) => !x.user)) {
      const r = call(h.number, [0, 0, 0], { user: true });
      expect(r.a0, h.name).toBe(E.PERM);
      expect(r.m.shutdownCode).toBeUndefined();
    }
  });
});

describe('each hypercall', () => {
  it('CONSOLE_PUTC writes the low byte', () => {
    const r = call(HC.CONSOLE_PUTC!, [0x141]);
    expect(r.m.out).toEqual([0x41]);
    expect(r.a0).toBe(0);
  });

  it('CONSOLE_WRITE writes a buffer and returns its length', () => {
    const cpu = new Vcpu(new GuestMemory(1 << 16));
    cpu.mem.u8.set([104, 105], 0x100);
    const r = call(HC.CONSOLE_WRITE!, [0x80000100 | 0, 2], { cpu });
    expect(r.m.out).toEqual([104, 105]);
    expect(r.a0).toBe(2);
  });

  it('CONSOLE_WRITE: E_INVAL for a negative or huge length, E_FAULT outside memory or unmapped', () => {
    expect(call(HC.CONSOLE_WRITE!, [0x80000000 | 0, -1]).a0).toBe(E.INVAL);
    expect(call(HC.CONSOLE_WRITE!, [0x80000000 | 0, 65537]).a0).toBe(E.INVAL);
    const beyond = call(HC.CONSOLE_WRITE!, [(0x80000000 + (1 << 16) - 1) | 0, 2]);
    expect(beyond.a0).toBe(E.FAULT);
    expect(beyond.m.out).toEqual([]);
    expect(call(HC.CONSOLE_WRITE!, [0x1000, 1]).a0).toBe(E.FAULT);
    expect(call(HC.CONSOLE_WRITE!, [0x80000000 | 0, 1], { user: true }).a0).toBe(E.FAULT);
  });

  it('CONSOLE_WRITE from user mode reads through the page table', () => {
    const cpu = new Vcpu(new GuestMemory(1 << 16));
    const m32 = cpu.mem.i32;
    m32[0x1000 >> 2] = 0x2000 | PTE.V; // root[0] -> leaf at 0x2000
    m32[(0x2000 >> 2) + 5] = 0x3000 | PTE.V | PTE.R | PTE.U; // va 0x5000 -> pa 0x3000
    cpu.st[S.PTBR] = 0x1000;
    cpu.mem.u8.set([111, 107], 0x3010);
    const r = call(HC.CONSOLE_WRITE!, [0x5010, 2], { cpu, user: true });
    expect(r.a0).toBe(2);
    expect(r.m.out).toEqual([111, 107]);
  });

  it('SHUTDOWN passes the exit code (low 8 bits)', () => {
    expect(call(HC.SHUTDOWN!, [0x107]).m.shutdownCode).toBe(7);
  });

  it('VCPU_ID and VCPU_COUNT', () => {
    expect(call(HC.VCPU_ID!, []).a0).toBe(1);
    expect(call(HC.VCPU_COUNT!, []).a0).toBe(3);
  });

  it('TIME returns both halves', () => {
    const r = call(HC.TIME!, []);
    expect([r.a0, r.a1]).toEqual([5, 2]);
  });

  it('SET_TIMER arms at hi:lo and rejects a negative high word', () => {
    expect(call(HC.SET_TIMER!, [0xffffffff | 0, 1]).m.timer).toBe(2 ** 33 - 1);
    const bad = call(HC.SET_TIMER!, [0, -1]);
    expect(bad.a0).toBe(E.INVAL);
    expect(bad.m.timer).toBe(-1);
  });

  it('kernel mode is the default state of a VCPU', () => {
    expect(new Vcpu(new GuestMemory(4096)).st[S.STATUS]! & STATUS_BITS.KERNEL).toBeTruthy();
  });
});

describe('hypercalls from guest code', () => {
  it('a guest that passes garbage gets error codes and keeps running', () => {
    const r = runSource(`
      _start: li a0, HC_CONSOLE_WRITE
              li a1, 0x7ffff000
              li a2, 10
              hcall
              mv s0, a0
              li a0, 12345
              hcall
              add s0, s0, a0
              li a0, HC_SHUTDOWN
              sub a1, zero, s0
              hcall`);
    expect(r.reason).toBe('shutdown');
    expect(r.exitCode).toBe(-(E.FAULT! + E.NOSYS!));
  });

  it('the timer interrupt arrives at the deadline and wakes wfi', () => {
    const r = runSource(`
      _start: la t0, handler
              csrw CSR_TVEC, t0
              li t0, 1 << IRQ_TIMER
              csrw CSR_IMASK, t0
              li a0, HC_SET_TIMER
              li a1, 5000
              li a2, 0
              hcall
              ei
      1:      wfi
              j 1b
      handler:
              rdtime a1
              li a0, HC_SHUTDOWN
              slti a1, a1, 5000
              xori a1, a1, 1
              hcall`);
    expect(r.reason).toBe('shutdown');
    expect(r.exitCode).toBe(1);
    expect(r.virtualTime).toBeGreaterThanOrEqual(5000);
  });
});
