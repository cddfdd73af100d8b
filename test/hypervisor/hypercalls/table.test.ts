/**
 * The hypercall table (isa/hypercalls.ts) as a whole: every row has a
 * handler, numbers and errors are consistent, unknown numbers get E_NOSYS,
 * every kernel-only row is refused from user mode with no effect, and every
 * user row works from user mode. The guests here stay generated in
 * TypeScript: there is one per row of the table (or of the unknown numbers
 * derived from it), and a new row must get its test without a new file.
 */
import { describe, expect, it } from 'vitest';
import { unhandledHypercalls } from '../../../hypervisor/hypercalls/dispatch.ts';
import { E, HYPERCALLS } from '../../../isa/hypercalls.ts';
import { expectClean, expectPromises, expectUserDone, kernelSource, run, run1, userSource, type Run } from './run.ts';

const userRows = HYPERCALLS.filter((h) => h.user).map((h) => h.name).sort();
const kernelRows = HYPERCALLS.filter((h) => !h.user).map((h) => h.name).sort();

describe('the hypercall table', () => {
  it('has a handler for every row', () => {
    expect(unhandledHypercalls()).toEqual([]);
  });

  it('has distinct row numbers and error codes from ERRORS', () => {
    const numbers = HYPERCALLS.map((h) => h.number);
    expect(new Set(numbers).size).toBe(numbers.length);
    for (const h of HYPERCALLS) for (const e of h.errors) expect(E[e.error], `${h.name} ${e.error}`).toBeLessThan(0);
  });

  const unknown = [0, 999, -1, Math.max(...HYPERCALLS.map((h) => h.number)) + 1, 0x7fff_ffff];
  const callUnknown = unknown.map((n, i) => `hc ${n}\n keep a0, ${i}`).join('\n');

  it('returns E_NOSYS for unknown numbers, in kernel mode', () => {
    const r = run1({ source: kernelSource(callUnknown) });
    expect(r.resN(unknown.length)).toEqual(unknown.map(() => E.NOSYS));
    expectClean(r);
  });

  it('returns E_NOSYS for unknown numbers, in user mode', () => {
    const r = run1({ source: userSource(callUnknown) });
    expect(r.resN(unknown.length)).toEqual(unknown.map(() => E.NOSYS));
    expectUserDone(r);
  });
});

/**
 * Each kernel-only row called from user mode with arguments that would
 * succeed in kernel mode, on a machine where they all could: VM 1 has
 * granted VM 0 a page (id 0), VM 0 has granted VM 1 a page (id 0), VM 0 has
 * an offline VCPU 1. The trap handler then checks in kernel mode that the
 * call had no effect (`verify`, expected result `after`); IPEND must be 0
 * (no timer, no IPI raised).
 */
const PERM: Record<string, { args: string; verify?: string; after?: number }> = {
  SHUTDOWN: { args: '7' },
  SET_TIMER: { args: '1, 0' },
  VCPU_START: { args: '1, sec, stack1, 0', verify: 'hc HC_VCPU_START, 1, sec, stack1, 0', after: 0 },
  IPI: { args: '0' },
  // kres[5] = STAT_BLOCKED before user mode (kpre blocked in IPC_RECV): BLOCK adds nothing.
  BLOCK: { args: '', verify: 'hc HC_STAT, STAT_BLOCKED\n la t0, kres\n lw t1, 20(t0)\n sub a0, a0, t1', after: 0 },
  INFO_REGISTER: { args: 'page0', verify: 'la t0, page0\n lw a0, INFO_VERSION(t0)', after: 0 },
  TLB_FLUSH: { args: '1' },
  GRANT: { args: '1, page1, 1, GRANT_WRITE', verify: 'hc HC_GRANT, 1, page1, 1, 0', after: 1 },
  GRANT_MAP: { args: '1, 0, GRANT_WINDOW', verify: 'hc HC_GRANT_MAP, 1, 0, GRANT_WINDOW', after: 0 },
  GRANT_REVOKE: { args: '0', verify: 'hc HC_GRANT_REVOKE, 0', after: 0 },
  PV_WAIT: { args: 'page0, 0' },
  PV_KICK: { args: '0' },
  // No network device on this machine: rows and errors are in test/hypervisor/devices/net.test.ts.
  NET_SETUP: { args: 'KERNEL_BASE' },
  NET_NOTIFY: { args: '' },
};

