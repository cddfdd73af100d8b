/**
 * The hypercall table (isa/hypercalls.ts), row by row, from guest assembly
 * running under the hypervisor: every call goes through the real `hcall`
 * convention (a0 = number, a1..a5 = arguments, result in a0/a1), and the
 * guest stores what came back in its data area (`res`), which the test reads
 * by symbol. Each row gets its success case with exact results and every
 * documented error with its condition; every error run also checks that the
 * VM went on to its normal end (no host exception, no stuck VCPU).
 */
import { describe, expect, it } from 'vitest';
import { Hypervisor, type StopReason } from '../../../hypervisor/machine.ts';
import { unhandledHypercalls } from '../../../hypervisor/hypercalls/dispatch.ts';
import { VS } from '../../../hypervisor/vcpu.ts';
import { DEFAULTS } from '../../../hypervisor/config/index.ts';
import { CONSOLE_WRITE_MAX, E, HYPERCALLS, MAX_GRANTS, MAX_VCPUS, STATS } from '../../../isa/hypercalls.ts';
import { GRANT_WINDOW, GRANT_WINDOW_PAGES, PAGE_SIZE } from '../../../isa/memory.ts';
import { CAUSE } from '../../../isa/traps.ts';
import type { Image } from '../../../isa/image.ts';
import { asm, enterUserMode, symbol } from '../../helpers/guest.ts';
import { machineConfig, type VmSpec } from '../../helpers/machine.ts';

const KERNEL_BASE = 0x8000_0000;
const MEM = DEFAULTS.vm.memory;
const QUANTUM = DEFAULTS.quantum;
/** A short slice, so that two VMs sharing a PCPU alternate within a few ms. */
const SLICE = 100_000;
/** What every kernel-mode guest stores in res[DONE] just before its final SHUTDOWN(0). */
const DONE = 63;
const DONE_MARK = 0x600d;
/** Exit code of the trap handler of user-mode guests. */
const USER_EXIT = 0x5a;

// ---- running guests ---------------------------------------------------------

type MachineOver = Parameters<typeof machineConfig>[1];

interface Run {
  hv: Hypervisor;
  stop: StopReason;
  out: string[];
  imgs: Image[];
  /** Signed word i at symbol `name` of VM vm. */
  word(vm: number, name: string, i?: number): number;
  /** res[i] of VM vm (signed). */
  res(i: number, vm?: number): number;
  /** res[0..n-1] of VM vm. */
  resN(n: number, vm?: number): number[];
}

function run(vms: readonly VmSpec[], over: MachineOver = {}): Run {
  const imgs = vms.map((v, i) => asm(v.source, `vm${i}.s`));
  const hv = new Hypervisor(machineConfig(vms, { time: 2_000_000, ...over }), imgs.map((img) => ({ images: [img] })));
  const stop = hv.run();
  const word = (vm: number, name: string, i = 0): number =>
    hv.vms[vm]!.mem.readWord(symbol(imgs[vm]!, name) - KERNEL_BASE + 4 * i);
  return {
    hv, stop, imgs, word,
    out: hv.vms.map((vm) => vm.console.text()),
    res: (i, vm = 0) => word(vm, 'res', i),
    resN: (n, vm = 0) => Array.from({ length: n }, (_, i) => word(vm, 'res', i)),
  };
}

/** One VM, run alone. */
function run1(source: string, spec: Partial<VmSpec> = {}, over: MachineOver = {}): Run {
  return run([{ ...spec, source }], over);
}

/** VM vm ran to its final SHUTDOWN(0): every call before returned to the guest. */
function expectClean(r: Run, vm = 0): void {
  expect(r.hv.vms[vm]!.state).toBe('shutdown');
  expect(r.hv.vms[vm]!.exitCode).toBe(0);
  expect(r.res(DONE, vm)).toBe(DONE_MARK);
}

// ---- guest sources ----------------------------------------------------------

/**
 * Macros shared by every guest:
 *   hc NUM, x1..x5   a1..a5 = x1..x5 (immediates or labels), a0 = NUM, hcall
 *   spin CYCLES      busy-wait CYCLES of virtual time (rdtime)
 *   waitfor SLOT     spin until flags[SLOT] != 0 (kernel mode)
 *   setflag SLOT     flags[SLOT] = 1 (kernel mode)
 */
const MACROS = String.raw`
        .macro  hc num, x1=0, x2=0, x3=0, x4=0, x5=0
        li      a1, \x1
        li      a2, \x2
        li      a3, \x3
        li      a4, \x4
        li      a5, \x5
        li      a0, \num
        hcall
        .endm
        .macro  spin cyc
        rdtime  t0
        li      t1, \cyc
        add     t1, t0, t1
1:      rdtime  t0
        bltu    t0, t1, 1b
        .endm
        .macro  waitfor slot
        la      t0, flags
1:      lw      t1, (\slot) * 4(t0)
        beqz    t1, 1b
        .endm
        .macro  setflag slot
        la      t0, flags
        li      t1, 1
        sw      t1, (\slot) * 4(t0)
        .endm
`;

const KERNEL_DATA = String.raw`
        .data
        .balign 4096
page0:  .space  4096
page1:  .space  4096
page2:  .space  4096
pt_root: .space 4096
pt_leaf: .space 4096
res:    .space  256
kres:   .space  64
flags:  .space  64
        .space  1024
stack1:
        .space  1024
stack2:
`;

/**
 * A kernel-mode guest: `main` runs on VCPU 0 from _start, then the guest
 * stores DONE_MARK in res[DONE] and shuts down with 0. `keep REG, SLOT`
 * stores REG in res[SLOT] (clobbers t2). `extra` is more code (entries of
 * secondary VCPUs), `data` more .data.
 */
function kernel(main: string, extra = '', data = ''): string {
  return MACROS + String.raw`
        .macro  keep reg, slot
        la      t2, res
        sw      \reg, (\slot) * 4(t2)
        .endm
        .text
_start:
${main}
        li      t0, ${DONE_MARK}
        keep    t0, ${DONE}
        hc      HC_SHUTDOWN, 0
1:      j       1b
${extra}
${KERNEL_DATA}
${data}
`;
}

interface UserOpts {
  /** Kernel code run before dropping to user mode. */
  kpre?: string;
  /** Kernel code run by the trap handler before it shuts down; its a0 goes to kres[4]. */
  verify?: string;
  /** More kernel code. */
  extra?: string;
}

/**
 * A guest that maps one user code page at USER_VA and its `res` page at
 * UDATA_VA (user read/write), drops to user mode and runs `snippet` there;
 * `keep REG, SLOT` stores REG in res[SLOT] through UDATA_VA. The snippet ends
 * in `syscall`: the trap handler stores CAUSE, BADADDR, IPEND and STATUS in
 * kres[0..3], runs `verify` (a0 -> kres[4]) and shuts down with USER_EXIT.
 * The user page also holds the string umsg..umsg_end ("from user mode\n").
 */
function user(snippet: string, o: UserOpts = {}): string {
  return MACROS + String.raw`
        .equ    USER_VA, 0x00400000
        .equ    UDATA_VA, 0x00401000
        .macro  keep reg, slot
        li      t2, UDATA_VA
        sw      \reg, (\slot) * 4(t2)
        .endm
        .text
_start:
        la      t0, handler
        csrw    CSR_TVEC, t0
${o.kpre ?? ''}
${enterUserMode({ res: 'UDATA_VA' })}
handler:
        la      t1, kres
        csrr    t0, CSR_CAUSE
        sw      t0, 0(t1)
        csrr    t0, CSR_BADADDR
        sw      t0, 4(t1)
        csrr    t0, CSR_IPEND
        sw      t0, 8(t1)
        csrr    t0, CSR_STATUS
        sw      t0, 12(t1)
        li      a0, 0
${o.verify ?? ''}
        la      t1, kres
        sw      a0, 16(t1)
        hc      HC_SHUTDOWN, ${USER_EXIT}
1:      j       1b
${o.extra ?? ''}
        .balign 4096
user_code:
${snippet}
        syscall
1:      j       1b
umsg:   .ascii  "from user mode\n"
umsg_end:
        .data
        .balign 4096
res:    .space  4096
page0:  .space  4096
page1:  .space  4096
pt_root: .space 4096
pt_leaf: .space 4096
kres:   .space  64
flags:  .space  64
        .space  1024
stack1:
`;
}

/** A user-mode run ended in the handler through the final syscall. */
function expectUserDone(r: Run, vm = 0): void {
  expect(r.word(vm, 'kres', 0)).toBe(CAUSE.SYSCALL);
  expect(r.hv.vms[vm]!.state).toBe('shutdown');
  expect(r.hv.vms[vm]!.exitCode).toBe(USER_EXIT);
}

/** Read the virtual time into s0 (lo) / s1 (hi). */
const TIME_S0 = 'hc HC_TIME\n mv s0, a0\n mv s1, a1';

// ---- the table as a whole ---------------------------------------------------------

describe('the hypercall table', () => {
  const userRows = HYPERCALLS.filter((h) => h.user).map((h) => h.name).sort();
  const kernelRows = HYPERCALLS.filter((h) => !h.user).map((h) => h.name).sort();

  it('has a handler for every row', () => {
    expect(unhandledHypercalls()).toEqual([]);
  });

  it('has distinct row numbers and error codes from ERRORS', () => {
    const numbers = HYPERCALLS.map((h) => h.number);
    expect(new Set(numbers).size).toBe(numbers.length);
    for (const h of HYPERCALLS) for (const e of h.errors) expect(E[e.error], `${h.name} ${e.error}`).toBeLessThan(0);
  });

  const unknown = [0, 999, -1, Math.max(...HYPERCALLS.map((h) => h.number)) + 1, 0x7fff_ffff];

  it('returns E_NOSYS for unknown numbers, in kernel mode', () => {
    const r = run1(kernel(unknown.map((n, i) => `hc ${n}\n keep a0, ${i}`).join('\n')));
    expect(r.resN(unknown.length)).toEqual(unknown.map(() => E.NOSYS));
    expectClean(r);
  });

  it('returns E_NOSYS for unknown numbers, in user mode', () => {
    const r = run1(user(unknown.map((n, i) => `hc ${n}\n keep a0, ${i}`).join('\n')));
    expect(r.resN(unknown.length)).toEqual(unknown.map(() => E.NOSYS));
    expectUserDone(r);
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
    // No network device on this machine: rows and errors are in test/net.test.ts.
    NET_SETUP: { args: 'KERNEL_BASE' },
    NET_NOTIFY: { args: '' },
  };
  const PERM_PEER = kernel(`
        hc      HC_GRANT, 0, page0, 1, GRANT_WRITE
        keep    a0, 0
        hc      HC_IPC_SEND, 0, -1
        hc      HC_IPC_RECV, 0, -1      # until VM 0 stops (E_NOENT)
        keep    a0, 1`);

  it('covers every kernel-only row', () => {
    expect(Object.keys(PERM).sort()).toEqual(kernelRows);
  });

  for (const name of kernelRows) {
    it(`${name} from user mode returns E_PERM and has no effect`, () => {
      const c = PERM[name]!;
      const r = run([
        {
          vcpus: 2,
          source: user(`hc HC_${name}${c.args ? `, ${c.args}` : ''}\n keep a0, 0\n li t0, 1\n keep t0, 1`, {
            kpre: 'hc HC_IPC_RECV, 1, -1\n hc HC_GRANT, 1, page1, 1, 0\n hc HC_STAT, STAT_BLOCKED\n la t0, kres\n sw a0, 20(t0)',
            verify: c.verify ?? '',
            extra: 'sec: j sec',
          }),
        },
        { source: PERM_PEER },
      ]);
      expect(r.res(0)).toBe(E.PERM);
      expect(r.res(1)).toBe(1); // the user code went on
      expectUserDone(r); // and the VM is still running (SHUTDOWN did not stop it)
      expect(r.word(0, 'kres', 2)).toBe(0); // IPEND: no timer, no IPI
      expect(r.word(0, 'kres', 4)).toBe(c.after ?? 0);
      expect(r.res(0, 1)).toBe(0); // VM 1's grant to VM 0
      expect(r.res(1, 1)).toBe(E.NOENT);
    });
  }

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
    IPC_SEND: { args: '0, 0', a0: E.TIMEOUT! },
    IPC_RECV: { args: '-1, 0', a0: E.TIMEOUT! },
    IPC_CALL: { args: '0, 0', a0: E.TIMEOUT! },
    VM_ID: { args: '', a0: 0 },
  };

  it('covers every user row', () => {
    expect(Object.keys(USER_OK).sort()).toEqual(userRows);
  });

  for (const name of userRows) {
    it(`${name} works from user mode`, () => {
      const c = USER_OK[name]!;
      const r = run1(user(`hc HC_${name}${c.args ? `, ${c.args}` : ''}\n keep a0, 0\n keep a1, 1`), { vcpus: 2 });
      expectUserDone(r);
      if (typeof c.a0 === 'number') expect(r.res(0)).toBe(c.a0);
      else expect(c.a0(r.res(0)), `a0 = ${r.res(0)}`).toBe(true);
      if (c.a1 !== undefined) expect(r.res(1)).toBe(c.a1);
      c.check?.(r);
    });
  }
});

