/**
 * The hypercall table, seL4 style: one row per call with its number,
 * arguments, result, every error and the condition that raises it, and
 * whether user mode may call it. Guest code writes `li a0, HC_CONSOLE_WRITE`
 * (the assembler predefines HC_<NAME> and E_<NAME>); handlers validate first
 * (no side effects) and then act. The calling convention, and what a call
 * that is not allowed or does not exist returns, is HYPERCALL_CONVENTION.
 * A device's time per byte (CONSOLE_CYCLES_PER_BYTE) is declared here too.
 */
import { byName } from './table.ts';
import { OPCODE_BY_MNEMONIC } from './opcodes.ts';

export const HYPERCALL_CONVENTION = '`hcall` with a0 = number, a1..a5 = arguments; the result comes back in a0 '
  + '(negative = error code), a1 may carry a second result. A call from user mode that is not user-allowed returns '
  + 'E_PERM; an unknown number returns E_NOSYS. On an error (or an IPC timeout) only a0 changes. When several '
  + 'conditions fail at once, the first error listed in the row is returned. An IPC wait begun in user mode ends with '
  + 'E_INTR as soon as an interrupt line enabled in IMASK is pending (at once, if one already is), so a user process '
  + 'cannot keep its VCPU from the guest kernel; a wait begun in kernel mode ignores interrupts.';

export interface HcError {
  readonly error: string;
  readonly when: string;
}

export interface HypercallInfo {
  readonly name: string;
  readonly number: number;
  readonly args: readonly string[];
  readonly result: string;
  readonly errors: readonly HcError[];
  readonly user: boolean;
  readonly summary: string;
}

export const ERRORS = [
  { name: 'OK', code: 0, summary: 'success' },
  { name: 'PERM', code: -1, summary: 'not allowed from the calling mode' },
  { name: 'NOSYS', code: -2, summary: 'no such hypercall (or not available on this machine)' },
  { name: 'INVAL', code: -3, summary: 'an argument is out of range' },
  { name: 'FAULT', code: -4, summary: 'a guest buffer is not readable (or writable) by the caller' },
  { name: 'TIMEOUT', code: -5, summary: 'an IPC timed out (or would block, with timeout 0)' },
  { name: 'STATE', code: -6, summary: 'the object is in the wrong state (VCPU already started, or not started)' },
  { name: 'NOENT', code: -7, summary: 'no such VM, VCPU or grant' },
  { name: 'NOSPACE', code: -8, summary: 'a table is full or a range is taken (grant table, grant window)' },
  { name: 'INTR', code: -9, summary: 'a user-mode IPC wait was ended by an interrupt of the guest kernel' },
] as const;

/** Largest number of VCPUs a VM may have (the info page keeps one preempted byte per VCPU; TLB_FLUSH takes a mask). */
export const MAX_VCPUS = 32;
/** Longest IPC timeout in microseconds of virtual time; -1 waits forever, 0 never blocks. */
export const IPC_FOREVER = -1;
/** Grants one VM may have outstanding. */
export const MAX_GRANTS = 64;
/** GRANT flag: the receiver may write the pages (else read-only). */
export const GRANT_WRITE = 1;

/** Selectors of the STAT hypercall: per-VCPU accounting the guest can read about itself. */
export const STATS = [
  { name: 'RUNNING', selector: 0, summary: 'cycles this VCPU has run' },
  { name: 'RUNNABLE', selector: 1, summary: 'cycles runnable but not running (steal time)' },
  { name: 'BLOCKED', selector: 2, summary: 'cycles blocked (wfi, BLOCK, IPC, console)' },
  { name: 'PREEMPTIONS', selector: 3, summary: 'times the hypervisor took the PCPU away while runnable' },
  { name: 'MIGRATIONS', selector: 4, summary: 'times the VCPU moved to another PCPU' },
  { name: 'INSTRUCTIONS', selector: 5, summary: 'instructions executed' },
  { name: 'HYPERCALLS', selector: 6, summary: 'hypercalls made' },
] as const;

