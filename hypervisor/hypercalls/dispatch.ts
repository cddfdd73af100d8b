/**
 * Hypercall dispatch, driven by isa/hypercalls.ts. Each handler is split,
 * seL4 style, into validation (no side effects, returns an error code from
 * the table) and the action. Bad arguments give the guest an error code in
 * a0; nothing a guest passes can raise a host exception.
 */
import { CONSOLE_WRITE_MAX, E, HYPERCALLS, STATS, type HypercallInfo } from '../../isa/hypercalls.ts';
import { KERNEL_BASE, PAGE_SIZE } from '../../isa/memory.ts';
import { IRQ } from '../../isa/traps.ts';
import { REG } from '../../isa/registers.ts';
import { ACCESS_READ, walk, tlbFlushAll, type CpuState } from '../cpu/index.ts';
import type { HypercallHost } from './host.ts';
import { VS, type Vcpu } from '../vcpu.ts';
import { publishAll } from './infopage.ts';
import { ipcCall, ipcRecv, ipcSend, validTimeout } from './ipc.ts';
import { grantCreate, grantMap, grantRevoke, validateGrant, validateGrantMap } from './grants.ts';

const A0 = REG.a0!;
const A1 = REG.a1!;
const A2 = REG.a2!;
const A3 = REG.a3!;
const A4 = REG.a4!;

interface Handler {
  validate?(v: Vcpu, hv: HypercallHost): number;
  act(v: Vcpu, hv: HypercallHost): void;
}