// ---- row by row ---------------------------------------------------------------------

describe('CONSOLE_PUTC', () => {
  it('writes the low 8 bits of ch and returns 0', () => {
    const r = run1(kernel(`
        hc HC_CONSOLE_PUTC, 'o'
        keep a0, 0
        hc HC_CONSOLE_PUTC, 0x14b        # 'K' + 0x100
        keep a0, 1
        hc HC_CONSOLE_PUTC, -1           # 0xff
        keep a0, 2
        hc HC_CONSOLE_PUTC, 0x7fffff0a   # '\\n'
        keep a0, 3`));
    expect(r.resN(4)).toEqual([0, 0, 0, 0]);
    expect(r.out[0]).toBe('oK\xff\n');
    expectClean(r);
  });
});

describe('CONSOLE_WRITE', () => {
  const DATA = `
msg:    .ascii "hello, world\\n"
msg_end:`;

  it('writes len bytes at addr and returns len', () => {
    const r = run1(kernel(`
        hc HC_CONSOLE_WRITE, msg, msg_end - msg
        keep a0, 0
        hc HC_CONSOLE_WRITE, msg, 5
        keep a0, 1
        hc HC_CONSOLE_WRITE, msg, 0
        keep a0, 2`, '', DATA));
    expect(r.resN(3)).toEqual([13, 5, 0]);
    expect(r.out[0]).toBe('hello, world\nhello');
    expectClean(r);
  });

  it(`accepts exactly CONSOLE_WRITE_MAX (${CONSOLE_WRITE_MAX}) bytes and a buffer ending at the last byte of memory`, () => {
    const r = run1(kernel(`
        li t0, KERNEL_BASE + ${MEM} - 4
        li t1, 0x64636261                 # "abcd"
        sw t1, 0(t0)
        hc HC_CONSOLE_WRITE, KERNEL_BASE, ${CONSOLE_WRITE_MAX}
        keep a0, 0
        hc HC_CONSOLE_WRITE, KERNEL_BASE + ${MEM} - 4, 4
        keep a0, 1`));
    expect(r.resN(2)).toEqual([CONSOLE_WRITE_MAX, 4]);
    expect(r.out[0]!.length).toBe(CONSOLE_WRITE_MAX + 4);
    expect(r.out[0]!.endsWith('abcd')).toBe(true);
    expectClean(r);
  });

  it('E_INVAL: len < 0 or len > CONSOLE_WRITE_MAX (nothing written)', () => {
    const r = run1(kernel(`
        hc HC_CONSOLE_WRITE, msg, -1
        keep a0, 0
        hc HC_CONSOLE_WRITE, msg, 0x80000000
        keep a0, 1
        hc HC_CONSOLE_WRITE, msg, ${CONSOLE_WRITE_MAX + 1}
        keep a0, 2
        hc HC_CONSOLE_WRITE, 0x1000, -5   # length checked, even with a bad buffer
        keep a0, 3`, '', DATA));
    expect(r.resN(4)).toEqual([E.INVAL, E.INVAL, E.INVAL, E.INVAL]);
    expect(r.out[0]).toBe('');
    expectClean(r);
  });

  it('E_FAULT in kernel mode: unmapped user address, beyond memory, straddling the end, empty grant window', () => {
    const r = run1(kernel(`
        hc HC_CONSOLE_WRITE, 0x1000, 4              # PTBR = 0: no user mappings
        keep a0, 0
        hc HC_CONSOLE_WRITE, KERNEL_BASE + ${MEM}, 1
        keep a0, 1
        hc HC_CONSOLE_WRITE, KERNEL_BASE + ${MEM} - 2, 4
        keep a0, 2
        hc HC_CONSOLE_WRITE, GRANT_WINDOW, 1
        keep a0, 3
        hc HC_CONSOLE_WRITE, 0xfffffffe, 4          # wraps around to address 0
        keep a0, 4`));
    expect(r.resN(5)).toEqual([E.FAULT, E.FAULT, E.FAULT, E.FAULT, E.FAULT]);
    expect(r.out[0]).toBe('');
    expectClean(r);
  });

  it('E_FAULT in user mode: kernel buffer, unmapped page, buffer running into an unmapped page', () => {
    const r = run1(user(`
        hc HC_CONSOLE_WRITE, kmsg, 4                 # kernel memory from user mode
        keep a0, 0
        hc HC_CONSOLE_WRITE, 0x00800000, 4           # unmapped
        keep a0, 1
        hc HC_CONSOLE_WRITE, UDATA_VA + 4090, 10     # last 6 bytes mapped, then unmapped
        keep a0, 2
        hc HC_CONSOLE_WRITE, USER_VA + (umsg - user_code), umsg_end - umsg
        keep a0, 3`, { extra: 'kmsg: .ascii "kern"\n .balign 4' }));
    expect(r.resN(4)).toEqual([E.FAULT, E.FAULT, E.FAULT, 15]);
    expect(r.out[0]).toBe('from user mode\n');
    expectUserDone(r);
  });
});

describe('SHUTDOWN', () => {
  it('stops the VM with exit code code & 0xff and does not return', () => {
    for (const [code, exit] of [[0x1234, 0x34], [-1, 0xff], [0, 0], [255, 255], [256, 0]] as const) {
      const r = run1(kernel(`hc HC_SHUTDOWN, ${code}\n li t0, 1\n keep t0, 0`));
      expect(r.stop).toBe('done');
      expect(r.hv.vms[0]!.state).toBe('shutdown');
      expect(r.hv.vms[0]!.exitCode).toBe(exit);
      expect(r.res(0)).toBe(0); // nothing after the hcall ran
      expect(r.res(DONE)).toBe(0);
    }
  });

  it('stops every VCPU of the VM: a running one on another PCPU and a blocked one', () => {
    const r = run1(kernel(`
        hc HC_VCPU_START, 1, busy, stack1, 0
        hc HC_VCPU_START, 2, sleeper, stack2, 0
        waitfor 2
        waitfor 1
        hc HC_SHUTDOWN, 0x42`, `
busy:   la t0, flags
        li t1, 1
1:      sw t1, 4(t0)            # flags[1] = count of loops
        addi t1, t1, 1
        j 1b
sleeper:
        setflag 2
        wfi                     # IMASK = 0: blocks for good
        li t0, 1
        keep t0, 5`), { vcpus: 3 }, { pcpus: 2 });
    expect(r.stop).toBe('done'); // nothing kept running until the time limit
    const vm = r.hv.vms[0]!;
    expect(vm.state).toBe('shutdown');
    expect(vm.exitCode).toBe(0x42);
    expect(vm.vcpus.map((v) => v.state)).toEqual([VS.STOPPED, VS.STOPPED, VS.STOPPED]);
    expect(r.word(0, 'flags', 1)).toBeGreaterThan(0);
    expect(r.res(5)).toBe(0);
    expect(vm.stoppedAt).toBeLessThan(2_000_000);
  });

  it('from a secondary VCPU stops VCPU 0 too', () => {
    const r = run1(kernel(`
        hc HC_VCPU_START, 1, sec, stack1, 0
1:      j 1b`, `
sec:    hc HC_SHUTDOWN, 0x77`), { vcpus: 2 }, { pcpus: 2 });
    expect(r.stop).toBe('done');
    expect(r.hv.vms[0]!.exitCode).toBe(0x77);
    expect(r.hv.vms[0]!.vcpus.map((v) => v.state)).toEqual([VS.STOPPED, VS.STOPPED]);
  });

  it('stops only its own VM: the others go on', () => {
    const r = run([
      { source: kernel('hc HC_SHUTDOWN, 1') },
      { source: kernel(`spin 20000\n hc HC_SHUTDOWN, 2`) },
    ]);
    expect(r.stop).toBe('done');
    expect(r.hv.vms.map((v) => [v.state, v.exitCode])).toEqual([['shutdown', 1], ['shutdown', 2]]);
    expect(r.hv.vms[1]!.stoppedAt).toBeGreaterThan(r.hv.vms[0]!.stoppedAt + 20_000);
  });
});

describe('VCPU_ID and VCPU_COUNT', () => {
  it('give the index of the calling VCPU and the number of VCPUs, on every VCPU', () => {
    const r = run1(kernel(`
        hc HC_VCPU_ID
        keep a0, 0
        hc HC_VCPU_COUNT
        keep a0, 1
        hc HC_VCPU_START, 2, sec, stack2, 0
        waitfor 0`, `
sec:    hc HC_VCPU_ID
        keep a0, 2
        hc HC_VCPU_COUNT
        keep a0, 3
        csrr t0, CSR_VCPUID
        keep t0, 4
        setflag 0
1:      j 1b`), { vcpus: 3 }, { pcpus: 2 });
    expect(r.resN(5)).toEqual([0, 3, 2, 3, 2]);
    expectClean(r);
  });

  it(`VCPU_COUNT is ${MAX_VCPUS} with MAX_VCPUS VCPUs, 1 with one`, () => {
    const one = run1(kernel('hc HC_VCPU_COUNT\n keep a0, 0\n hc HC_VCPU_ID\n keep a0, 1'));
    expect(one.resN(2)).toEqual([1, 0]);
    const max = run1(kernel('hc HC_VCPU_COUNT\n keep a0, 0'), { vcpus: MAX_VCPUS });
    expect(max.res(0)).toBe(MAX_VCPUS);
    expectClean(max);
  });
});

