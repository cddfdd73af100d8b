/**
 * The per-VCPU shared info page (like Xen's vcpu_info or KVM's steal-time
 * area): a page of guest memory the guest registers with INFO_REGISTER, read
 * and written without hypercalls. Each field is written by one side only.
 * The assembler predefines INFO_<NAME> as the field's byte offset, so guest
 * code writes `lw t0, INFO_STEAL_LO(s1)`.
 */
import { byName } from './table.ts';
import { MAX_VCPUS } from './hypercalls.ts';

export interface InfoField {
  readonly name: string;
  readonly offset: number;
  readonly bytes: number;
  readonly writer: 'guest' | 'hypervisor';
  readonly summary: string;
}

export const INFO_VERSION = 1;

export const INFO_FIELDS = [
  { name: 'VERSION', offset: 0x00, bytes: 4, writer: 'hypervisor', summary: `layout version (${INFO_VERSION}), written at registration` },
  { name: 'VCPU', offset: 0x04, bytes: 4, writer: 'hypervisor', summary: 'index of the VCPU this page belongs to' },
  { name: 'LOCK_COUNT', offset: 0x08, bytes: 4, writer: 'guest', summary: 'spinlocks this VCPU holds or is acquiring (incremented before the attempt); nonzero asks the hypervisor to delay preemption' },
  { name: 'PREEMPT_PENDING', offset: 0x0c, bytes: 4, writer: 'hypervisor', summary: 'nonzero: a preemption was delayed; yield (HC_YIELD) once LOCK_COUNT drops to 0' },
  { name: 'BALLOON_TARGET', offset: 0x10, bytes: 4, writer: 'hypervisor', summary: 'balloon threads the hypervisor wants on this VCPU (changes come with IRQ_HV)' },
  { name: 'STEAL_LO', offset: 0x18, bytes: 4, writer: 'hypervisor', summary: 'cycles runnable but not running (steal time), low word; updated whenever the VCPU is scheduled' },
  { name: 'STEAL_HI', offset: 0x1c, bytes: 4, writer: 'hypervisor', summary: 'steal time, high word' },
  { name: 'RUNNING_LO', offset: 0x20, bytes: 4, writer: 'hypervisor', summary: 'cycles run up to the last time the VCPU was scheduled, low word' },
  { name: 'RUNNING_HI', offset: 0x24, bytes: 4, writer: 'hypervisor', summary: 'running time, high word' },
  { name: 'WORK_THREADS', offset: 0x28, bytes: 4, writer: 'guest', summary: 'runnable threads on this VCPU that do real work (balloon threads excluded); time ballooning reads it to size balloon targets' },
  { name: 'LOCK_WAIT', offset: 0x2c, bytes: 4, writer: 'guest', summary: 'nonzero while this VCPU spins for a spinlock; read only for statistics (lock-waiter preemptions)' },
  { name: 'PREEMPTED', offset: 0x40, bytes: MAX_VCPUS, writer: 'hypervisor', summary: 'one byte per VCPU of the VM: 1 while that VCPU, after running, waits for a PCPU again (preempted, or yielded); 0 while it runs, blocks, or has not run yet (vcpu_is_preempted)' },
] as const satisfies readonly InfoField[];

export const INFO = byName(INFO_FIELDS, 'name', 'offset');
/** Bytes of the page the layout uses (the rest of the 4 KiB page is free for the guest). */
export const INFO_USED_BYTES = Math.max(...INFO_FIELDS.map((f) => f.offset + f.bytes));

export const INFO_PAGE_NOTE = 'Registered per VCPU with HC_INFO_REGISTER (a page-aligned kernel address). '
  + 'Fields are little-endian words, except PREEMPTED, one byte per VCPU. Times are in cycles. '
  + 'The hypervisor writes its fields at registration and whenever it schedules, preempts or deschedules a VCPU; '
  + 'it never reads guest fields except where a preemption strategy says so.';
