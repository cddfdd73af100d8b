/**
 * Synchronous IPC between VMs, L4 style: a message of three words in
 * registers (a3..a5), rendezvous between a sender and a receiver, blocking
 * with a timeout in microseconds of virtual time (-1 forever, 0 never).
 *
 * Each VM is an endpoint: VCPUs of other VMs queue on it to send (FIFO), its
 * own VCPUs queue on it to receive. IPC_CALL is a send followed, atomically,
 * by a receive from the same VM, so a server's reply (an IPC_SEND back to
 * the caller) can never be missed. A wait begun in kernel mode is not ended
 * by interrupts (its timeout or its partner ends it); a wait begun in user
 * mode is ended with E_INTR by any interrupt the guest kernel has enabled in
 * IMASK, so a user process cannot keep a VCPU from its kernel by waiting
 * forever. An interrupted IPC_CALL may have delivered its request: the reply
 * is then lost (the caller cannot tell, as with a timeout).
 */
import { CYCLES_PER_US } from '../../isa/clock.ts';
import { E } from '../../isa/hypercalls.ts';
import { REG } from '../../isa/registers.ts';
import type { HypercallHost } from './host.ts';
import { VS, type IpcWait, type Vcpu } from '../vcpu.ts';
import type { Vm } from '../vm.ts';

const A0 = REG.a0;
const A1 = REG.a1;
const A2 = REG.a2;
const MSG = [REG.a3, REG.a4, REG.a5] as const;

export const validTimeout = (t: number): boolean => t >= -1;

const message = (v: Vcpu): [number, number, number] => [v.cpu.reg(MSG[0]), v.cpu.reg(MSG[1]), v.cpu.reg(MSG[2])];

/** Complete a receive on r: a0 = 0, a1 = sender VM, a3..a5 = message. */
function deliver(r: Vcpu, from: Vm, msg: readonly number[]): void {
  r.cpu.setReg(A0, 0);
  r.cpu.setReg(A1, from.id);
  MSG.forEach((reg, i) => r.cpu.setReg(reg, msg[i]!));
}

function remove(q: Vcpu[], v: Vcpu): void {
  const i = q.indexOf(v);
  if (i >= 0) q.splice(i, 1);
}

/** Finish v's IPC wait with result a0 and wake it. */
function finish(hv: HypercallHost, v: Vcpu, a0?: number): void {
  hv.cancel(v.ipc?.timeout);
  v.ipc = undefined;
  if (a0 !== undefined) v.cpu.setReg(A0, a0);
  hv.wake(v);
}

/** Block v in IPC, with a timeout (us; -1 none) that fails the wait with E_TIMEOUT. */
function wait(hv: HypercallHost, v: Vcpu, w: Omit<IpcWait, 'timeout' | 'user'>, timeoutUs: number, deadline?: number): void {
  const user = !v.cpu.kernelMode;
  // An interrupt already pending for the kernel ends a user-mode wait before it starts.
  if (user && v.cpu.wakeable) { v.cpu.setReg(A0, E.INTR); return; }
  const at = deadline ?? (timeoutUs < 0 ? Infinity : hv.now() + timeoutUs * CYCLES_PER_US);
  v.ipc = { ...w, timeout: undefined, user };
  if (at !== Infinity) v.ipc.timeout = hv.at(at, () => timedOut(hv, v));
  v.ipc.deadline = at;
  (w.kind === 'recv' ? v.vm.receivers : hv.vms[w.peer]!.senders).push(v);
  hv.block(v, 'ipc');
}

/** End v's wait with a0 (E_TIMEOUT, E_INTR): it leaves the queue it waits in. */
function abandon(hv: HypercallHost, v: Vcpu, a0: number): void {
  const w = v.ipc;
  if (!w) return;
  remove(w.kind === 'recv' ? v.vm.receivers : hv.vms[w.peer]!.senders, v);
  finish(hv, v, a0);
}

function timedOut(hv: HypercallHost, v: Vcpu): void {
  if (v.ipc) v.ipc.timeout = undefined;
  abandon(hv, v, E.TIMEOUT);
}