describe('TIME', () => {
  it('is monotonic and agrees with rdtime around the call', () => {
    const r = run1(kernel(`
        rdtime s2
        hc HC_TIME
        rdtime s3
        keep s2, 0
        keep a0, 1
        keep a1, 2
        keep s3, 3
        spin 5000
        hc HC_TIME
        keep a0, 4
        keep a1, 5`));
    const [before, lo1, hi1, after, lo2, hi2] = r.resN(6);
    expect(hi1).toBe(0);
    expect(hi2).toBe(0);
    expect(lo1).toBeGreaterThanOrEqual(before!);
    expect(lo1).toBeLessThanOrEqual(after!);
    expect(lo2! - lo1!).toBeGreaterThanOrEqual(5000);
    expect(lo2! - lo1!).toBeLessThan(5100);
    expectClean(r);
  });

  it('returns the high word in a1 past 2^32 cycles (and SET_TIMER takes a 64-bit deadline)', () => {
    const r = run1(kernel(`
        li t0, 1 << IRQ_TIMER
        csrw CSR_IMASK, t0
        hc HC_SET_TIMER, 5, 1             # 2^32 + 5
        keep a0, 0
        wfi
        hc HC_TIME
        keep a0, 1
        keep a1, 2`), {}, { pcpus: 2, time: 2 ** 32 + 1_000_000 });
    expect(r.res(0)).toBe(0);
    expect(r.res(2)).toBe(1);
    expect(r.res(1)).toBeGreaterThanOrEqual(5);
    expect(r.res(1)).toBeLessThan(100);
    expectClean(r);
  });
});

/** Arm the timer `ahead` cycles from now (IMASK = timer), keep 0 = result, 1 = deadline; wait with `how`; keep 2 = time after. */
const armAndWait = (ahead: number, how: string): string => `
      li t0, 1 << IRQ_TIMER
      csrw CSR_IMASK, t0
      ${TIME_S0}
      li t0, ${ahead}
      add s2, s0, t0
      mv a1, s2
      mv a2, s1
      li a0, HC_SET_TIMER
      hcall
      keep a0, 0
      keep s2, 1
      ${how}
      hc HC_TIME
      keep a0, 2
      csrr t0, CSR_IPEND
      keep t0, 3
      hc HC_STAT, STAT_BLOCKED
      keep a0, 4`;

describe('SET_TIMER', () => {

  it('raises IRQ_TIMER at the deadline: wfi 1 ms ahead wakes within a quantum after it (2 PCPUs)', () => {
    const r = run1(kernel(armAndWait(100_000, 'wfi')), {}, { pcpus: 2 });
    const [res, deadline, woke, ipend, blocked] = r.resN(5);
    expect(res).toBe(0);
    expect(woke).toBeGreaterThanOrEqual(deadline!);
    expect(woke).toBeLessThan(deadline! + QUANTUM);
    expect(ipend).toBe(1 << 0);
    expect(blocked).toBeGreaterThan(99_000);
    expect(blocked).toBeLessThanOrEqual(100_000);
    expectClean(r);
  });

  // With one PCPU the same guest stays blocked: see 'one PCPU' at the end of the file.

  it('fires at once for a deadline in the past (or now)', () => {
    const r = run1(kernel(`
        hc HC_SET_TIMER, 1, 0
        keep a0, 0
        csrr t0, CSR_IPEND
        keep t0, 1
        li t0, 1
        csrw CSR_IPEND, t0                # clear it
        ${TIME_S0}
        mv a1, s0
        mv a2, s1
        li a0, HC_SET_TIMER
        hcall
        keep a0, 2
        csrr t0, CSR_IPEND
        keep t0, 3`));
    expect(r.resN(4)).toEqual([0, 1, 0, 1]);
    expectClean(r);
  });

  it('0:0 disarms: nothing fires, and wfi then blocks for good (deadlock)', () => {
    const r = run1(kernel(`
        li t0, 1 << IRQ_TIMER
        csrw CSR_IMASK, t0
        hc HC_SET_TIMER, 50000, 0
        keep a0, 0
        hc HC_SET_TIMER, 0, 0
        keep a0, 1
        spin 100000
        csrr t0, CSR_IPEND
        keep t0, 2
        li t0, 1
        keep t0, 3
        wfi
        li t0, 1
        keep t0, 4`), {}, { pcpus: 2, time: undefined });
    expect(r.resN(5)).toEqual([0, 0, 0, 1, 0]);
    expect(r.stop).toBe('deadlock');
  });

  it('re-arming replaces the deadline (one shot)', () => {
    const r = run1(kernel(`
        li t0, 1 << IRQ_TIMER
        csrw CSR_IMASK, t0
        ${TIME_S0}
        li t0, 200000
        add a1, s0, t0
        li a2, 0
        li a0, HC_SET_TIMER
        hcall
        li t0, 50000
        add a1, s0, t0
        li a2, 0
        li a0, HC_SET_TIMER
        hcall
        wfi
        hc HC_TIME
        sub t0, a0, s0
        keep t0, 0
        li t0, 1
        csrw CSR_IPEND, t0
        spin 300000                       # past the first deadline
        csrr t0, CSR_IPEND
        keep t0, 1`), {}, { pcpus: 2, time: 1_000_000 });
    expect(r.res(0)).toBeGreaterThanOrEqual(50_000);
    expect(r.res(0)).toBeLessThan(50_000 + QUANTUM);
    expect(r.res(1)).toBe(0);
    expectClean(r);
  });

  it('each VCPU has its own timer', () => {
    // VCPU 1 arms 0.5 ms ahead, VCPU 0 0.2 ms ahead: each wakes at its own deadline.
    const wait = (ahead: number, slot: number): string => `
        li t0, 1 << IRQ_TIMER
        csrw CSR_IMASK, t0
        ${TIME_S0}
        li t0, ${ahead}
        add s2, s0, t0
        mv a1, s2
        li a2, 0
        li a0, HC_SET_TIMER
        hcall
        wfi
        hc HC_TIME
        sub t0, a0, s2
        keep t0, ${slot}`;
    const r = run1(kernel(`
        hc HC_VCPU_START, 1, sec, stack1, 0
        waitfor 0
        ${wait(20_000, 0)}
        waitfor 1`, `
sec:    setflag 0
        ${wait(50_000, 1)}
        setflag 1
1:      j 1b`), { vcpus: 2 }, { pcpus: 2 });
    for (const late of r.resN(2)) {
      expect(late).toBeGreaterThanOrEqual(0);
      expect(late).toBeLessThan(QUANTUM);
    }
    expectClean(r);
  });

  it('E_INVAL: hi < 0 or hi >= 2^21 (deadlines stay below 2^53; nothing is armed)', () => {
    const r = run1(kernel(`
        hc HC_SET_TIMER, 1, -1
        keep a0, 0
        hc HC_SET_TIMER, 0, 0x80000000
        keep a0, 1
        hc HC_SET_TIMER, 0, 0x200000     # 2^53: too far
        keep a0, 2
        csrr t0, CSR_IPEND
        keep t0, 3
        hc HC_SET_TIMER, -1, 0x1fffff    # 2^53 - 1: the largest deadline is fine
        keep a0, 4`));
    expect(r.resN(5)).toEqual([E.INVAL, E.INVAL, E.INVAL, 0, 0]);
    expectClean(r);
  });
});

describe('VCPU_START', () => {
  const SEC = `
sec:    keep a0, 10
        keep sp, 11
        hc HC_VCPU_ID
        keep a0, 12
        csrr t0, CSR_STATUS
        keep t0, 13
        la t0, flags
        li t1, 1
        xadd t1, t1, (t0)              # flags[0]: times sec was entered
1:      j 1b`;

  it('starts VCPU 1 at entry, in kernel mode with interrupts off, with sp and a0 = arg', () => {
    const r = run1(kernel(`
        hc HC_VCPU_START, 1, sec, stack1, 0x1234
        keep a0, 0
        waitfor 0`, SEC), { vcpus: 2 }, { pcpus: 2 });
    expect(r.res(0)).toBe(0);
    expect(r.res(10)).toBe(0x1234);
    expect(r.res(11) >>> 0).toBe(symbol(r.imgs[0]!, 'stack1'));
    expect(r.res(12)).toBe(1);
    expect(r.res(13)).toBe(2); // STATUS_KERNEL, IE = 0
    expect(r.word(0, 'flags', 0)).toBe(1);
    expectClean(r);
  });

  it('E_NOENT, E_STATE, E_INVAL with their conditions; failed calls start nothing', () => {
    const r = run1(kernel(`
        hc HC_VCPU_START, 2, sec, stack1, 1     # vcpus = 2
        keep a0, 0
        hc HC_VCPU_START, -1, sec, stack1, 2
        keep a0, 1
        hc HC_VCPU_START, ${MAX_VCPUS}, sec, stack1, 3
        keep a0, 2
        hc HC_VCPU_START, 0, sec, stack1, 4     # itself: already started
        keep a0, 3
        hc HC_VCPU_START, 1, sec + 2, stack1, 5 # unaligned
        keep a0, 4
        hc HC_VCPU_START, 1, 0x1000, stack1, 6  # user segment
        keep a0, 5
        hc HC_VCPU_START, 1, 0x7ffffffc, stack1, 7
        keep a0, 6
        hc HC_VCPU_START, 1, sec + 1, stack1, 8
        keep a0, 7
        spin 20000
        la t0, flags
        lw t0, 0(t0)
        keep t0, 8                              # sec never ran
        hc HC_VCPU_START, 1, sec, stack1, 9
        keep a0, 9
        hc HC_VCPU_START, 1, sec, stack1, 10    # already started
        keep a0, 14
        waitfor 0
        spin 20000`, SEC), { vcpus: 2 }, { pcpus: 2 });
    expect(r.resN(10)).toEqual([E.NOENT, E.NOENT, E.NOENT, E.STATE, E.INVAL, E.INVAL, E.INVAL, E.INVAL, 0, 0]);
    expect(r.res(14)).toBe(E.STATE);
    expect(r.res(10)).toBe(9); // a0 of the one successful start
    expect(r.word(0, 'flags', 0)).toBe(1); // entered once
    expectClean(r);
  });
});

describe('PV_WAIT and PV_KICK', () => {
  it('PV_WAIT returns at once when the word no longer equals val', () => {
    const r = run1(kernel(`
        la t0, flags
        li t1, 5
        sw t1, 0(t0)
        hc HC_PV_WAIT, flags, 4
        keep a0, 0`));
    expect(r.res(0)).toBe(0);
    expect(r.hv.vms[0]!.vcpus[0]!.wakeups).toBe(0);
    expectClean(r);
  });

  it('blocks until a sibling kicks it; a pending timer interrupt does not end the wait', () => {
    const r = run1(kernel(`
        hc HC_VCPU_START, 1, sec, stack1, 0
        waitfor 0
        spin 20000                      # it is blocked in PV_WAIT by now
        hc HC_PV_KICK, 1
        keep a0, 0
        waitfor 1`, `
sec:    li t0, 1 << IRQ_TIMER
        csrw CSR_IMASK, t0
        rdtime a1
        addi a1, a1, 100
        li a2, 0
        li a0, HC_SET_TIMER             # fires while it waits
        hcall
        setflag 0
        hc HC_PV_WAIT, flags + 8, 0     # flags[2] stays 0
        keep a0, 1
        hc HC_STAT, STAT_BLOCKED
        keep a0, 2
        csrr t0, CSR_IPEND
        keep t0, 3
        setflag 1
1:      j 1b`), { vcpus: 2 }, { pcpus: 2 });
    const [kick, wait, blocked, ipend] = r.resN(4);
    expect([kick, wait]).toEqual([0, 0]);
    expect(blocked).toBeGreaterThan(10000);
    expect(ipend).toBe(1); // the timer is pending: it did not wake the wait
    expect(r.hv.vms[0]!.vcpus[1]!.wakeups).toBe(1);
    expectClean(r);
  });

  it('a kick before the wait makes the next PV_WAIT return at once (no lost wake-up)', () => {
    const r = run1(kernel(`
        hc HC_PV_KICK, 0
        keep a0, 0
        hc HC_PV_WAIT, flags, 0         # would block: flags[0] is 0
        keep a0, 1
        hc HC_STAT, STAT_BLOCKED
        keep a0, 2`));
    expect(r.resN(3)).toEqual([0, 0, 0]);
    expectClean(r);
  });

  it('E_INVAL for an unaligned, user-segment or out-of-memory address; E_NOENT for a bad VCPU', () => {
    const r = run1(kernel(`
        hc HC_PV_WAIT, flags + 2, 0
        keep a0, 0
        hc HC_PV_WAIT, 0x1000, 0
        keep a0, 1
        hc HC_PV_WAIT, 0x80100000, 0
        keep a0, 2
        hc HC_PV_KICK, 5
        keep a0, 3
        hc HC_PV_KICK, -1
        keep a0, 4`));
    expect(r.resN(5)).toEqual([E.INVAL, E.INVAL, E.INVAL, E.NOENT, E.NOENT]);
    expectClean(r);
  });
});