describe('kernel-only rows from user mode', () => {
  it('covers every kernel-only row', () => {
    expect(Object.keys(PERM).sort()).toEqual(kernelRows);
  });

  for (const name of kernelRows) {
    it(`${name} from user mode returns E_PERM and has no effect`, () => {
      const c = PERM[name]!;
      const r = run([
        {
          vcpus: 2,
          source: userSource(`hc HC_${name}${c.args ? `, ${c.args}` : ''}\n keep a0, 0\n li t0, 1\n keep t0, 1`, {
            kpre: 'hc HC_IPC_RECV, 1, -1\n hc HC_GRANT, 1, page1, 1, 0\n hc HC_STAT, STAT_BLOCKED\n la t0, kres\n sw a0, 20(t0)',
            verify: c.verify ?? '',
            extra: 'sec: j sec',
          }),
        },
        { file: 'table/perm-peer.s' },
      ]);
      expect(r.res(0)).toBe(E.PERM);
      expect(r.res(1)).toBe(1); // the user code went on
      expectUserDone(r); // and the VM is still running (SHUTDOWN did not stop it)
      expect(r.word(0, 'kres', 2)).toBe(0); // IPEND: no timer, no IPI
      expect(r.word(0, 'kres', 4)).toBe(c.after ?? 0);
      expectPromises(r, 1); // VM 1's grant to VM 0 and its wait until VM 0 stopped
    });
  }
});

/** Each user row from user mode: arguments, then the expected a0 and a1 (undefined: not checked). */
const USER_OK: Record<string, { args: string; a0: number | ((v: number) => boolean); a1?: number; check?: (r: Run) => void }> = {
  CONSOLE_PUTC: { args: "'U'", a0: 0, check: (r) => expect(r.out[0]).toBe('U') },
  CONSOLE_WRITE: {
    args: 'USER_VA + (umsg - user_code), umsg_end - umsg', a0: 15,
    check: (r) => expect(r.out[0]).toBe('from user mode\n'),
  },
  VCPU_ID: { args: '', a0: 0 },
  VCPU_COUNT: { args: '', a0: 2 },
  TIME: { args: '', a0: (v) => v > 0, a1: 0 },
  YIELD: { args: '-1', a0: 0 },
  STAT: { args: 'STAT_HYPERCALLS', a0: 1, a1: 0 },
  DEBUG_MARK: { args: '42', a0: 0, check: (r) => expect(r.hv.vms[0]!.debugMarks).toBe(1) },
  IPC_SEND: { args: '0, 0', a0: E.TIMEOUT },
  IPC_RECV: { args: '-1, 0', a0: E.TIMEOUT },
  IPC_CALL: { args: '0, 0', a0: E.TIMEOUT },
  VM_ID: { args: '', a0: 0 },
};

describe('user rows from user mode', () => {
  it('covers every user row', () => {
    expect(Object.keys(USER_OK).sort()).toEqual(userRows);
  });

  for (const name of userRows) {
    it(`${name} works from user mode`, () => {
      const c = USER_OK[name]!;
      const r = run1({ source: userSource(`hc HC_${name}${c.args ? `, ${c.args}` : ''}\n keep a0, 0\n keep a1, 1`) }, { vcpus: 2 });
      expectUserDone(r);
      if (typeof c.a0 === 'number') expect(r.res(0)).toBe(c.a0);
      else expect(c.a0(r.res(0)), `a0 = ${r.res(0)}`).toBe(true);
      if (c.a1 !== undefined) expect(r.res(1)).toBe(c.a1);
      c.check?.(r);
    });
  }
});
