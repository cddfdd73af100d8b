/**
 * The hypercall table, seL4 style: one row per call with its number,
 * arguments, result, every error and the condition that raises it, and
 * whether user mode may call it. Guest code writes `li a0, HC_CONSOLE_WRITE`
 * (the assembler predefines HC_<NAME> and E_<NAME>); handlers validate first
 * (no side effects) and then act. The calling convention, and what a call
 * that is not allowed or does not exist returns, is HYPERCALL_CONVENTION.
 */
export const HYPERCALL_CONVENTION = '`hcall` with a0 = number, a1..a5 = arguments; the result comes back in a0 '
  + '(negative = error code), a1 may carry a second result. A call from user mode that is not user-allowed returns '
  + 'E_PERM; an unknown number returns E_NOSYS.';

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
] as const;

/** Longest CONSOLE_WRITE, in bytes. */
export const CONSOLE_WRITE_MAX = 65536;

export const E: Readonly<Record<string, number>> = Object.fromEntries(ERRORS.map((e) => [e.name, e.code]));

export const HYPERCALLS: readonly HypercallInfo[] = [
  {
    name: 'CONSOLE_PUTC', number: 1, args: ['ch'], result: '0', user: true,
    errors: [], summary: 'write the byte ch (low 8 bits) to the VM console',
  },
  {
    name: 'CONSOLE_WRITE', number: 2, args: ['addr', 'len'], result: 'len',
    user: true,
    errors: [
      { error: 'INVAL', when: `len < 0 or len > ${CONSOLE_WRITE_MAX}` },
      { error: 'FAULT', when: 'some byte of the buffer is not readable by the caller (unmapped, beyond memory, or kernel memory from user mode)' },
    ],
    summary: 'write len bytes at virtual address addr to the VM console',
  },
  {
    name: 'SHUTDOWN', number: 3, args: ['code'], result: 'does not return', user: false,
    errors: [], summary: 'stop the VM with exit code `code` (0..255)',
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
    errors: [{ error: 'INVAL', when: 'hi < 0 (the deadline is a 63-bit unsigned time)' }],
    summary: 'arm the one-shot timer: raise IRQ_TIMER when virtual time reaches hi:lo; 0:0 disarms',
  },
];

export const HC: Readonly<Record<string, number>> = Object.fromEntries(HYPERCALLS.map((h) => [h.name, h.number]));