describe('IPI', () => {
  it('wakes a VCPU blocked in wfi with IRQ_IPI in IMASK', () => {
    const r = run1(kernel(`
        hc HC_VCPU_START, 1, sec, stack1, 0
        keep a0, 0
        waitfor 0
        spin 5000                       # let it block
        hc HC_IPI, 1
        keep a0, 1
        waitfor 1`, `
sec:    csrr t0, CSR_IPEND
        keep t0, 2
        li t0, 1 << IRQ_IPI
        csrw CSR_IMASK, t0
        setflag 0
        wfi
        csrr t0, CSR_IPEND
        keep t0, 3
        hc HC_STAT, STAT_BLOCKED
        keep a0, 4
        setflag 1
1:      j 1b`), { vcpus: 2 }, { pcpus: 2 });
    const [start, ipi, before, after, blocked] = r.resN(5);
    expect([start, ipi, before, after]).toEqual([0, 0, 0, 1 << 1]);
    expect(blocked).toBeGreaterThan(1000);
    expect(r.hv.vms[0]!.vcpus[1]!.wakeups).toBe(1);
    expectClean(r);
  });

  it('leaves a VCPU that waits for other lines blocked (it sees the IPI pending when they come)', () => {
    const r = run1(kernel(`
        hc HC_VCPU_START, 1, sec, stack1, 0
        waitfor 0
        spin 5000
        hc HC_IPI, 1
        keep a0, 0
        waitfor 1`, `
sec:    li t0, 1 << IRQ_TIMER
        csrw CSR_IMASK, t0
        ${TIME_S0}
        li t0, 50000
        add s2, s0, t0
        mv a1, s2
        li a2, 0
        li a0, HC_SET_TIMER
        hcall
        setflag 0
        wfi
        hc HC_TIME
        sub t0, a0, s2
        keep t0, 1                      # woke this long after the timer deadline
        csrr t0, CSR_IPEND
        keep t0, 2
        setflag 1
1:      j 1b`), { vcpus: 2 }, { pcpus: 2 });
    expect(r.res(0)).toBe(0);
    expect(r.res(1)).toBeGreaterThanOrEqual(0);
    expect(r.res(1)).toBeLessThan(QUANTUM);
    expect(r.res(2)).toBe((1 << 0) | (1 << 1));
    expectClean(r);
  });

  it('raises IRQ_IPI on the caller itself', () => {
    const r = run1(kernel(`
        hc HC_IPI, 0
        keep a0, 0
        csrr t0, CSR_IPEND
        keep t0, 1`));
    expect(r.resN(2)).toEqual([0, 1 << 1]);
    expectClean(r);
  });

  it('E_NOENT for a bad index, E_STATE for an offline VCPU (which gets nothing)', () => {
    const r = run1(kernel(`
        hc HC_IPI, 2
        keep a0, 0
        hc HC_IPI, -1
        keep a0, 1
        hc HC_IPI, ${MAX_VCPUS}
        keep a0, 2
        hc HC_IPI, 1                    # not started
        keep a0, 3
        hc HC_VCPU_START, 1, sec, stack1, 0
        waitfor 0`, `
sec:    csrr t0, CSR_IPEND
        keep t0, 4
        setflag 0
1:      j 1b`), { vcpus: 2 }, { pcpus: 2 });
    expect(r.resN(5)).toEqual([E.NOENT, E.NOENT, E.NOENT, E.STATE, 0]);
    expectClean(r);
  });
});

describe('YIELD', () => {
  it('YIELD(-1) returns 0 at once when nothing else is runnable', () => {
    const r = run1(kernel(`
        ${TIME_S0}
        hc HC_YIELD, -1
        keep a0, 0
        hc HC_TIME
        sub t0, a0, s0
        keep t0, 1
        hc HC_YIELD, 0                  # itself: the same
        keep a0, 2`));
    expect(r.res(0)).toBe(0);
    expect(r.res(1)).toBeLessThan(100);
    expect(r.res(2)).toBe(0);
    expect(r.hv.vms[0]!.vcpus[0]!.yields).toBe(2);
    expectClean(r);
  });

  it('YIELD(-1) gives the PCPU to another VM for its slice', () => {
    const r = run([
      { source: kernel(`${TIME_S0}\n hc HC_YIELD, -1\n keep a0, 0\n hc HC_TIME\n sub t0, a0, s0\n keep t0, 1`) },
      { source: kernel('spin 300000') },
    ], { slice: SLICE });
    expect(r.res(0)).toBe(0);
    expect(r.res(1)).toBeGreaterThanOrEqual(SLICE);
    expect(r.res(1)).toBeLessThan(SLICE + 100);
    expectClean(r, 0);
    expectClean(r, 1);
  });

  it('a directed yield runs the given sibling first', () => {
    // VCPUs 1 and 2 are both runnable on the one PCPU; undirected, VCPU 1 would run first.
    const order = (target: number): number[] => {
      const r = run1(kernel(`
        hc HC_VCPU_START, 1, sec, stack1, 1
        hc HC_VCPU_START, 2, sec, stack2, 2
        hc HC_YIELD, ${target}
        keep a0, 0
        waitfor 1
        waitfor 2`, `
sec:    la t0, flags
        addi t0, t0, 16
        li t1, 1
        xadd t1, t1, (t0)               # flags[4]: arrival counter
        slli t2, a0, 2
        la t0, res
        add t0, t0, t2
        sw t1, 0(t0)                    # res[a0] = arrival order
        la t0, flags
        add t0, t0, t2
        li t1, 1
        sw t1, 0(t0)                    # flags[a0] = 1
1:      wfi                             # IMASK = 0: done for good
        j 1b`), { vcpus: 3 }, { slice: SLICE });
      expect(r.res(0)).toBe(0);
      expectClean(r);
      return [r.res(1), r.res(2)];
    };
    expect(order(-1)).toEqual([0, 1]);
    expect(order(2)).toEqual([1, 0]);
  });

  it('E_NOENT: neither -1 nor a VCPU index (an offline sibling is fine)', () => {
    const r = run1(kernel(`
        hc HC_YIELD, 2
        keep a0, 0
        hc HC_YIELD, -2
        keep a0, 1
        hc HC_YIELD, ${MAX_VCPUS}
        keep a0, 2
        hc HC_YIELD, 0x80000000
        keep a0, 3
        hc HC_YIELD, 1                  # exists, not started
        keep a0, 4`), { vcpus: 2 });
    expect(r.resN(5)).toEqual([E.NOENT, E.NOENT, E.NOENT, E.NOENT, 0]);
    expect(r.hv.vms[0]!.vcpus[0]!.yields).toBe(1);
    expectClean(r);
  });
});

describe('BLOCK', () => {
  it('blocks until a line in IMASK is pending (STATUS.IE off), and the time shows up in STAT_BLOCKED', () => {
    const r = run1(kernel(`
        li t0, 1 << IRQ_TIMER
        csrw CSR_IMASK, t0
        ${TIME_S0}
        li t0, 100000
        add s2, s0, t0
        mv a1, s2
        li a2, 0
        li a0, HC_SET_TIMER
        hcall
        hc HC_STAT, STAT_BLOCKED
        keep a0, 0
        hc HC_BLOCK
        keep a0, 1
        hc HC_TIME
        sub t0, a0, s2
        keep t0, 2
        hc HC_STAT, STAT_BLOCKED
        keep a0, 3
        csrr t0, CSR_STATUS
        keep t0, 4`), {}, { pcpus: 2 });
    const [before, res, late, blocked, status] = r.resN(5);
    expect(before).toBe(0);
    expect(res).toBe(0);
    expect(late).toBeGreaterThanOrEqual(0);
    expect(late).toBeLessThan(QUANTUM);
    expect(blocked).toBeGreaterThan(99_900);
    expect(blocked).toBeLessThanOrEqual(100_000);
    expect(status).toBe(2); // kernel, IE = 0: no interrupt was taken
    expectClean(r);
  });

  it('returns at once if a line in IMASK is already pending', () => {
    const r = run1(kernel(`
        li t0, 1 << IRQ_IPI
        csrw CSR_IMASK, t0
        hc HC_IPI, 0
        ${TIME_S0}
        hc HC_BLOCK
        keep a0, 0
        hc HC_TIME
        sub t0, a0, s0
        keep t0, 1
        hc HC_STAT, STAT_BLOCKED
        keep a0, 2`));
    expect(r.res(0)).toBe(0);
    expect(r.res(1)).toBeLessThan(50);
    expect(r.res(2)).toBe(0);
    expectClean(r);
  });

  it('ignores pending lines not in IMASK', () => {
    const r = run1(kernel(`
        hc HC_IPI, 0                    # IPI pending, but IMASK = timer only
        li t0, 1 << IRQ_TIMER
        csrw CSR_IMASK, t0
        ${TIME_S0}
        hc HC_SET_TIMER, 0, 0
        li t0, 30000
        add a1, s0, t0
        li a2, 0
        li a0, HC_SET_TIMER
        hcall
        hc HC_BLOCK
        keep a0, 0
        hc HC_TIME
        sub t0, a0, s0
        keep t0, 1`), {}, { pcpus: 2 });
    expect(r.res(0)).toBe(0);
    expect(r.res(1)).toBeGreaterThanOrEqual(30_000);
    expect(r.res(1)).toBeLessThan(30_000 + QUANTUM);
    expectClean(r);
  });

  it('is woken by an IPI from a sibling', () => {
    const r = run1(kernel(`
        hc HC_VCPU_START, 1, sec, stack1, 0
        waitfor 0
        spin 5000
        hc HC_IPI, 1
        waitfor 1`, `
sec:    li t0, 1 << IRQ_IPI
        csrw CSR_IMASK, t0
        setflag 0
        hc HC_BLOCK
        keep a0, 0
        hc HC_STAT, STAT_BLOCKED
        keep a0, 1
        setflag 1
1:      j 1b`), { vcpus: 2 }, { pcpus: 2 });
    expect(r.res(0)).toBe(0);
    expect(r.res(1)).toBeGreaterThan(1000);
    expectClean(r);
  });

  it('with IMASK = 0 never returns (the machine reports a deadlock, no host exception)', () => {
    const r = run1(kernel('hc HC_BLOCK\n li t0, 1\n keep t0, 0'), {}, { time: undefined });
    expect(r.stop).toBe('deadlock');
    expect(r.res(0)).toBe(0);
  });
});