/** Copy len bytes at va as the VCPU would read them, or undefined if any byte is unreadable. */
function readGuest(cpu: CpuState, va: number, len: number): Uint8Array | undefined {
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

const arg = (v: Vcpu, r: number): number => v.cpu.reg(r);
const ret = (v: Vcpu, a0: number, a1?: number): void => {
  v.cpu.setReg(A0, a0);
  if (a1 !== undefined) v.cpu.setReg(A1, a1);
};
const ret64 = (v: Vcpu, x: number): void => ret(v, x % 2 ** 32, Math.floor(x / 2 ** 32));
/** A sibling VCPU by index, or undefined. */
const sibling = (v: Vcpu, i: number): Vcpu | undefined => v.vm.vcpus[i];
/** Is a a page-aligned kernel address of a whole page of the VM's RAM? */
const ramPage = (v: Vcpu, a: number): boolean => {
  const pa = (a >>> 0) - KERNEL_BASE;
  return (a & (PAGE_SIZE - 1)) === 0 && pa >= 0 && pa + PAGE_SIZE <= v.vm.mem.size;
};

/** Hand bytes to the VM's console; the VCPU waits, blocked (its PCPU free for others), until the device is done. */
function consoleOut(v: Vcpu, hv: HypercallHost, bytes: Uint8Array): void {
  v.vm.console.write(bytes);
  const done = v.vm.console.transfer(bytes.length, hv.now());
  if (done <= hv.now()) return;
  hv.block(v, 'console');
  hv.at(done, () => { if (v.blockReason === 'console') hv.wake(v); });
}

const STAT_READERS: readonly ((v: Vcpu, now: number) => number)[] = STATS.map((s) => {
  switch (s.name) {
    case 'RUNNING': return (v, now) => v.timeIn(VS.RUNNING, now);
    case 'RUNNABLE': return (v, now) => v.timeIn(VS.RUNNABLE, now);
    case 'BLOCKED': return (v, now) => v.timeIn(VS.BLOCKED, now);
    case 'PREEMPTIONS': return (v) => v.preemptions;
    case 'MIGRATIONS': return (v) => v.migrations;
    case 'INSTRUCTIONS': return (v) => v.cpu.instret;
    case 'HYPERCALLS': return (v) => v.hypercalls;
  }
  throw new Error(`STAT selector ${(s as { name: string }).name} has no reader`);
});

const HANDLERS: Record<string, Handler> = {
  CONSOLE_PUTC: { act: (v, hv) => { ret(v, 0); consoleOut(v, hv, Uint8Array.of(arg(v, A1) & 0xff)); } },
  CONSOLE_WRITE: {
    validate: (v) => {
      const len = arg(v, A2);
      if (len < 0 || len > CONSOLE_WRITE_MAX) return E.INVAL;
      return readGuest(v.cpu, arg(v, A1), len) ? E.OK : E.FAULT;
    },
    act: (v, hv) => {
      const bytes = readGuest(v.cpu, arg(v, A1), arg(v, A2))!;
      ret(v, bytes.length);
      consoleOut(v, hv, bytes);
    },
  },
  SHUTDOWN: { act: (v, hv) => hv.stopVm(v.vm, 'shutdown', arg(v, A1) & 0xff) },
  VCPU_ID: { act: (v) => ret(v, v.index) },
  VCPU_COUNT: { act: (v) => ret(v, v.vm.vcpus.length) },
  TIME: { act: (v, hv) => ret64(v, hv.now()) },
  SET_TIMER: {
    // Deadlines stay below 2^53 so that virtual time remains an exact double.
    validate: (v) => (arg(v, A2) < 0 || arg(v, A2) >= 2 ** 21 ? E.INVAL : E.OK),
    act: (v) => { ret(v, 0); v.vm.timer.arm(v.index, arg(v, A2) * 2 ** 32 + (arg(v, A1) >>> 0)); },
  },
  VCPU_START: {
    validate: (v) => {
      const t = sibling(v, arg(v, A1));
      if (!t) return E.NOENT;
      if (t.state !== VS.OFFLINE) return E.STATE;
      const pa = (arg(v, A2) >>> 0) - KERNEL_BASE;
      return (pa & 3) !== 0 || pa < 0 || pa >= v.vm.mem.size ? E.INVAL : E.OK;
    },
    act: (v, hv) => {
      const t = sibling(v, arg(v, A1))!;
      t.cpu.pc = arg(v, A2);
      t.cpu.setReg(REG.sp!, arg(v, A3));
      t.cpu.setReg(A0, arg(v, A4));
      ret(v, 0);
      hv.startVcpu(t);
    },
  },
  IPI: {
    validate: (v) => {
      const t = sibling(v, arg(v, A1));
      return !t ? E.NOENT : t.state === VS.OFFLINE ? E.STATE : E.OK;
    },
    act: (v, hv) => { ret(v, 0); hv.raiseIrq(sibling(v, arg(v, A1))!, IRQ.IPI!, `ipi from ${v.name}`); },
  },
  YIELD: {
    validate: (v) => (arg(v, A1) === -1 || sibling(v, arg(v, A1)) ? E.OK : E.NOENT),
    act: (v, hv) => { ret(v, 0); hv.yieldCpu(v, arg(v, A1) === -1 ? undefined : sibling(v, arg(v, A1))); },
  },
  BLOCK: { act: (v, hv) => { ret(v, 0); if (!v.cpu.wakeable) hv.block(v, 'block'); } },
  INFO_REGISTER: {
    validate: (v) => (arg(v, A1) === 0 || ramPage(v, arg(v, A1)) ? E.OK : E.INVAL),
    act: (v, hv) => {
      v.info = arg(v, A1) === 0 ? -1 : (arg(v, A1) >>> 0) - KERNEL_BASE;
      publishAll(v, hv.now());
      ret(v, 0);
    },
  },
  TLB_FLUSH: {
    validate: (v) => {
      const n = v.vm.vcpus.length;
      const all = n >= 32 ? -1 : (1 << n) - 1;
      return (arg(v, A1) & ~all) !== 0 ? E.NOENT : E.OK;
    },
    act: (v) => {
      for (const s of v.vm.vcpus) if ((arg(v, A1) >>> s.index) & 1) tlbFlushAll(s.cpu.tlb);
      ret(v, 0);
    },
  },
  STAT: {
    validate: (v) => (STAT_READERS[arg(v, A1)] ? E.OK : E.INVAL),
    act: (v, hv) => ret64(v, STAT_READERS[arg(v, A1)]!(v, hv.now())),
  },
  DEBUG_MARK: {
    act: (v, hv) => {
      v.vm.debugMarks++;
      hv.tracer?.instant(v, 'mark', hv.now(), { value: arg(v, A1) });
      ret(v, 0);
    },
  },
  IPC_SEND: {
    validate: (v, hv) => (!hv.runningVm(arg(v, A1)) ? E.NOENT : validTimeout(arg(v, A2)) ? E.OK : E.INVAL),
    act: (v, hv) => ipcSend(hv, v),
  },
  IPC_RECV: {
    validate: (v, hv) => (arg(v, A1) !== -1 && !hv.runningVm(arg(v, A1)) ? E.NOENT : validTimeout(arg(v, A2)) ? E.OK : E.INVAL),
    act: (v, hv) => ipcRecv(hv, v),
  },
  IPC_CALL: {
    validate: (v, hv) => (!hv.runningVm(arg(v, A1)) ? E.NOENT : validTimeout(arg(v, A2)) ? E.OK : E.INVAL),
    act: (v, hv) => ipcCall(hv, v),
  },
  GRANT: { validate: (v, hv) => validateGrant(hv, v), act: (v, hv) => grantCreate(hv, v) },
  GRANT_MAP: { validate: (v, hv) => validateGrantMap(hv, v), act: (v, hv) => grantMap(hv, v) },
  GRANT_REVOKE: {
    validate: (v) => (v.vm.grants.has(arg(v, A1)) ? E.OK : E.NOENT),
    act: (v, hv) => { grantRevoke(hv, v.vm, arg(v, A1)); ret(v, 0); },
  },
  VM_ID: { act: (v) => ret(v, v.vm.id) },
  PV_WAIT: {
    validate: (v) => {
      const pa = (arg(v, A1) >>> 0) - KERNEL_BASE;
      return (pa & 3) !== 0 || pa < 0 || pa + 4 > v.vm.mem.size ? E.INVAL : E.OK;
    },
    act: (v, hv) => {
      ret(v, 0);
      const word = v.vm.mem.readWord((arg(v, A1) >>> 0) - KERNEL_BASE);
      if (v.kicked || word !== arg(v, A2)) { v.kicked = false; return; }
      hv.block(v, 'pvwait');
    },
  },
  NET_SETUP: {
    validate: (v) => (!v.vm.net ? E.NOSYS : !ramPage(v, arg(v, A1)) ? E.INVAL : v.vm.net.ready ? E.STATE : E.OK),
    act: (v) => { ret(v, 0); v.vm.net!.setup((arg(v, A1) >>> 0) - KERNEL_BASE); },
  },
  NET_NOTIFY: {
    validate: (v) => (!v.vm.net ? E.NOSYS : !v.vm.net.ready ? E.STATE : E.OK),
    act: (v) => ret(v, v.vm.net!.notify()),
  },
  PV_KICK: {
    validate: (v) => (sibling(v, arg(v, A1)) ? E.OK : E.NOENT),
    act: (v, hv) => {
      ret(v, 0);
      const t = sibling(v, arg(v, A1))!;
      if (t.state === VS.BLOCKED && t.blockReason === 'pvwait') hv.wake(t);
      else t.kicked = true;
    },
  },
};

const BY_NUMBER = new Map<number, HypercallInfo>(HYPERCALLS.map((h) => [h.number, h]));

/** Handle the hcall v just exited with (a0 = number). */
export function dispatchHypercall(v: Vcpu, hv: HypercallHost): void {
  const info = BY_NUMBER.get(v.cpu.reg(A0));
  const h = info && HANDLERS[info.name];
  if (!info || !h) { ret(v, E.NOSYS); return; }
  if (!info.user && !v.cpu.kernelMode) { ret(v, E.PERM); return; }
  const err = h.validate?.(v, hv) ?? E.OK;
  if (err !== E.OK) { ret(v, err); return; }
  h.act(v, hv);
}

/** Names of table rows without a handler (a test keeps this empty). */
export function unhandledHypercalls(): string[] {
  return HYPERCALLS.filter((h) => !HANDLERS[h.name]).map((h) => h.name);
}