/** Longest CONSOLE_WRITE, in bytes. */
export const CONSOLE_WRITE_MAX = 65536;

const cost = (mnemonic: string): number => OPCODE_BY_MNEMONIC.get(mnemonic)!.cost;
/**
 * Virtual cycles the console takes per byte. The model is Xen's paravirtual console: the guest copies each byte
 * into a 2 KiB shared ring (Linux drivers/tty/hvc/hvc_xen.c, __write_console: `intf->out[MASK_XENCONS_IDX(prod++,
 * intf->out)] = data[sent++]`) and xenconsoled copies it out again, so a byte costs two byte copies, each a byte
 * load and a byte store at this ISA's own costs: 2 x (lbu + sb) = 8 cycles, 12.5 MB per second of virtual time.
 */
export const CONSOLE_CYCLES_PER_BYTE = 2 * (cost('lbu') + cost('sb'));
/** How the console charges a write (CONSOLE_PUTC and CONSOLE_WRITE rows, docs/hypervisor.md). */
const CONSOLE_TIME = 'the VCPU then blocks until the console has moved the bytes, CONSOLE_CYCLES_PER_BYTE each, after any '
  + 'earlier write of the VM (one console per VM, one write at a time); interrupts do not end the wait';

export const E = byName(ERRORS, 'name', 'code');

