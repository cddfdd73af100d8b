/**
 * The hypervisor's side of the shared info page (layout: isa/infopage.ts).
 * The hypervisor writes its fields at registration and at every scheduling
 * event that changes them; it writes only inside the page the guest
 * registered, which INFO_REGISTER checked lies in the VM's RAM.
 */
import { INFO, INFO_VERSION } from '../../isa/infopage.ts';
import { VS, type Vcpu } from '../vcpu.ts';

const hi = (v: number): number => Math.floor(v / 2 ** 32) | 0;

/** Fill every hypervisor-written field of v's freshly registered page. */
export function publishAll(v: Vcpu, now: number): void {
  if (v.info < 0) return;
  const mem = v.vm.mem;
  mem.writeWord(v.info + INFO.VERSION, INFO_VERSION);
  mem.writeWord(v.info + INFO.VCPU, v.index);
  publishRunstate(v, now);
  for (const s of v.vm.vcpus) {
    mem.u8[mem.base + v.info + INFO.PREEMPTED + s.index] = s.state === VS.RUNNABLE && s.lastRan >= 0 ? 1 : 0;
  }
}

/** Steal and running time as of `now` (at dispatch; the guest reads them while it runs). */
export function publishRunstate(v: Vcpu, now: number): void {
  if (v.info < 0) return;
  const mem = v.vm.mem;
  const steal = v.timeIn(VS.RUNNABLE, now);
  const running = v.timeIn(VS.RUNNING, now);
  mem.writeWord(v.info + INFO.STEAL_LO, steal % 2 ** 32);
  mem.writeWord(v.info + INFO.STEAL_HI, hi(steal));
  mem.writeWord(v.info + INFO.RUNNING_LO, running % 2 ** 32);
  mem.writeWord(v.info + INFO.RUNNING_HI, hi(running));
}

/**
 * Statistics only (no decision depends on it): count a preemption of v as a
 * lock-waiter preemption if its guest-written INFO_LOCK_WAIT is set, and as
 * a lock-holder preemption if INFO_LOCK_COUNT, which also counts the lock
 * being acquired, exceeds the one it may be spinning for.
 */
export function countLockPreemption(v: Vcpu): void {
  if (v.info < 0) return;
  const waiting = v.vm.mem.readWord(v.info + INFO.LOCK_WAIT) !== 0;
  if (v.vm.mem.readWord(v.info + INFO.LOCK_COUNT) > (waiting ? 1 : 0)) v.lockHolderPreemptions++;
  if (waiting) v.lockWaiterPreemptions++;
}

/** v was descheduled while runnable (true) or got a PCPU or blocked (false): tell every sibling's page. */
export function publishPreempted(v: Vcpu, preempted: boolean): void {
  const flag = preempted ? 1 : 0;
  for (const s of v.vm.vcpus) {
    if (s.info >= 0) s.vm.mem.u8[s.vm.mem.base + s.info + INFO.PREEMPTED + v.index] = flag;
  }
}