describe('INFO_REGISTER', () => {
  it('fills VERSION, VCPU and the run-state fields at once; each VCPU gets its own page', () => {
    const r = run1(kernel(`
        la s0, page0
        li t0, -1
        sw t0, INFO_VERSION(s0)
        sw t0, INFO_VCPU(s0)
        sw t0, INFO_STEAL_LO(s0)
        sw t0, INFO_RUNNING_HI(s0)
        hc HC_INFO_REGISTER, page0
        keep a0, 0
        lw t0, INFO_VERSION(s0)
        keep t0, 1
        lw t0, INFO_VCPU(s0)
        keep t0, 2
        lw t0, INFO_STEAL_LO(s0)
        keep t0, 3
        lw t0, INFO_RUNNING_LO(s0)
        keep t0, 4
        lw t0, INFO_RUNNING_HI(s0)
        keep t0, 5
        hc HC_VCPU_START, 1, sec, stack1, 0
        waitfor 0`, `
sec:    hc HC_INFO_REGISTER, page1
        keep a0, 6
        la t0, page1
        lw t1, INFO_VERSION(t0)
        keep t1, 7
        lw t1, INFO_VCPU(t0)
        keep t1, 8
        setflag 0
1:      j 1b`), { vcpus: 2 }, { pcpus: 2 });
    const [res, version, vcpu, steal, runLo, runHi, res1, version1, vcpu1] = r.resN(9);
    expect([res, version, vcpu, steal, runHi]).toEqual([0, 1, 0, 0, 0]);
    expect(runLo).toBeGreaterThan(0);
    expect([res1, version1, vcpu1]).toEqual([0, 1, 1]);
    expectClean(r);
  });

  it('accepts the first and the last page of memory', () => {
    const r = run1(kernel(`
        hc HC_INFO_REGISTER, KERNEL_BASE + ${MEM} - ${PAGE_SIZE}
        keep a0, 0
        li t0, KERNEL_BASE + ${MEM} - ${PAGE_SIZE}
        lw t0, INFO_VERSION(t0)
        keep t0, 1
        hc HC_INFO_REGISTER, KERNEL_BASE
        keep a0, 2`));
    expect(r.resN(3)).toEqual([0, 1, 0]);
    expectClean(r);
  });

  it('E_INVAL: unaligned, user-segment, beyond memory, grant window (and nothing is registered)', () => {
    const bad = ['page0 + 4', 'page0 + 2048', 'page0 - 1', '0x1000', '0x7ffff000', `KERNEL_BASE + ${MEM}`,
      `KERNEL_BASE + ${MEM} - ${PAGE_SIZE} + 8`, 'GRANT_WINDOW', '0xfffff000', '-1'];
    const r = run1(kernel(bad.map((a, i) => `hc HC_INFO_REGISTER, ${a}\n keep a0, ${i}`).join('\n')));
    expect(r.resN(bad.length)).toEqual(bad.map(() => E.INVAL));
    expect(r.hv.vms[0]!.vcpus[0]!.info).toBe(-1);
    expect(r.word(0, 'page0', 0)).toBe(0);
    expectClean(r);
  });

  /** Two VMs on one PCPU with a short slice: VM 0 runs `main`, VM 1 spins until `until`. */
  const contended = (main: string, until = 600_000): Run => run([
    { source: kernel(main) },
    { source: kernel(`spin ${until}`) },
  ], { slice: SLICE, time: 2_000_000 });

  it('0 unregisters: the hypervisor stops writing the page', () => {
    const r = contended(`
        hc HC_INFO_REGISTER, page0
        keep a0, 0
        hc HC_INFO_REGISTER, 0
        keep a0, 1
        la s0, page0
        sw zero, INFO_VERSION(s0)
        sw zero, INFO_RUNNING_LO(s0)
        sw zero, INFO_STEAL_LO(s0)
        spin 350000                     # preempted and rescheduled meanwhile
        lw t0, INFO_VERSION(s0)
        keep t0, 2
        lw t0, INFO_RUNNING_LO(s0)
        keep t0, 3
        lw t0, INFO_STEAL_LO(s0)
        keep t0, 4
        hc HC_STAT, STAT_PREEMPTIONS
        keep a0, 5`);
    expect(r.resN(5)).toEqual([0, 0, 0, 0, 0]);
    expect(r.res(5)).toBeGreaterThanOrEqual(1);
    expect(r.hv.vms[0]!.vcpus[0]!.info).toBe(-1);
    expectClean(r);
  });

  it('STEAL grows while another VM holds the shared PCPU, and equals STAT_RUNNABLE', () => {
    const r = contended(`
        hc HC_INFO_REGISTER, page0
        la s0, page0
        lw t0, INFO_STEAL_LO(s0)
        keep t0, 0
        spin 350000
        lw t0, INFO_STEAL_LO(s0)
        keep t0, 1
        lw t0, INFO_STEAL_HI(s0)
        keep t0, 2
        hc HC_STAT, STAT_RUNNABLE
        keep a0, 3
        lw t0, INFO_RUNNING_LO(s0)
        keep t0, 4
        hc HC_STAT, STAT_RUNNING
        keep a0, 5`);
    const [steal0, steal, stealHi, runnable, running, statRunning] = r.resN(6);
    expect(steal0).toBe(0);
    expect(steal).toBeGreaterThanOrEqual(SLICE);
    expect(stealHi).toBe(0);
    expect(steal).toBe(runnable);
    expect(running).toBeGreaterThan(0);
    expect(running).toBeLessThanOrEqual(statRunning!);
    expectClean(r);
  });

  it('PREEMPTED of a sibling is 1 while it is preempted, 0 once it blocks', () => {
    // VCPUs 0 and 1 pinned to PCPU 0 (PCPU 1 idles); VCPU 1 spins until told to stop.
    const r = run1(kernel(`
        hc HC_INFO_REGISTER, page0
        la s0, page0
        lbu t0, INFO_PREEMPTED + 1(s0)
        keep t0, 0                      # offline
        hc HC_VCPU_START, 1, sec, stack1, 0
1:      la t0, flags
        lw t0, 0(t0)
        beqz t0, 1b                     # until VCPU 1 has run (a slice later)
        lbu t0, INFO_PREEMPTED + 1(s0)
        keep t0, 1
        lbu t0, INFO_PREEMPTED + 0(s0)
        keep t0, 2
        hc HC_STAT, STAT_PREEMPTIONS
        keep a0, 3
        setflag 1                       # VCPU 1: block
        hc HC_YIELD, 1
        waitfor 2
        lbu t0, INFO_PREEMPTED + 1(s0)
        keep t0, 4`, `
sec:    setflag 0
        la t0, flags
1:      lw t1, 4(t0)
        beqz t1, 1b
        setflag 2
        wfi                             # IMASK = 0: blocked for good
        j sec`), { vcpus: 2, pin: [0, 0] }, { pcpus: 2, slice: SLICE });
    const [offline, sibling, self, preemptions, blocked] = r.resN(5);
    expect(offline).toBe(0);
    expect(sibling).toBe(1);
    expect(self).toBe(0);
    expect(preemptions).toBeGreaterThanOrEqual(1);
    expect(blocked).toBe(0);
    expectClean(r);
  });
});

describe('TLB_FLUSH', () => {
  it('accepts masks of existing VCPUs; E_NOENT for a bit beyond vcpus', () => {
    const masks = [[0, 0], [1, 0], [2, 0], [3, 0], [4, E.NOENT], [5, E.NOENT], [-1, E.NOENT], [0x80000000, E.NOENT]] as const;
    const r = run1(kernel(masks.map(([m], i) => `hc HC_TLB_FLUSH, ${m}\n keep a0, ${i}`).join('\n')), { vcpus: 2 });
    expect(r.resN(masks.length)).toEqual(masks.map(([, e]) => e));
    expectClean(r);
  });

  it('with 31 and 32 VCPUs: bit 31 is VCPU 31', () => {
    const r31 = run1(kernel('hc HC_TLB_FLUSH, 0x7fffffff\n keep a0, 0\n hc HC_TLB_FLUSH, -1\n keep a0, 1'), { vcpus: 31 });
    expect(r31.resN(2)).toEqual([0, E.NOENT]);
    const r32 = run1(kernel('hc HC_TLB_FLUSH, -1\n keep a0, 0'), { vcpus: MAX_VCPUS });
    expect(r32.res(0)).toBe(0);
  });

  /** Map user VA 0x400000 to page0 (PTBR of the caller). */
  const MAP = `
        li t2, KERNEL_BASE
        la t0, pt_root
        la t1, pt_leaf
        sub t1, t1, t2
        ori t1, t1, PTE_V
        sw t1, 4(t0)                    # root entry 1: va 0x400000..
        la t0, pt_root
        sub t0, t0, t2
        csrw CSR_PTBR, t0`;
  const POINT_AT = (page: string): string => `
        li t2, KERNEL_BASE
        la t0, pt_leaf
        la t1, ${page}
        sub t1, t1, t2
        ori t1, t1, PTE_V | PTE_R | PTE_W
        sw t1, 0(t0)`;
  const FILL = 'la t0, page0\n li t1, 0x111\n sw t1, 0(t0)\n la t0, page1\n li t1, 0x222\n sw t1, 0(t0)';

  it('flushes the caller\'s own TLB (bit 0): a stale translation goes away', () => {
    const r = run1(kernel(`
        ${FILL}
        ${POINT_AT('page0')}
        ${MAP}
        li s0, 0x400000
        lw t0, 0(s0)
        keep t0, 0
        ${POINT_AT('page1')}
        lw t0, 0(s0)
        keep t0, 1                      # stale: the TLB still maps page0
        hc HC_TLB_FLUSH, 1
        keep a0, 2
        lw t0, 0(s0)
        keep t0, 3`));
    expect(r.resN(4)).toEqual([0x111, 0x111, 0, 0x222]);
    expectClean(r);
  });

  for (const [mask, seen] of [[2, 0x222], [1, 0x111]] as const) {
    it(`mask ${mask} ${mask === 2 ? 'flushes' : 'leaves'} VCPU 1's TLB`, () => {
      const r = run1(kernel(`
        ${FILL}
        ${POINT_AT('page0')}
        hc HC_VCPU_START, 1, sec, stack1, 0
        waitfor 0
        ${POINT_AT('page1')}
        hc HC_TLB_FLUSH, ${mask}
        keep a0, 0
        setflag 1
        waitfor 2`, `
sec:    ${MAP}
        li s0, 0x400000
        lw t0, 0(s0)
        keep t0, 1
        setflag 0
        waitfor 1
        lw t0, 0(s0)
        keep t0, 2
        setflag 2
1:      j 1b`), { vcpus: 2 }, { pcpus: 2 });
      expect(r.resN(3)).toEqual([0, 0x111, seen]);
      expectClean(r);
    });
  }
});