export const HYPERCALLS = [
  {
    name: 'CONSOLE_PUTC', number: 1, args: ['ch'], result: '0', user: true,
    errors: [], summary: `write the byte ch (low 8 bits) to the VM console; ${CONSOLE_TIME}`,
  },
  {
    name: 'CONSOLE_WRITE', number: 2, args: ['addr', 'len'], result: 'len',
    user: true,
    errors: [
      { error: 'INVAL', when: `len < 0 or len > ${CONSOLE_WRITE_MAX}` },
      { error: 'FAULT', when: 'some byte of the buffer is not readable by the caller (unmapped, beyond memory, or kernel memory from user mode)' },
    ],
    summary: `write len bytes at virtual address addr to the VM console; ${CONSOLE_TIME}`,
  },
  {
    name: 'SHUTDOWN', number: 3, args: ['code'], result: 'does not return', user: false,
    errors: [], summary: 'stop the whole VM (every VCPU) with exit code `code` (0..255)',
  },
  {
    name: 'VCPU_ID', number: 4, args: [], result: 'index of the calling VCPU', user: true,
    errors: [], summary: "the calling VCPU's index within its VM",
  },
  {
    name: 'VCPU_COUNT', number: 5, args: [], result: 'number of VCPUs of the VM', user: true,
    errors: [], summary: 'how many VCPUs the VM has',
  },
  {
    name: 'TIME', number: 6, args: [], result: 'a0 = low, a1 = high 32 bits of virtual time', user: true,
    errors: [], summary: 'global virtual time in cycles',
  },
  {
    name: 'SET_TIMER', number: 7, args: ['lo', 'hi'], result: '0', user: false,
    errors: [{ error: 'INVAL', when: 'hi < 0 or hi >= 2^21: the deadline must be below 2^53 cycles (about 1,000 days of virtual time)' }],
    summary: 'arm the one-shot timer: raise IRQ_TIMER when virtual time reaches hi:lo; 0:0 disarms',
  },
  {
    name: 'VCPU_START', number: 8, args: ['vcpu', 'entry', 'sp', 'arg'], result: '0', user: false,
    errors: [
      { error: 'NOENT', when: 'vcpu is not an index of a VCPU of this VM' },
      { error: 'STATE', when: 'that VCPU has already been started' },
      { error: 'INVAL', when: 'entry is not 4-aligned, or not a kernel-segment address inside the VM\'s memory' },
    ],
    summary: 'start a secondary VCPU in kernel mode, interrupts off, at entry with sp and a0 = arg',
  },
  {
    name: 'IPI', number: 9, args: ['vcpu'], result: '0', user: false,
    errors: [
      { error: 'NOENT', when: 'vcpu is not an index of a VCPU of this VM' },
      { error: 'STATE', when: 'that VCPU has not been started' },
    ],
    summary: 'raise IRQ_IPI on another (or the same) VCPU of this VM, waking it if it is blocked',
  },
  {
    name: 'YIELD', number: 10, args: ['vcpu'], result: '0', user: true,
    errors: [{ error: 'NOENT', when: 'vcpu is neither -1 nor an index of a VCPU of this VM' }],
    summary: 'give up the rest of the time slice; vcpu = -1, or a sibling to run instead if it is runnable (directed yield)',
  },
  {
    name: 'BLOCK', number: 11, args: [], result: '0 once woken', user: false,
    errors: [],
    summary: 'block until a line in IMASK is pending (regardless of STATUS.IE), using no time; returns at once if one is',
  },
  {
    name: 'INFO_REGISTER', number: 12, args: ['addr'], result: '0', user: false,
    errors: [{ error: 'INVAL', when: 'addr is neither 0 nor a page-aligned kernel-segment address of a page inside the VM\'s memory' }],
    summary: "register this VCPU's shared info page at kernel address addr (0 unregisters); the hypervisor fills its fields at once",
  },
  {
    name: 'TLB_FLUSH', number: 13, args: ['mask'], result: '0', user: false,
    errors: [{ error: 'NOENT', when: 'mask has a bit set for a VCPU the VM does not have' }],
    summary: 'flush the TLBs of the VCPUs in mask (bit i = VCPU i) of this VM: a TLB shootdown without IPIs',
  },
  {
    name: 'STAT', number: 14, args: ['selector'], result: 'a0 = low, a1 = high 32 bits of the counter', user: true,
    errors: [{ error: 'INVAL', when: 'selector is not a STAT_* value' }],
    summary: "read one of this VCPU's scheduling counters (STAT_RUNNING, STAT_RUNNABLE, ...)",
  },
  {
    name: 'DEBUG_MARK', number: 15, args: ['value'], result: '0', user: true,
    errors: [],
    summary: 'record an instant event with value in the --trace file (and count it in --stats): guest-side tracing',
  },
  {
    name: 'IPC_SEND', number: 16, args: ['vm', 'timeout_us', 'm0', 'm1', 'm2'], result: '0', user: true,
    errors: [
      { error: 'NOENT', when: 'vm is not a running VM' },
      { error: 'INVAL', when: 'timeout_us < -1' },
      { error: 'TIMEOUT', when: 'no VCPU of vm received the message within timeout_us (at once, for 0)' },
      { error: 'INTR', when: 'called from user mode, and an interrupt enabled in IMASK became pending before a VCPU of vm received the message' },
    ],
    summary: 'synchronous send of three words to VM vm: blocks until a VCPU there receives it; -1 waits forever',
  },
  {
    name: 'IPC_RECV', number: 17, args: ['from', 'timeout_us'], result: 'a0 = 0, a1 = sender VM, a3..a5 = message', user: true,
    errors: [
      { error: 'NOENT', when: 'from is neither -1 (any) nor a running VM' },
      { error: 'INVAL', when: 'timeout_us < -1' },
      { error: 'TIMEOUT', when: 'no message arrived within timeout_us' },
      { error: 'INTR', when: 'called from user mode, and an interrupt enabled in IMASK became pending before a message arrived' },
    ],
    summary: 'receive a message from VM from (or any VM, -1): blocks until one is sent',
  },
  {
    name: 'IPC_CALL', number: 18, args: ['vm', 'timeout_us', 'm0', 'm1', 'm2'], result: 'as IPC_RECV: the reply from vm', user: true,
    errors: [
      { error: 'NOENT', when: 'vm is not a running VM (or stopped before replying)' },
      { error: 'INVAL', when: 'timeout_us < -1' },
      { error: 'TIMEOUT', when: 'the send and the reply together took longer than timeout_us' },
      { error: 'INTR', when: 'called from user mode, and an interrupt enabled in IMASK became pending before the reply arrived (the request may have been delivered, its reply is then lost)' },
    ],
    summary: 'send to vm and wait for its reply in one step, so the reply cannot be missed: the server replies with IPC_SEND',
  },
  {
    name: 'GRANT', number: 19, args: ['vm', 'addr', 'pages', 'flags'], result: 'grant id (>= 0)', user: false,
    errors: [
      { error: 'NOENT', when: 'vm is not a running VM other than the caller\'s' },
      { error: 'INVAL', when: 'addr is not a page-aligned kernel address, pages < 1, the range leaves the VM\'s memory, or flags has bits other than GRANT_WRITE' },
      { error: 'NOSPACE', when: `the VM already has ${MAX_GRANTS} grants` },
    ],
    summary: 'offer pages of this VM\'s memory to VM vm (read-only, or writable with GRANT_WRITE); send it the id by IPC',
  },
  {
    name: 'GRANT_MAP', number: 20, args: ['vm', 'grant', 'addr'], result: '0', user: false,
    errors: [
      { error: 'NOENT', when: 'VM vm has no grant with that id for the caller\'s VM' },
      { error: 'STATE', when: 'the grant is already mapped' },
      { error: 'INVAL', when: 'addr is not a page-aligned address inside the grant window (GRANT_WINDOW)' },
      { error: 'NOSPACE', when: 'part of the range is already mapped' },
    ],
    summary: 'map a grant of VM vm at kernel address addr in the grant window; accesses reach the granter\'s memory',
  },
  {
    name: 'GRANT_REVOKE', number: 21, args: ['grant'], result: '0', user: false,
    errors: [{ error: 'NOENT', when: 'the caller\'s VM has no grant with that id' }],
    summary: 'withdraw a grant: the receiver\'s mapping disappears (its TLBs are flushed); later accesses fault there',
  },
  {
    name: 'PV_WAIT', number: 23, args: ['addr', 'val'], result: '0 (also on a spurious wake-up: re-check the lock)', user: false,
    errors: [{ error: 'INVAL', when: 'addr is not a 4-aligned kernel-segment address inside the VM\'s memory' }],
    summary: 'paravirtual spinlock wait (Linux pv_wait): block while the word at addr equals val, until HC_PV_KICK (interrupts do not end it: a kernel that polls interrupts would return at once); returns at once if a kick is pending',
  },
  {
    name: 'PV_KICK', number: 24, args: ['vcpu'], result: '0', user: false,
    errors: [{ error: 'NOENT', when: 'vcpu is not an index of a VCPU of this VM' }],
    summary: 'wake a sibling blocked in HC_PV_WAIT (Linux pv_kick); if it is not waiting, its next HC_PV_WAIT returns at once',
  },
  {
    name: 'NET_SETUP', number: 25, args: ['area'], result: '0', user: false,
    errors: [
      { error: 'NOSYS', when: 'the VM has no network device (no `net` in its configuration)' },
      { error: 'INVAL', when: 'area is not a page-aligned kernel-segment address of a page inside the VM\'s memory' },
      { error: 'STATE', when: 'the network device is already set up' },
    ],
    summary: 'register the VM\'s network area (NET_*) at kernel address area: the device writes FILES and FILE_SIZES, zeroes the four ring counters and starts its load generator, whose requests arrive in the rx ring with IRQ_NET',
  },
  {
    name: 'NET_NOTIFY', number: 26, args: [], result: 'tx descriptors consumed', user: false,
    errors: [
      { error: 'NOSYS', when: 'the VM has no network device' },
      { error: 'STATE', when: 'the network device is not set up (HC_NET_SETUP)' },
    ],
    summary: 'the transmit doorbell: the device consumes every tx descriptor from TX_CONS to TX_PROD before returning (their buffers may be reused at once) and advances TX_CONS; invalid descriptors are skipped (and counted)',
  },
  {
    name: 'VM_ID', number: 22, args: [], result: "this VM's index", user: true,
    errors: [], summary: 'the calling VM\'s index (IPC addresses VMs by index)',
  },
] as const satisfies readonly HypercallInfo[];

export const HC = byName(HYPERCALLS, 'name', 'number');
