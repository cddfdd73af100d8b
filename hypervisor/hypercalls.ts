/**
 * Hypercall dispatch, driven by isa/hypercalls.ts. Each handler is split,
 * seL4 style, into validation (no side effects, returns an error code from
 * the table) and the action. Bad arguments give the guest an error code in
 * a0; nothing a guest passes can raise a host exception.
 */
import { CONSOLE_WRITE_MAX, E, HYPERCALLS, type HypercallInfo } from '../isa/hypercalls.ts';
import { REG } from '../isa/registers.ts';
import { ACCESS_READ } from './cpu/tlb.ts';
import { walk } from './cpu/mmu.ts';
import type { Vcpu } from './cpu/state.ts';

/** What the machine around a VCPU offers to its hypercalls. */
export interface HcMachine {
  consoleWrite(vcpu: Vcpu, bytes: Uint8Array): void;
  shutdown(vcpu: Vcpu, code: number): void;
  vcpuCount(): number;
  now(): number;
  setTimer(vcpu: Vcpu, deadline: number): void;
}

const A0 = REG.a0!;
const A1 = REG.a1!;
const A2 = REG.a2!;

interface Handler {
  validate?(cpu: Vcpu): number;
  act(cpu: Vcpu, m: HcMachine): void;
}

/** Copy len bytes at va as the VCPU would read them, or undefined if any byte is unreadable. */
export function readGuest(cpu: Vcpu, va: number, len: number): Uint8Array | undefined {
  const out = new Uint8Array(len);
  let done = 0;
  while (done < len) {
    const a = (va + done) | 0;
    const page = walk(cpu, a, ACCESS_READ, cpu.kernelMode);
    if (page < 0) return undefined;
    const n = Math.min(len - done, 4096 - (a & 4095));
    out.set(cpu.mem.u8.subarray(page + (a & 4095), page + (a & 4095) + n), done);
    done += n;
  }
  return out;
}

const HANDLERS: Record<string, Handler> = {
  CONSOLE_PUTC: { act: (c, m) => { m.consoleWrite(c, Uint8Array.of(c.reg(A1) & 0xff)); c.setReg(A0, 0); } },
  CONSOLE_WRITE: {
    validate: (c) => {
      const len = c.reg(A2);
      if (len < 0 || len > CONSOLE_WRITE_MAX) return E.INVAL!;
      return readGuest(c, c.reg(A1), len) ? E.OK! : E.FAULT!;
    },
    act: (c, m) => { m.consoleWrite(c, readGuest(c, c.reg(A1), c.reg(A2))!); c.setReg(A0, c.reg(A2)); },
  },
  SHUTDOWN: { act: (c, m) => m.shutdown(c, c.reg(A1) & 0xff) },
  VCPU_ID: { act: (c) => c.setReg(A0, c.id) },
  VCPU_COUNT: { act: (c, m) => c.setReg(A0, m.vcpuCount()) },
  TIME: { act: (c, m) => { const t = m.now(); c.setReg(A0, t % 2 ** 32); c.setReg(A1, Math.floor(t / 2 ** 32)); } },
  SET_TIMER: {
    validate: (c) => (c.reg(A2) < 0 ? E.INVAL! : E.OK!),
    act: (c, m) => { m.setTimer(c, (c.reg(A2) * 2 ** 32) + (c.reg(A1) >>> 0)); c.setReg(A0, 0); },
  },
};

const BY_NUMBER = new Map<number, HypercallInfo>(HYPERCALLS.map((h) => [h.number, h]));

/** Handle the hcall a VCPU just exited with (a0 = number). */
export function dispatchHypercall(cpu: Vcpu, m: HcMachine): void {
  const info = BY_NUMBER.get(cpu.reg(A0));
  const h = info && HANDLERS[info.name];
  if (!info || !h) { cpu.setReg(A0, E.NOSYS!); return; }
  if (!info.user && !cpu.kernelMode) { cpu.setReg(A0, E.PERM!); return; }
  const err = h.validate?.(cpu) ?? E.OK!;
  if (err !== E.OK) { cpu.setReg(A0, err); return; }
  h.act(cpu, m);
}

/** Names of table rows without a handler (a test keeps this empty). */
export function unhandledHypercalls(): string[] {
  return HYPERCALLS.filter((h) => !HANDLERS[h.name]).map((h) => h.name);
}