describe('STAT', () => {
  it('has one selector per STATS row, numbered 0..n-1', () => {
    expect(STATS.map((s) => s.selector)).toEqual(STATS.map((_, i) => i));
  });

  it('reads every counter of a lone VCPU (a1 = high word = 0)', () => {
    const r = run1(kernel(`
        hc HC_STAT, STAT_HYPERCALLS     # the first hcall: counts itself
        keep a0, 0
        keep a1, 1
        hc HC_STAT, STAT_INSTRUCTIONS
        mv s0, a0
        hc HC_STAT, STAT_INSTRUCTIONS   # 8 instructions later (mv, the 7 of hc), this hcall included
        sub t0, a0, s0
        keep t0, 2
        keep a1, 3
        ${TIME_S0}
        hc HC_STAT, STAT_RUNNING
        sub t0, s0, a0
        keep t0, 4                      # time - running: ~ nothing (never waited)
        keep a1, 5
        hc HC_STAT, STAT_RUNNABLE
        keep a0, 6
        keep a1, 7
        hc HC_STAT, STAT_BLOCKED
        keep a0, 8
        hc HC_STAT, STAT_PREEMPTIONS
        keep a0, 9
        hc HC_STAT, STAT_MIGRATIONS
        keep a0, 10
        hc HC_STAT, STAT_HYPERCALLS
        keep a0, 11
        keep a1, 12`));
    const v = r.resN(13);
    expect(v[0]).toBe(1);
    expect(v[1]).toBe(0);
    expect(v[2]).toBe(8);
    expect(v[3]).toBe(0);
    expect(v[4]).toBeGreaterThanOrEqual(-20);
    expect(v[4]).toBeLessThanOrEqual(0);
    expect(v.slice(5, 11)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(v[11]).toBe(10);
    expect(v[12]).toBe(0);
    expectClean(r);
  });

  it('RUNNABLE, PREEMPTIONS and BLOCKED under contention: running + runnable + blocked = time', () => {
    const r = run([
      {
        source: kernel(`
        spin 350000
        hc HC_IPC_RECV, 0, 100          # 100 us blocked (from itself: nobody sends)
        keep a0, 0
        hc HC_STAT, STAT_RUNNING
        mv s0, a0
        hc HC_STAT, STAT_RUNNABLE
        mv s1, a0
        hc HC_STAT, STAT_BLOCKED
        mv s2, a0
        hc HC_TIME
        keep s0, 1
        keep s1, 2
        keep s2, 3
        keep a0, 4
        hc HC_STAT, STAT_PREEMPTIONS
        keep a0, 5`),
        pin: [0],
      },
      { source: kernel('spin 600000'), pin: [0] },
    ], { pcpus: 2, slice: SLICE }); // both on PCPU 0; two PCPUs so that the IPC timeout is on time
    const [timeout, running, runnable, blocked, now, preemptions] = r.resN(6);
    expect(timeout).toBe(E.TIMEOUT);
    expect(runnable).toBeGreaterThanOrEqual(SLICE);
    expect(blocked).toBeGreaterThanOrEqual(10_000);
    expect(preemptions).toBeGreaterThanOrEqual(1);
    expect(now! - (running! + runnable! + blocked!)).toBeGreaterThanOrEqual(0);
    expect(now! - (running! + runnable! + blocked!)).toBeLessThan(50);
    expectClean(r);
  });

  it("reads the calling VCPU's own counters", () => {
    const r = run1(kernel(`
        hc HC_DEBUG_MARK, 1
        hc HC_DEBUG_MARK, 2
        hc HC_DEBUG_MARK, 3
        hc HC_VCPU_START, 1, sec, stack1, 0
        waitfor 0
        hc HC_STAT, STAT_HYPERCALLS
        keep a0, 0`, `
sec:    hc HC_STAT, STAT_HYPERCALLS
        keep a0, 1
        hc HC_STAT, STAT_INSTRUCTIONS
        keep a0, 2
        setflag 0
1:      j 1b`), { vcpus: 2 }, { pcpus: 2 });
    expect(r.resN(3)).toEqual([5, 1, 17]); // VCPU 1: its first hcall; hc (7) + keep (la + sw = 3) + hc (7) instructions
    expectClean(r);
  });

  it('MIGRATIONS counts moves to another PCPU', () => {
    // VMs 0 and 2 take turns on PCPU 0, VM 1 has PCPU 1; once VM 1 blocks, PCPU 1 takes over one of the others.
    const spinner = `
        spin 500000
        hc HC_STAT, STAT_MIGRATIONS
        keep a0, 0
        keep a1, 1`;
    const r = run([
      { source: kernel(spinner) },
      { source: kernel('spin 150000\n hc HC_IPC_RECV, 1, 3000          # then 3 ms blocked (from itself: nobody sends)') },
      { source: kernel(spinner) },
    ], { pcpus: 2, slice: SLICE });
    expect(r.res(0, 0) + r.res(0, 2)).toBeGreaterThanOrEqual(1);
    expect([r.res(1, 0), r.res(1, 2)]).toEqual([0, 0]);
    for (const vm of [0, 1, 2]) expectClean(r, vm);
  });

  it('E_INVAL for a selector not in STATS', () => {
    const sels = [STATS.length, -1, 1000, 0x7fffffff, 0x80000000];
    const r = run1(kernel(sels.map((s, i) => `hc HC_STAT, ${s}\n keep a0, ${i}`).join('\n')));
    expect(r.resN(sels.length)).toEqual(sels.map(() => E.INVAL));
    expectClean(r);
  });
});

describe('DEBUG_MARK', () => {
  it('returns 0 and counts each mark in vm.debugMarks, whatever the value', () => {
    const r = run1(kernel(`
        hc HC_DEBUG_MARK, 0
        keep a0, 0
        hc HC_DEBUG_MARK, -1
        keep a0, 1
        hc HC_DEBUG_MARK, 0x12345678
        keep a0, 2`));
    expect(r.resN(3)).toEqual([0, 0, 0]);
    expect(r.hv.vms[0]!.debugMarks).toBe(3);
    expectClean(r);
  });
});

describe('VM_ID', () => {
  it("gives the calling VM's index, on every VCPU", () => {
    const r = run([
      { source: kernel('hc HC_VM_ID\n keep a0, 0') },
      { source: kernel('hc HC_VM_ID\n keep a0, 0\n hc HC_VCPU_START, 1, sec, stack1, 0\n waitfor 0', 'sec: hc HC_VM_ID\n keep a0, 1\n setflag 0\n1: j 1b'), vcpus: 2 },
      { source: kernel('hc HC_VM_ID\n keep a0, 0') },
    ], { pcpus: 2 });
    expect([r.res(0, 0), r.res(0, 1), r.res(1, 1), r.res(0, 2)]).toEqual([0, 1, 1, 2]);
    for (const vm of [0, 1, 2]) expectClean(r, vm);
  });
});

// ---- IPC ------------------------------------------------------------------------------

/** RECV(from, -1), keep a0, a1, a3..a5 in res[base..base+4]. */
const recvKeep = (from: number | string, base = 0, timeout = -1): string => `
        hc HC_IPC_RECV, ${from}, ${timeout}
        keep a0, ${base}
        keep a1, ${base + 1}
        keep a3, ${base + 2}
        keep a4, ${base + 3}
        keep a5, ${base + 4}`;

/** A server: RECV(-1, -1), then SEND(sender, -1, m0 + 1, m1 + 1, m2 + 1); res = a0, a1, m0..m2, send result. */
const SERVER = kernel(`
        ${recvKeep(-1)}
        mv s0, a1
        addi a3, a3, 1
        addi a4, a4, 1
        addi a5, a5, 1
        mv a1, s0
        li a2, -1
        li a0, HC_IPC_SEND
        hcall
        keep a0, 5`);

/** A client: CALL(server, -1, 10, 0x80000000, -1); res = a0, a1, reply. */
const client = (server: number, timeout = -1): string => kernel(`
        hc HC_IPC_CALL, ${server}, ${timeout}, 10, 0x80000000, -1
        keep a0, 0
        keep a1, 1
        keep a3, 2
        keep a4, 3
        keep a5, 4`);

describe('IPC_SEND / IPC_RECV / IPC_CALL', () => {
  for (const pcpus of [1, 2]) {
    it(`CALL and a server's RECV + SEND: message in a3..a5, sender in a1 (server first, ${pcpus} PCPU${pcpus > 1 ? 's' : ''})`, () => {
      const r = run([{ source: SERVER }, { source: client(0) }], { pcpus });
      expect(r.resN(6, 0)).toEqual([0, 1, 10, 0x80000000 | 0, -1, 0]);
      expect(r.resN(5, 1)).toEqual([0, 0, 11, 0x80000001 | 0, 0]);
      expectClean(r, 0);
      expectClean(r, 1);
    });
  }

  it('CALL before the server receives: the caller queues, then gets the reply', () => {
    const r = run([{ source: client(1) }, { source: SERVER }]);
    expect(r.resN(6, 1)).toEqual([0, 0, 10, 0x80000000 | 0, -1, 0]);
    expect(r.resN(5, 0)).toEqual([0, 1, 11, 0x80000001 | 0, 0]);
    expectClean(r, 0);
    expectClean(r, 1);
  });

  it('SEND blocks until received; RECV from a given VM takes only its messages', () => {
    const r = run([
      { source: kernel(`${recvKeep(2, 0)}\n${recvKeep(-1, 5)}`) },
      { source: kernel('hc HC_IPC_SEND, 0, -1, 1, 2, 3\n keep a0, 0') },
      { source: kernel('hc HC_IPC_SEND, 0, -1, 7, 8, 9\n keep a0, 0') },
    ]);
    expect(r.resN(10, 0)).toEqual([0, 2, 7, 8, 9, 0, 1, 1, 2, 3]);
    expect(r.res(0, 1)).toBe(0);
    expect(r.res(0, 2)).toBe(0);
    for (const vm of [0, 1, 2]) expectClean(r, vm);
  });

  it('E_TIMEOUT at once with timeout 0 when nobody waits', () => {
    const r = run([
      {
        source: kernel(`
        ${TIME_S0}
        hc HC_IPC_SEND, 1, 0, 1, 2, 3
        keep a0, 0
        hc HC_IPC_RECV, -1, 0
        keep a0, 1
        hc HC_IPC_RECV, 1, 0
        keep a0, 2
        hc HC_IPC_CALL, 1, 0, 1, 2, 3
        keep a0, 3
        hc HC_TIME
        sub t0, a0, s0
        keep t0, 4
        hc HC_STAT, STAT_BLOCKED
        keep a0, 5`),
      },
      { source: kernel('') }, // runnable, never receiving
    ]);
    expect(r.resN(4)).toEqual([E.TIMEOUT, E.TIMEOUT, E.TIMEOUT, E.TIMEOUT]);
    expect(r.res(4)).toBeLessThan(200);
    expect(r.res(5)).toBe(0);
    expectClean(r, 0);
    expectClean(r, 1);
  });

  it('a finite timeout expires with E_TIMEOUT at the right virtual time (RECV, SEND, CALL)', () => {
    const timed = (call: string, us: number, slot: number): string => `
        ${TIME_S0}
        ${call}
        keep a0, ${slot}
        hc HC_TIME
        sub t0, a0, s0
        li t1, ${us * 100}
        sub t0, t0, t1
        keep t0, ${slot + 1}            # lateness`;
    const r = run([
      {
        source: kernel([
          timed('hc HC_IPC_RECV, -1, 100', 100, 0),
          timed('hc HC_IPC_SEND, 1, 250, 1, 2, 3', 250, 2),
          timed('hc HC_IPC_CALL, 1, 300, 4, 5, 6', 300, 4), // VM 1 receives it, never replies
        ].join('\n')),
      },
      { source: kernel(`hc HC_IPC_RECV, 1, 400     # from itself: not VM 0's send\n${recvKeep(0, 0)}\n hc HC_IPC_RECV, 1, 1000`) },
    ], { pcpus: 2, time: 3_000_000 });
    const v = r.resN(6);
    expect([v[0], v[2], v[4]]).toEqual([E.TIMEOUT, E.TIMEOUT, E.TIMEOUT]);
    for (const late of [v[1], v[3], v[5]]) {
      expect(late).toBeGreaterThanOrEqual(0);
      expect(late).toBeLessThan(50);
    }
    expect(r.resN(5, 1)).toEqual([0, 0, 4, 5, 6]); // the CALL was received: it timed out waiting for the reply
    expectClean(r, 0);
    expectClean(r, 1);
  });

  it('a CALL taken at once by a waiting server times out from the call, waiting for the reply', () => {
    const r = run([
      {
        source: kernel(`
        spin 5000                       # the server is waiting by now
        ${TIME_S0}
        hc HC_IPC_CALL, 1, 300, 4, 5, 6
        keep a0, 0
        hc HC_TIME
        sub t0, a0, s0
        keep t0, 1`),
      },
      { source: kernel(`${recvKeep(-1, 0)}\n hc HC_IPC_RECV, 1, 1000     # never replies`) },
    ], { pcpus: 2 });
    expect(r.res(0)).toBe(E.TIMEOUT);
    expect(r.res(1)).toBeGreaterThanOrEqual(30_000);
    expect(r.res(1)).toBeLessThan(30_000 + QUANTUM);
    expect(r.resN(5, 1)).toEqual([0, 0, 4, 5, 6]);
    expectClean(r, 0);
    expectClean(r, 1);
  });

  it('a completed IPC leaves no timeout behind: the next wait gets its full time', () => {
    const r = run([
      {
        source: kernel(`
        hc HC_IPC_CALL, 1, 300, 1, 2, 3   # answered at once
        keep a0, 0
        keep a3, 1
        hc HC_IPC_SEND, 1, 400, 7, 8, 9   # received at once
        keep a0, 2
        ${TIME_S0}
        hc HC_IPC_RECV, -1, 1000          # nobody sends: 10 ms
        keep a0, 3
        hc HC_TIME
        sub t0, a0, s0
        keep t0, 4`),
      },
      {
        source: kernel(`
        ${recvKeep(-1, 0)}
        addi a3, a3, 1
        li a1, 0
        li a2, -1
        li a0, HC_IPC_SEND
        hcall
        ${recvKeep(0, 5)}`),
      },
    ], { pcpus: 2 });
    expect(r.resN(5)).toEqual([0, 2, 0, E.TIMEOUT, r.res(4)]);
    expect(r.res(4)).toBeGreaterThanOrEqual(100_000);
    expect(r.res(4)).toBeLessThan(100_000 + QUANTUM);
    expect(r.resN(10, 1)).toEqual([0, 0, 1, 2, 3, 0, 0, 7, 8, 9]);
    expectClean(r, 0);
    expectClean(r, 1);
  });

  it('an IPC wait is not woken by interrupts', () => {
    const r = run1(kernel(`
        li t0, 1 << IRQ_TIMER
        csrw CSR_IMASK, t0
        ${TIME_S0}
        li t0, 5000
        add a1, s0, t0
        li a2, 0
        li a0, HC_SET_TIMER
        hcall
        hc HC_IPC_RECV, -1, 200
        keep a0, 0
        hc HC_TIME
        sub t0, a0, s0
        keep t0, 1
        csrr t0, CSR_IPEND
        keep t0, 2`), {}, { pcpus: 2 });
    expect(r.res(0)).toBe(E.TIMEOUT);
    expect(r.res(1)).toBeGreaterThanOrEqual(20_000);
    expect(r.res(1)).toBeLessThan(20_100);
    expect(r.res(2)).toBe(1);
    expectClean(r);
  });

  it('E_NOENT for a VM that does not exist or has stopped; RECV(-1) still just times out', () => {
    const r = run([
      {
        source: kernel(`
        hc HC_IPC_SEND, 5, 0
        keep a0, 0
        hc HC_IPC_SEND, -1, 0
        keep a0, 1
        hc HC_IPC_RECV, 5, 0
        keep a0, 2
        hc HC_IPC_RECV, -2, 0
        keep a0, 3
        hc HC_IPC_CALL, 5, 0
        keep a0, 4
        hc HC_IPC_CALL, 0x80000000, 0
        keep a0, 5
        hc HC_IPC_RECV, 1, -1           # waits on VM 1, which shuts down: E_NOENT
        keep a0, 6
        hc HC_IPC_SEND, 1, -1
        keep a0, 7
        hc HC_IPC_RECV, 1, 0
        keep a0, 8
        hc HC_IPC_CALL, 1, -1
        keep a0, 9
        hc HC_IPC_RECV, -1, 0
        keep a0, 10`),
      },
      { source: kernel('hc HC_SHUTDOWN, 3') },
    ]);
    expect(r.resN(11)).toEqual([E.NOENT, E.NOENT, E.NOENT, E.NOENT, E.NOENT, E.NOENT, E.NOENT, E.NOENT, E.NOENT, E.NOENT, E.TIMEOUT]);
    expectClean(r);
  });

  it('E_INVAL for timeout < -1', () => {
    const r = run([
      {
        source: kernel(`
        hc HC_IPC_SEND, 1, -2
        keep a0, 0
        hc HC_IPC_RECV, -1, -2
        keep a0, 1
        hc HC_IPC_CALL, 1, -2
        keep a0, 2
        hc HC_IPC_SEND, 1, 0x80000000
        keep a0, 3
        hc HC_IPC_RECV, 1, -100
        keep a0, 4
        hc HC_IPC_CALL, 1, 0x80000000
        keep a0, 5
        hc HC_STAT, STAT_BLOCKED
        keep a0, 6`),
      },
      { source: kernel(recvKeep(-1, 0, 0)) },
    ]);
    expect(r.resN(7)).toEqual([E.INVAL, E.INVAL, E.INVAL, E.INVAL, E.INVAL, E.INVAL, 0]);
    expect(r.res(0, 1)).toBe(E.TIMEOUT); // nothing was sent to VM 1
    expectClean(r, 0);
    expectClean(r, 1);
  });

  it('a client CALLing a server that shuts down after receiving gets E_NOENT', () => {
    const r = run([
      { source: kernel(`${recvKeep(-1)}\n hc HC_SHUTDOWN, 4`) },
      { source: client(0) },
    ]);
    expect(r.resN(5, 0)).toEqual([0, 1, 10, 0x80000000 | 0, -1]);
    expect(r.hv.vms[0]!.exitCode).toBe(4);
    expect(r.res(0, 1)).toBe(E.NOENT);
    expectClean(r, 1);
  });

  it('a client CALLing (or SENDing to) a server that shuts down before receiving gets E_NOENT', () => {
    const r = run([
      { source: client(2) },
      { source: kernel('hc HC_IPC_SEND, 2, -1, 1, 2, 3\n keep a0, 0') },
      { source: kernel('spin 10000\n hc HC_SHUTDOWN, 5') },
    ]);
    expect(r.res(0, 0)).toBe(E.NOENT);
    expect(r.res(0, 1)).toBe(E.NOENT);
    expect(r.hv.vms[2]!.exitCode).toBe(5);
    expectClean(r, 0);
    expectClean(r, 1);
  });
});

// ---- grants -----------------------------------------------------------------------------

/** VM 0: write `pattern` to page0 words 0..1, GRANT(1, page0, pages, flags) -> res[0], send the id to VM 1. */
const granter = (flags: string, after: string, pages = 1): string => kernel(`
        la t0, page0
        li t1, 0x11223344
        sw t1, 0(t0)
        li t1, 0x41424344
        sw t1, 8(t0)
        la t0, page1
        li t1, 0x5a5a5a5a
        sw t1, 0(t0)
        hc HC_GRANT, 1, page0, ${pages}, ${flags}
        keep a0, 0
        mv a3, a0
        li a1, 1
        li a2, -1
        li a4, 0
        li a5, 0
        li a0, HC_IPC_SEND
        hcall
        keep a0, 1
        ${after}`);

/** VM 1: receive the grant id from VM 0 into s0 and map it at `at`; res[0] = recv, res[1] = map. */
const receiver = (after: string, at = 'GRANT_WINDOW'): string => kernel(`
        hc HC_IPC_RECV, 0, -1
        keep a0, 0
        mv s0, a3
        li a1, 0
        mv a2, s0
        li a3, ${at}
        li a0, HC_GRANT_MAP
        hcall
        keep a0, 1
        ${after}`);

describe('GRANT / GRANT_MAP / GRANT_REVOKE', () => {
  it('a writable grant: each VM reads what the other wrote (and CONSOLE_WRITE reads through the window)', () => {
    const r = run([
      {
        source: granter('GRANT_WRITE', `
        hc HC_IPC_RECV, 1, -1           # VM 1 is done
        keep a0, 2
        la t0, page0
        lw t1, 4(t0)
        keep t1, 3`),
      },
      {
        source: receiver(`
        li s1, GRANT_WINDOW
        lw t0, 0(s1)
        keep t0, 2
        li t0, 0x55667788
        sw t0, 4(s1)
        hc HC_CONSOLE_WRITE, GRANT_WINDOW + 8, 4
        keep a0, 3
        hc HC_IPC_SEND, 0, -1
        keep a0, 4`),
      },
    ]);
    expect(r.resN(4, 0)).toEqual([0, 0, 0, 0x55667788]);
    expect(r.resN(5, 1)).toEqual([0, 0, 0x11223344, 4, 0]);
    expect(r.out[1]).toBe('DCBA');
    expectClean(r, 0);
    expectClean(r, 1);
  });

  it('a multi-page grant mapped inside the window reaches every page', () => {
    const r = run([
      { source: granter('0', 'hc HC_IPC_RECV, 1, -1', 2) },
      {
        source: receiver(`
        li s1, GRANT_WINDOW + 5 * PAGE_SIZE
        lw t0, 0(s1)
        keep t0, 2
        lw t0, PAGE_SIZE(s1)
        keep t0, 3
        hc HC_IPC_SEND, 0, -1`, 'GRANT_WINDOW + 5 * PAGE_SIZE'),
      },
    ]);
    expect(r.resN(4, 1)).toEqual([0, 0, 0x11223344, 0x5a5a5a5a]);
    expectClean(r, 0);
    expectClean(r, 1);
  });

  it('a read-only grant: the receiver reads, its write faults (STORE_PAGE_FAULT) and stops only VM 1', () => {
    const r = run([
      {
        source: granter('0', `
        hc HC_IPC_RECV, 1, -1           # E_NOENT once VM 1 has faulted
        keep a0, 2
        la t0, page0
        lw t1, 4(t0)
        keep t1, 3`),
      },
      {
        source: receiver(`
        li s1, GRANT_WINDOW
        lw t0, 0(s1)
        keep t0, 2
        li t0, 0x55667788
        sw t0, 4(s1)                    # no trap handler: VM 1 faults
        li t0, 1
        keep t0, 3`),
      },
    ]);
    expect(r.resN(4, 0)).toEqual([0, 0, E.NOENT, 0]);
    expectClean(r, 0);
    expect(r.resN(4, 1)).toEqual([0, 0, 0x11223344, 0]);
    const vm1 = r.hv.vms[1]!;
    expect(vm1.state).toBe('fault');
    expect(vm1.fault?.cause).toBe(CAUSE.STORE_PAGE_FAULT);
    expect(vm1.fault?.addr).toBe(GRANT_WINDOW + 4);
  });

  it('GRANT_REVOKE: the receiver\'s next access (even through a warm TLB) is a BUS_ERROR', () => {
    const r = run([
      {
        source: granter('GRANT_WRITE', `
        hc HC_IPC_RECV, 1, -1           # mapped and read
        mv s0, a3
        hc HC_GRANT_REVOKE, 0
        keep a0, 2
        hc HC_IPC_SEND, 1, -1
        keep a0, 3
        hc HC_IPC_RECV, 1, -1           # E_NOENT once VM 1 has faulted
        keep a0, 4`),
      },
      {
        source: receiver(`
        li s1, GRANT_WINDOW
        lw t0, 0(s1)
        keep t0, 2
        hc HC_IPC_SEND, 0, -1
        hc HC_IPC_RECV, 0, -1           # revoked
        keep a0, 3
        li s1, GRANT_WINDOW
        lw t0, 0(s1)                    # no trap handler: VM 1 faults
        keep t0, 4`),
      },
    ]);
    expect(r.resN(5, 0)).toEqual([0, 0, 0, 0, E.NOENT]);
    expectClean(r, 0);
    expect(r.resN(5, 1)).toEqual([0, 0, 0x11223344, 0, 0]);
    const vm1 = r.hv.vms[1]!;
    expect(vm1.state).toBe('fault');
    expect(vm1.fault?.cause).toBe(CAUSE.BUS_ERROR);
    expect(vm1.fault?.addr).toBe(GRANT_WINDOW);
    expect(vm1.mem.grants[0]).toBe(-1);
  });

  it('the grant goes away when the granter stops: the receiver gets a BUS_ERROR', () => {
    const r = run([
      { source: granter('GRANT_WRITE', 'hc HC_IPC_RECV, 1, -1\n hc HC_SHUTDOWN, 6') },
      {
        source: receiver(`
        li s1, GRANT_WINDOW
        lw t0, 0(s1)
        keep t0, 2
        hc HC_IPC_SEND, 0, -1
        hc HC_IPC_RECV, 0, -1           # E_NOENT: VM 0 stopped
        keep a0, 3
        lw t0, 0(s1)
        keep t0, 4`),
      },
    ]);
    expect(r.hv.vms[0]!.exitCode).toBe(6);
    expect(r.resN(5, 1)).toEqual([0, 0, 0x11223344, E.NOENT, 0]);
    expect(r.hv.vms[1]!.fault?.cause).toBe(CAUSE.BUS_ERROR);
  });

  it('GRANT: E_NOENT (bad, own or stopped VM), E_INVAL (address, pages, range, flags); failed calls allocate no id', () => {
    const calls: [string, number][] = [
      ['5, page0, 1, 0', E.NOENT!],
      ['-1, page0, 1, 0', E.NOENT!],
      ['0, page0, 1, 0', E.NOENT!], // own VM
      ['2, page0, 1, 0', E.NOENT!], // stopped
      ['1, page0 + 4, 1, 0', E.INVAL!],
      ['1, page0 + 2048, 1, 0', E.INVAL!],
      ['1, 0x1000, 1, 0', E.INVAL!],
      ['1, 0, 1, 0', E.INVAL!],
      ['1, page0, 0, 0', E.INVAL!],
      ['1, page0, -1, 0', E.INVAL!],
      ['1, page0, 0x100000, 0', E.INVAL!],
      [`1, KERNEL_BASE + ${MEM} - ${PAGE_SIZE}, 2, 0`, E.INVAL!],
      [`1, KERNEL_BASE + ${MEM}, 1, 0`, E.INVAL!],
      ['1, GRANT_WINDOW, 1, 0', E.INVAL!],
      ['1, page0, 1, 2', E.INVAL!],
      ['1, page0, 1, -1', E.INVAL!],
      ['1, page0, 1, GRANT_WRITE | 4', E.INVAL!],
      [`1, KERNEL_BASE + ${MEM} - ${PAGE_SIZE}, 1, GRANT_WRITE`, 0],
      [`1, KERNEL_BASE, ${MEM / PAGE_SIZE}, 0`, 1],
    ];
    const r = run([
      { source: kernel(`hc HC_IPC_RECV, 2, -1\n keep a0, 40\n${calls.map(([a], i) => `hc HC_GRANT, ${a}\n keep a0, ${i}`).join('\n')}`) },
      { source: kernel('hc HC_IPC_RECV, 0, -1') },
      { source: kernel('hc HC_SHUTDOWN, 0') },
    ]);
    expect(r.res(40)).toBe(E.NOENT); // VM 2 stopped
    expect(r.resN(calls.length)).toEqual(calls.map(([, e]) => e));
    expectClean(r, 0);
    expectClean(r, 1);
  });

  it(`GRANT: E_NOSPACE beyond MAX_GRANTS (${MAX_GRANTS}); a revoke frees a slot`, () => {
    const r = run([
      {
        source: kernel(`
        li s0, 0
1:      hc HC_GRANT, 1, page0, 1, 0
        bne a0, s0, 2f                  # ids 0, 1, 2, ...
        addi s0, s0, 1
        li t0, ${MAX_GRANTS + 10}
        blt s0, t0, 1b
2:      keep s0, 0
        keep a0, 1
        hc HC_GRANT_REVOKE, 5
        keep a0, 2
        hc HC_GRANT, 1, page0, 1, 0
        keep a0, 3
        hc HC_GRANT, 1, page0, 1, 0
        keep a0, 4`),
      },
      { source: kernel('hc HC_IPC_RECV, 0, -1') },
    ]);
    expect(r.resN(5)).toEqual([MAX_GRANTS, E.NOSPACE, 0, MAX_GRANTS, E.NOSPACE]);
    expectClean(r, 0);
    expectClean(r, 1);
  });

  it('GRANT_MAP: E_NOENT, E_STATE, E_INVAL, E_NOSPACE with their conditions', () => {
    // VM 0 grants: id 0 (1 page) and id 2 (2 pages) to VM 1, id 1 to VM 2.
    const W = 'GRANT_WINDOW';
    const last = `${W} + ${(GRANT_WINDOW_PAGES - 1) * PAGE_SIZE}`;
    const calls: [string, number][] = [
      [`5, 0, ${W}`, E.NOENT!], // no such VM
      [`-1, 0, ${W}`, E.NOENT!],
      [`1, 0, ${W}`, E.NOENT!], // own VM: no grant to itself
      [`0, 99, ${W}`, E.NOENT!], // no such grant
      [`0, -1, ${W}`, E.NOENT!],
      [`0, 1, ${W}`, E.NOENT!], // a grant for VM 2
      [`0, 0, ${W} + 4`, E.INVAL!],
      [`0, 0, ${W} + 2048`, E.INVAL!],
      [`0, 0, page0`, E.INVAL!], // RAM, not the window
      ['0, 0, 0x1000', E.INVAL!],
      [`0, 0, ${W} - ${PAGE_SIZE}`, E.INVAL!],
      [`0, 0, ${W} + ${GRANT_WINDOW_PAGES * PAGE_SIZE}`, E.INVAL!], // just past the window
      [`0, 2, ${last}`, E.INVAL!], // 2 pages from the last window page
      [`0, 0, ${last}`, 0],
      [`0, 0, ${W}`, E.STATE!], // already mapped
      [`0, 2, ${W} + ${(GRANT_WINDOW_PAGES - 2) * PAGE_SIZE}`, E.NOSPACE!], // second page taken
      [`0, 2, ${W}`, 0],
      [`0, 2, ${W} + ${3 * PAGE_SIZE}`, E.STATE!],
    ];
    const r = run([
      {
        source: kernel(`
        hc HC_GRANT, 1, page0, 1, GRANT_WRITE
        keep a0, 0
        hc HC_GRANT, 2, page0, 1, 0
        keep a0, 1
        hc HC_GRANT, 1, page1, 2, 0
        keep a0, 2
        la t0, page1
        li t1, 0x5a5a5a5a
        sw t1, 0(t0)
        la t0, page2
        li t1, 0x6b6b6b6b
        sw t1, 0(t0)
        hc HC_IPC_SEND, 1, -1
        hc HC_IPC_SEND, 2, -1
        hc HC_IPC_RECV, 1, -1
        hc HC_IPC_RECV, 2, -1`),
      },
      {
        source: kernel(`
        hc HC_IPC_RECV, 0, -1
        ${calls.map(([a], i) => `hc HC_GRANT_MAP, ${a}\n keep a0, ${i}`).join('\n')}
        li t0, ${W} + ${PAGE_SIZE}
        lw t0, 0(t0)
        keep t0, 30                     # second page of grant 2
        hc HC_IPC_SEND, 0, -1`),
      },
      {
        source: kernel(`
        hc HC_IPC_RECV, 0, -1
        hc HC_GRANT_MAP, 0, 1, GRANT_WINDOW
        keep a0, 0
        hc HC_GRANT_MAP, 0, 0, GRANT_WINDOW + ${PAGE_SIZE}    # VM 1's
        keep a0, 1
        hc HC_IPC_SEND, 0, -1`),
      },
    ]);
    expect(r.resN(3, 0)).toEqual([0, 1, 2]);
    expect(r.resN(calls.length, 1)).toEqual(calls.map(([, e]) => e));
    expect(r.res(30, 1)).toBe(0x6b6b6b6b);
    expect(r.resN(2, 2)).toEqual([0, E.NOENT]);
    for (const vm of [0, 1, 2]) expectClean(r, vm);
  });

  it('GRANT_REVOKE: E_NOENT for an id the caller does not have (bad, already revoked, another VM\'s)', () => {
    const r = run([
      {
        source: kernel(`
        hc HC_GRANT_REVOKE, 0
        keep a0, 0
        hc HC_GRANT, 1, page0, 1, 0
        keep a0, 1
        hc HC_GRANT_REVOKE, 0           # never mapped: fine
        keep a0, 2
        hc HC_GRANT_REVOKE, 0
        keep a0, 3
        hc HC_GRANT_REVOKE, -1
        keep a0, 4
        hc HC_GRANT, 1, page0, 1, 0
        keep a0, 5
        hc HC_IPC_SEND, 1, -1
        hc HC_IPC_RECV, 1, -1`),
      },
      {
        source: kernel(`
        hc HC_IPC_RECV, 0, -1
        hc HC_GRANT_REVOKE, 1           # VM 0's grant id 1, not VM 1's
        keep a0, 0
        hc HC_GRANT_MAP, 0, 1, GRANT_WINDOW
        keep a0, 1                      # still there
        hc HC_IPC_SEND, 0, -1`),
      },
    ]);
    expect(r.resN(6)).toEqual([E.NOENT, 0, 0, E.NOENT, E.NOENT, 1]);
    expect(r.resN(2, 1)).toEqual([E.NOENT, 0]);
    expectClean(r, 0);
    expectClean(r, 1);
  });
});

// ---- one PCPU: events armed during a round --------------------------------------------

/**
 * Regression: with one PCPU a round is not cut into quanta, so it must end
 * at events that hypercalls arm during the round (a timer, an IPC timeout);
 * once it ran on to the time limit, or until the PCPU ran out of work.
 */
describe('one PCPU: events armed by a hypercall during a round', () => {
  it('SET_TIMER: wfi 1 ms ahead wakes within a quantum after the deadline (1 PCPU, 20 ms time limit)', () => {
    const r = run1(kernel(armAndWait(100_000, 'wfi')), {}, { pcpus: 1 });
    const [res, deadline, woke] = r.resN(3);
    expect(res).toBe(0);
    expect(woke).toBeGreaterThanOrEqual(deadline!);
    expect(woke).toBeLessThan(deadline! + QUANTUM); // today: never wakes before the 20 ms limit
    expectClean(r);
  });

  it('SET_TIMER: fires on time while another VM keeps the only PCPU busy (no time limit)', () => {
    const r = run([
      { source: kernel(armAndWait(100_000, 'wfi')) },
      { source: kernel('spin 500000') },
    ], { pcpus: 1, slice: SLICE, time: undefined });
    const [res, deadline, woke] = r.resN(3);
    expect(res).toBe(0);
    expect(woke).toBeGreaterThanOrEqual(deadline!);
    expect(woke).toBeLessThan(deadline! + SLICE); // today: 4 ms late, when VM 1 shuts down at 5 ms
  });

  it('IPC_RECV: a 100 us timeout expires on time (1 PCPU)', () => {
    const r = run1(kernel(`
        ${TIME_S0}
        hc HC_IPC_RECV, -1, 100
        keep a0, 0
        hc HC_TIME
        sub t0, a0, s0
        keep t0, 1`), {}, { pcpus: 1 });
    expect(r.res(0)).toBe(E.TIMEOUT); // today: still blocked at the 20 ms limit
    expect(r.res(1)).toBeGreaterThanOrEqual(10_000);
    expect(r.res(1)).toBeLessThan(10_000 + QUANTUM);
  });
});