/** An interrupt enabled in v's IMASK is pending: a wait begun in user mode ends with E_INTR. */
export function ipcInterrupt(hv: HypercallHost, v: Vcpu): void {
  if (v.ipc?.user && v.cpu.wakeable) abandon(hv, v, E.INTR);
}

/** A VCPU of `to` waiting to receive from `from` (or from anyone). */
function findReceiver(to: Vm, from: Vm): Vcpu | undefined {
  return to.receivers.find((r) => r.ipc!.peer === -1 || r.ipc!.peer === from.id);
}

/** Hand msg from VM `from` to a waiting receiver r. */
function handOver(hv: HypercallHost, r: Vcpu, from: Vm, msg: readonly number[]): void {
  remove(r.vm.receivers, r);
  deliver(r, from, msg);
  finish(hv, r);
}

/** After a send from v (kind send or call) was taken: a send completes, a call waits for the reply. */
function afterSend(hv: HypercallHost, v: Vcpu, kind: 'send' | 'call', dest: number, timeoutUs: number, deadline?: number): void {
  if (kind === 'send') {
    if (v.state === VS.BLOCKED) finish(hv, v, 0);
    else v.cpu.setReg(A0, 0);
    return;
  }
  hv.cancel(v.ipc?.timeout);
  const running = v.state !== VS.BLOCKED;
  if (running) { wait(hv, v, { kind: 'recv', peer: dest, msg: [0, 0, 0] }, timeoutUs, deadline); return; }
  // Already blocked (queued as a caller): keep waiting, now for the reply, with the same deadline.
  const at = v.ipc!.deadline ?? Infinity;
  v.ipc = { kind: 'recv', peer: dest, msg: [0, 0, 0], timeout: undefined, deadline: at, user: v.ipc!.user };
  if (at !== Infinity) v.ipc.timeout = hv.at(at, () => timedOut(hv, v));
  v.vm.receivers.push(v);
}

function send(hv: HypercallHost, v: Vcpu, kind: 'send' | 'call'): void {
  const dest = hv.vms[v.cpu.reg(A1)]!;
  const timeoutUs = v.cpu.reg(A2);
  const msg = message(v);
  const r = findReceiver(dest, v.vm);
  if (r) {
    handOver(hv, r, v.vm, msg);
    afterSend(hv, v, kind, dest.id, timeoutUs);
    return;
  }
  if (timeoutUs === 0) { v.cpu.setReg(A0, E.TIMEOUT); return; }
  wait(hv, v, { kind, peer: dest.id, msg }, timeoutUs);
}

export function ipcSend(hv: HypercallHost, v: Vcpu): void { send(hv, v, 'send'); }
export function ipcCall(hv: HypercallHost, v: Vcpu): void { send(hv, v, 'call'); }

export function ipcRecv(hv: HypercallHost, v: Vcpu): void {
  const from = v.cpu.reg(A1);
  const timeoutUs = v.cpu.reg(A2);
  const s = v.vm.senders.find((x) => from === -1 || x.vm.id === from);
  if (s) {
    remove(v.vm.senders, s);
    deliver(v, s.vm, s.ipc!.msg);
    afterSend(hv, s, s.ipc!.kind as 'send' | 'call', v.vm.id, -1);
    return;
  }
  if (timeoutUs === 0) { v.cpu.setReg(A0, E.TIMEOUT); return; }
  wait(hv, v, { kind: 'recv', peer: from, msg: [0, 0, 0] }, timeoutUs);
}

/** VM `gone` stopped: its own waits vanish; whoever waits on it gets E_NOENT. */
export function ipcVmStopped(hv: HypercallHost, gone: Vm): void {
  for (const v of gone.vcpus) {
    if (v.ipc) { hv.cancel(v.ipc.timeout); if (v.ipc.kind !== 'recv') remove(hv.vms[v.ipc.peer]!.senders, v); v.ipc = undefined; }
  }
  gone.receivers.length = 0;
  for (const s of gone.senders.splice(0)) finish(hv, s, E.NOENT);
  for (const vm of hv.vms) {
    for (const r of vm.receivers.filter((x) => x.ipc!.peer === gone.id)) {
      remove(vm.receivers, r);
      finish(hv, r, E.NOENT);
    }
  }
}
