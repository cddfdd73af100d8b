/**
 * The SMP guest kernel (guest-kernel/) under the hypervisor: booting on
 * 1..8 VCPUs, every program of programs/kernel/, exact shared counters with
 * both lock kinds, the load balancer, fault isolation, deadlock freedom over
 * seeds, lock statistics, lock-holder hints, debug locks, balloon threads,
 * the kernel's copy of the ISA's cause names, and processes that spawn and
 * reap processes. Every run is deterministic (fixed seeds) and bounded by a
 * virtual time limit.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kernel, ksym } from '../../guest-kernel/loader/index.ts';
import { HC } from '../../isa/hypercalls.ts';
import { INFO } from '../../isa/infopage.ts';
import { CAUSE, CAUSES, IRQ, causeName } from '../../isa/traps.ts';
import { REG } from '../../isa/registers.ts';
import type { Hypervisor } from '../../hypervisor/machine.ts';
import { VS } from '../../hypervisor/vcpu.ts';
import type { Vm } from '../../hypervisor/vm.ts';
import {
  ALL_DONE, KPROGS, USER_LIB, boot, hypercallTracer, infoPage, kinline, kpa, kprog, kstring, lockTable, percpu,
  programExpectations, runKernel, threadTable, TIME_LIMIT, unmatched, word, type KernelRun,
} from '../helpers/kernel.ts';
import { symbol } from '../helpers/guest.ts';

/** The result line each program promises (its one `# expect:` line). */
const promise = (name: string): string => {
  const e = programExpectations(name).lines;
  expect(e).toHaveLength(1);
  expect(typeof e[0]).toBe('string');
  return e[0] as string;
};

/** The run ended because the kernel shut the VM down with code 0 after its last process. */
function expectCleanShutdown(r: KernelRun): void {
  expect(r.out).not.toContain('kernel panic');
  expect(r.stop).toBe('done');
  expect([r.vm.state, r.vm.exitCode]).toEqual(['shutdown', 0]);
  expect(r.lines.at(-1)).toBe(ALL_DONE);
}

/** Output lines of processes (everything before the kernel's last line), in any order. */
const processLines = (r: KernelRun): string[] => r.lines.slice(0, -1).sort();

// ---- 1. booting on 1, 2, 4 and 8 VCPUs ------------------------------------------------

describe('boot', () => {
  const configs = [
    { vcpus: 1, pcpus: 1 },
    { vcpus: 2, pcpus: 2 },
    { vcpus: 4, pcpus: 4 },
    { vcpus: 8, pcpus: 4 }, // more VCPUs than PCPUs
  ];
  for (const c of configs) {
    it(`runs hello.s and workers.s on ${c.vcpus} VCPUs / ${c.pcpus} PCPUs and shuts down`, () => {
      const r = runKernel({ ...c, programs: ['hello.s', 'workers.s'] });
      expectCleanShutdown(r);
      expect(r.lines).toHaveLength(3);
      expect(processLines(r)).toEqual([promise('hello.s'), promise('workers.s')].sort());
      expect(r.stats.cpus).toHaveLength(c.vcpus);
      expect(r.stats.cpus.every((cpu) => cpu.ticks > 0)).toBe(true); // every CPU came up and took its tick
    });
  }
});

// ---- 2. every program keeps its promise ---------------------------------------------------

describe('programs/kernel/', () => {
  // httpd.s needs the network device and never exits by itself, and cpuhog.s (the competitor) counts
  // forever: test/bench/lhp.test.ts runs both.
  const programs = readdirSync(KPROGS).filter((f) => f.endsWith('.s') && !['ulib.s', 'httpd.s', 'cpuhog.s'].includes(f)).sort();

  it('has the programs the tests below use', () => {
    for (const p of ['hello.s', 'workers.s', 'lockstress.s', 'prodcons.s', 'parallel.s', 'fault.s']) expect(programs).toContain(p);
  });

  for (const p of programs) {
    it(`${p} prints what it promises (alone, 2 VCPUs / 2 PCPUs)`, () => {
      const exp = programExpectations(p);
      expect(exp.lines.length).toBeGreaterThan(0);
      const r = runKernel({ vcpus: 2, pcpus: 2, programs: [p] });
      expect(r.out).not.toContain('kernel panic');
      expect(r.stop).toBe('done');
      expect([r.vm.state, r.vm.exitCode]).toEqual(['shutdown', exp.exit]);
      expect(unmatched(exp.lines, r.lines)).toEqual([]);
      expect(r.lines.at(-1)).toBe(ALL_DONE);
    });
  }
});

// ---- 3. the shared counter is exact with both lock kinds ---------------------------------

describe('lockstress', () => {
  for (const locks of ['ttas', 'ticket'] as const) {
    it(`counts exactly 2000 with ${locks} locks on 4 VCPUs / 2 PCPUs, with contention on the counter lock`, () => {
      // 1 ms hypervisor slices: with ticket locks a preempted waiter stalls the whole FIFO
      // (lock-waiter preemption), and 10 ms slices can stretch this run past the time limit.
      // Jittered slices (the default) stretch it too: 1.28 s of virtual time was seen, so it gets 3 s.
      const r = runKernel({ vcpus: 4, pcpus: 2, locks, programs: ['lockstress.s'], slice: 100_000, time: 3 * TIME_LIMIT });
      expectCleanShutdown(r);
      expect(r.lines).toEqual([promise('lockstress.s'), ALL_DONE]);
      expect(r.stats.counter).toBe(2000);
      const counter = r.stats.locks.find((l) => l.name === 'counter')!;
      expect(counter.acquisitions).toBe(2001); // 8 x 250 increments and the final read
      expect(counter.contended).toBeGreaterThan(0);
      expect(counter.spinCycles).toBeGreaterThan(0);
    });
  }
});

// ---- 4. the balancer spreads CPU-bound threads ----------------------------------------------

/**
 * parallel.s with the finishing CPU made visible: JOBS CPU-bound threads, all
 * created on the main thread's CPU; each sends (index << 8 | its CPU) when done
 * and the main thread prints "job I finished on cpu C".
 */
const SPREAD = `
        .include "../../guest-kernel/abi.inc"
        .equ    JOBS, 8
        .equ    WORK, 400
        .equ    BOX, 3
        .org    0x00400000
        .text
_start:
        li      s0, 0
1:      li      a0, SYS_THREAD
        la      a1, job
        mv      a2, s0
        syscall
        bltz    a0, fail
        addi    s0, s0, 1
        li      t0, JOBS
        bne     s0, t0, 1b
        li      s0, 0
2:      li      a0, SYS_RECV
        li      a1, BOX
        syscall
        mv      s1, a0
        la      a0, m_job
        call    puts
        srli    a0, s1, 8
        call    putint
        la      a0, m_cpu
        call    puts
        andi    a0, s1, 255
        call    putint
        la      a0, m_nl
        call    puts
        addi    s0, s0, 1
        li      t0, JOBS
        bne     s0, t0, 2b
        li      a0, 0
        call    exit
fail:   li      a0, 1
        call    exit

job:    mv      s2, a0
        li      s1, WORK
1:      li      t0, 200
2:      addi    t0, t0, -1
        bnez    t0, 2b
        addi    s1, s1, -1
        bnez    s1, 1b
        li      a0, SYS_GETCPU
        syscall
        slli    a2, s2, 8
        or      a2, a2, a0
        li      a0, SYS_SEND
        li      a1, BOX
        syscall
        li      a0, 0
        call    exit
${USER_LIB}
        .data
m_job:  .asciz  "job "
m_cpu:  .asciz  " finished on cpu "
m_nl:   .asciz  "\\n"
`;
const spread = (): [string, ReturnType<typeof kinline>] => ['spread.s', kinline(SPREAD, 'spread.s')];

/** How many jobs finished on each CPU, from the lines SPREAD prints (every job exactly once). */
function jobsPerCpu(r: KernelRun, vcpus: number): number[] {
  const done = [...r.out.matchAll(/^job (\d+) finished on cpu (\d+)$/gm)].map((m) => [Number(m[1]), Number(m[2])] as const);
  expect(done.map(([job]) => job).sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  const counts = Array.from({ length: vcpus }, () => 0);
  for (const [, cpu] of done) counts[cpu]!++;
  return counts;
}

describe('load balancing', () => {
  it('parallel.s: 8 threads started on one CPU run on every one of 4 VCPUs', () => {
    const r = runKernel({ vcpus: 4, pcpus: 4, programs: ['parallel.s'] });
    expectCleanShutdown(r);
    expect(r.lines).toEqual([promise('parallel.s'), ALL_DONE]);
    for (const cpu of r.stats.cpus) expect(cpu.threadsRun, `cpu ${cpu.cpu}`).toBeGreaterThanOrEqual(1);
    expect(r.stats.cpus.reduce((n, c) => n + c.migrations, 0)).toBeGreaterThan(0);
  });

  for (const seed of [1, 2, 3, 4, 5]) {
    it(`8 CPU-bound jobs on 4 VCPUs / 4 PCPUs finish 2 per CPU (seed ${seed})`, () => {
      const r = runKernel({ vcpus: 4, pcpus: 4, seed, programs: [spread()] });
      expectCleanShutdown(r);
      expect(jobsPerCpu(r, 4)).toEqual([2, 2, 2, 2]);
      expect(r.stats.cpus.reduce((n, c) => n + c.migrations, 0)).toBeGreaterThanOrEqual(6); // all but 2 jobs left CPU 0
    });
  }
});

// ---- 5. a user fault kills only its process ---------------------------------------------------

describe('user faults', () => {
  it('fault.s is killed with its name, pc and cause; workers.s and hello.s finish; the kernel shuts down cleanly', () => {
    const r = runKernel({ vcpus: 2, pcpus: 2, programs: ['fault.s', 'workers.s', 'hello.s'] });
    expectCleanShutdown(r);
    expect(unmatched(programExpectations('fault.s').lines, r.lines)).toEqual([]);
    const killed = r.lines.filter((l) => l.includes('killed'));
    expect(killed).toHaveLength(1);
    const m = /^kernel: process (\d+) \((.+)\) killed: (\w+) at pc (0x[0-9a-f]{8}), address (0x[0-9a-f]{8}), cpu (\d+)$/.exec(killed[0]!);
    expect(m).not.toBeNull();
    const [, pid, name, cause, pc, addr] = m!;
    expect(pid).toBe('1'); // the first boot process
    expect(name).toBe('fault.s');
    expect(cause).toBe(causeName(CAUSE.LOAD_PAGE_FAULT));
    expect(Number(addr)).toBe(0);
    const img = kprog('fault.s');
    const text = img.segments.find((s) => s.name === '.text')!;
    expect(Number(pc)).toBeGreaterThanOrEqual(img.entry);
    expect(Number(pc)).toBeLessThan(text.vaddr + text.data.length);
    expect(Number(pc)).toBeLessThan(symbol(img, 'puts')); // in _start, not in the library
    expect(r.lines).toContain(promise('hello.s'));
    expect(r.lines).toContain(promise('workers.s'));
    expect(r.lines).toHaveLength(5); // fault's own line, the kill, hello, workers, the shutdown
  });
});

// ---- 6. no deadlock over seeds ----------------------------------------------------------------------

describe('no deadlock', () => {
  const programs = ['lockstress.s', 'prodcons.s', 'workers.s'];
  const cases = [
    ...[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((seed) => ({ locks: 'ttas' as const, seed })),
    ...[1, 2, 3].map((seed) => ({ locks: 'ticket' as const, seed })),
  ];
  for (const { locks, seed } of cases) {
    it(`lockstress + prodcons + workers, ${locks} locks, 4 VCPUs / 2 PCPUs, seed ${seed}`, () => {
      const r = runKernel({ vcpus: 4, pcpus: 2, locks, seed, programs });
      expectCleanShutdown(r);
      expect(processLines(r)).toEqual(programs.map(promise).sort());
      expect(r.stats.counter).toBe(2000);
    });
  }
});

// ---- 7. lock statistics add up ---------------------------------------------------------------------

/*
 * Lower bounds on hold and spin times, from the code (every instruction costs
 * at least one cycle, and rdtime reads the VCPU's virtual time):
 * - hold time runs from the rdtime at got_lock to the rdtime in spin_unlock.
 *   Even an empty critical section executes got_lock's bookkeeping after the
 *   rdtime (sw L_T0, csrr, addi, sw L_OWNER, lw/addi/sw L_ACQ, beqz: 8), its
 *   ret, and spin_unlock's la/lw/beqz before its rdtime: at least 12.
 * - the counter lock (sys_count) also recomputes the history checksum inside
 *   the lock: 16 iterations of 8 instructions, so at least 128 more.
 * - a contended acquisition spins from the rdtime at the top of spin_lock
 *   through at least one failed attempt and one pause loop: at least 10
 *   instructions with either kind.
 */
const MIN_HOLD = 12;
const MIN_HOLD_COUNTER = 12 + 16 * 8;
const MIN_SPIN = 10;

function checkLockStats(r: KernelRun): void {
  const held = lockTable(r.vm).filter((l) => l.owner !== 0);
  for (const l of r.stats.locks) {
    const what = `lock class ${l.name}`;
    expect(l.contended, what).toBeLessThanOrEqual(l.acquisitions);
    if (l.contended === 0) expect(l.spinCycles, what).toBe(0);
    else expect(l.spinCycles, what).toBeGreaterThanOrEqual(l.contended * MIN_SPIN);
    // An acquisition still held when the VM stopped has not added its hold time yet.
    const released = l.acquisitions - held.filter((h) => h.name === l.name).length;
    expect(l.holdCycles, what).toBeGreaterThanOrEqual(released * (l.name === 'counter' ? MIN_HOLD_COUNTER : MIN_HOLD));
  }
}

describe('lock statistics', () => {
  const programs = ['lockstress.s', 'prodcons.s', 'workers.s'];
  for (const locks of ['ttas', 'ticket'] as const) {
    it(`add up with ${locks} locks on 4 VCPUs / 2 PCPUs`, () => {
      const r = runKernel({ vcpus: 4, pcpus: 2, locks, programs });
      expectCleanShutdown(r);
      checkLockStats(r);
      expect(r.stats.locks.map((l) => l.name).sort()).toEqual(['accounting', 'conntable', 'counter', 'filecache', 'mailbox', 'netdev', 'page', 'proc', 'runqueue']);
      expect(r.stats.locks.reduce((n, l) => n + l.contended, 0)).toBeGreaterThan(0);
    });

    it(`show no contention at all on 1 VCPU (${locks})`, () => {
      const r = runKernel({ vcpus: 1, pcpus: 1, locks, programs });
      expectCleanShutdown(r);
      checkLockStats(r);
      for (const l of r.stats.locks) expect([l.name, l.contended, l.spinCycles]).toEqual([l.name, 0, 0]);
      expect(r.stats.locks.find((l) => l.name === 'counter')!.acquisitions).toBe(2001);
      expect(lockTable(r.vm).filter((l) => l.owner !== 0)).toEqual([]); // one CPU, shut down from thread_exit: nothing held
    });
  }
});

// ---- 8. lock-holder hints --------------------------------------------------------------------------

interface HintRun { run: KernelRun; yields: number[]; lockCountAtCalls: number[] }

/** Run with PREEMPT_PENDING set by hand in every info page, recording LOCK_COUNT at every hypercall. */
function runWithPendingPreemption(hints: boolean | undefined): HintRun {
  const yields: number[] = [];
  const lockCountAtCalls: number[] = [];
  const vcpus = 4;
  const tracer = hypercallTracer((v, number) => {
    const lc = word(v.vm, infoPage(v.index) + INFO.LOCK_COUNT);
    lockCountAtCalls.push(lc);
    if (number === HC.YIELD) yields.push(lc);
  });
  const run = runKernel({
    vcpus, pcpus: 2, hints, programs: ['lockstress.s', 'prodcons.s'], machine: { tracer },
    // The hypervisor never writes PREEMPT_PENDING yet: pretend it delayed a preemption on every VCPU.
    before: (k) => { for (let c = 0; c < vcpus; c++) k.vm.mem.writeWord(infoPage(c) + INFO.PREEMPT_PENDING, 1); },
  });
  return { run, yields, lockCountAtCalls };
}

describe('lock hints', () => {
  it('premise: 30-spinlock.s holds the kernel\'s only HC_YIELDs, and the user programs make no hypercalls', () => {
    const kdir = join(KPROGS, '..', '..', 'guest-kernel');
    const yields = readdirSync(kdir).filter((f) => f.endsWith('.s'))
      .flatMap((f) => readFileSync(join(kdir, f), 'utf8').split('\n').filter((l) => /^\s*(\w+:)?\s*hc\s+HC_YIELD\b/.test(l)).map(() => f));
    // spin_unlock (lock hints) and holder_check (only with BO_PREEMPT_CHECK, off here).
    expect([...new Set(yields)]).toEqual(['30-spinlock.s']);
    for (const f of readdirSync(KPROGS)) expect(readFileSync(join(KPROGS, f), 'utf8'), f).not.toMatch(/^\s*(\w+:)?\s*hcall\b/m);
  });

  it('with hints on, the kernel yields to the hypervisor only when it holds no lock, and counts every yield', () => {
    const { run, yields } = runWithPendingPreemption(true);
    expectCleanShutdown(run);
    expect(yields.length).toBeGreaterThan(0);
    expect(yields.filter((lc) => lc !== 0)).toEqual([]);
    // spin_unlock is the kernel's only HC_YIELD, and no program of this run calls it itself.
    expect(run.stats.cpus.reduce((n, c) => n + c.hintYields, 0)).toBe(yields.length);
    // The VM stops the moment the last process exits: another CPU may hold a lock then. Each
    // CPU's count is exactly the number of locks it owns.
    const owned = (c: number): number => {
      let n = 0;
      for (let i = 0; i < word(run.vm, kpa('lock_count')); i++) {
        if (word(run.vm, kpa('locks') + i * ksym('L_SIZE') + ksym('L_OWNER')) === c + 1) n++;
      }
      return n;
    };
    for (let c = 0; c < 4; c++) expect(word(run.vm, infoPage(c) + INFO.LOCK_COUNT), `cpu ${c}`).toBe(owned(c));
  });

  it('with hints on, LOCK_COUNT is nonzero while the kernel holds a lock', () => {
    const { lockCountAtCalls } = runWithPendingPreemption(true);
    // make_runnable sends HC_IPI with the target's run-queue lock held.
    expect(Math.max(...lockCountAtCalls)).toBeGreaterThan(0);
  });

  it('with hints off (the default), the kernel never yields; LOCK_COUNT is kept all the same (the hypervisor counts lock-holder preemptions with it)', () => {
    const { run, yields, lockCountAtCalls } = runWithPendingPreemption(undefined);
    expectCleanShutdown(run);
    expect(yields).toEqual([]);
    expect(lockCountAtCalls.length).toBeGreaterThan(0);
    expect(Math.min(...lockCountAtCalls)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...lockCountAtCalls)).toBeGreaterThan(0);
    expect(run.stats.cpus.map((c) => c.hintYields)).toEqual([0, 0, 0, 0]);
  });
});

// ---- 9. debug locks ----------------------------------------------------------------------------------

describe('debug locks', () => {
  for (const locks of ['ttas', 'ticket'] as const) {
    it(`run every program together without a panic (${locks}, 4 VCPUs / 2 PCPUs)`, () => {
      const programs = ['fault.s', 'hello.s', 'lockstress.s', 'prodcons.s', 'workers.s', 'parallel.s'];
      const r = runKernel({ vcpus: 4, pcpus: 2, locks, debugLocks: true, programs });
      expectCleanShutdown(r);
      for (const p of programs) expect(unmatched(programExpectations(p).lines, r.lines), p).toEqual([]);
    });
  }

  /** A lock that looks held by CPU 0 before anything ran: CPU 0's first page_alloc acquires it "again". */
  const preheldPageLock = (debugLocks: boolean): KernelRun => runKernel({
    vcpus: 1, pcpus: 1, debugLocks, programs: ['hello.s'],
    before: (k) => k.vm.mem.writeWord(kpa('locks') + ksym('LK_PAGE') * ksym('L_SIZE') + ksym('L_OWNER'), 0 + 1),
  });

  it('catch a double acquire: panic with the message and the caller\'s pc, exit code PANIC_EXIT', () => {
    const r = preheldPageLock(true);
    expect(r.stop).toBe('done');
    expect([r.vm.state, r.vm.exitCode]).toEqual(['shutdown', ksym('PANIC_EXIT')]);
    const m = /^kernel panic: spinlock acquired twice by the same CPU \(cpu 0, pc (0x[0-9a-f]{8})\)$/m.exec(r.out);
    expect(m, r.out).not.toBeNull();
    const pc = Number(m![1]);
    expect(pc).toBeGreaterThan(ksym('page_alloc')); // the return address of page_alloc's call to spin_lock
    expect(pc).toBeLessThan(ksym('page_free'));
    expect(r.out).not.toContain(ALL_DONE);
  });

  it('without debug locks, the same owner field is only bookkeeping', () => {
    expectCleanShutdown(preheldPageLock(false));
  });
});

// ---- 10. balloon threads ---------------------------------------------------------------------------

const BALLOON_CPU = 1;

/** spread.s on 2 VCPUs / 2 PCPUs; targets: [time, balloon target of CPU 1] pairs, each followed by IRQ_HV. */
function runBalloons(targets: [number, number][]): KernelRun {
  return runKernel({
    vcpus: 2, pcpus: 2, programs: [spread()],
    before: ({ hv, vm }) => {
      for (const [t, target] of targets) {
        hv.at(t, () => {
          vm.mem.writeWord(infoPage(BALLOON_CPU) + INFO.BALLOON_TARGET, target);
          hv.raiseIrq(vm.vcpus[BALLOON_CPU]!, IRQ.HV, 'test');
        });
      }
    },
  });
}

const balloons = (vm: Vm) => threadTable(vm).filter((t) => t.state !== ksym('TS_FREE') && t.kind === ksym('TK_BALLOON'));

describe('balloon threads', () => {
  it('parallel.s runs and exits with balloons inflated on CPU 1', () => {
    const r = runKernel({
      vcpus: 2, pcpus: 2, programs: ['parallel.s'],
      before: ({ hv, vm }) => {
        vm.mem.writeWord(infoPage(BALLOON_CPU) + INFO.BALLOON_TARGET, 2);
        hv.at(100_000, () => hv.raiseIrq(vm.vcpus[BALLOON_CPU]!, IRQ.HV, 'test'));
      },
    });
    expectCleanShutdown(r);
    expect(r.lines).toEqual([promise('parallel.s'), ALL_DONE]);
    expect(balloons(r.vm)).toHaveLength(2);
  });

  it('make the balancer move real work away from their CPU', () => {
    const without = runBalloons([]);
    const withB = runBalloons([[100_000, 2]]);
    expectCleanShutdown(without);
    expectCleanShutdown(withB);
    const before = jobsPerCpu(without, 2);
    const after = jobsPerCpu(withB, 2);
    expect(before).toEqual([4, 4]);
    expect(after[BALLOON_CPU]).toBeLessThan(before[BALLOON_CPU]!);
    expect(balloons(without.vm)).toEqual([]);
    const b = balloons(withB.vm);
    expect(b).toHaveLength(2);
    for (const t of b) {
      expect([t.cpu, t.pin, t.proc]).toEqual([BALLOON_CPU, BALLOON_CPU, 0]); // kernel threads pinned to CPU 1
      expect(t.runs).toBeGreaterThan(0);
      expect([ksym('TS_RUNNABLE'), ksym('TS_RUNNING')]).toContain(t.state);
    }
    expect(percpu(withB.vm, BALLOON_CPU, 'C_BALLOON_ACTIVE')).toBe(2);
    expect(percpu(withB.vm, 0, 'C_BALLOONS')).toBe(0);
  });

  it('park when the target drops back to 0', () => {
    const r = runBalloons([[100_000, 2], [400_000, 0]]);
    expectCleanShutdown(r);
    expect(jobsPerCpu(r, 2).reduce((a, b) => a + b, 0)).toBe(8);
    const b = balloons(r.vm);
    expect(b).toHaveLength(2);
    for (const t of b) expect(t.state).toBe(ksym('TS_PARKED'));
    expect(percpu(r.vm, BALLOON_CPU, 'C_BALLOON_ACTIVE')).toBe(0);
  });
});

// ---- 11. the kernel's cause names are the ISA's -------------------------------------------------------

describe('cause names', () => {
  it('cause_names in 99-data.s matches isa/traps.ts CAUSES, index = cause code', () => {
    const { vm } = boot({ vcpus: 1, pcpus: 1, programs: ['hello.s'] }); // the kernel image loaded, not run
    const maxCode = Math.max(...CAUSES.map((c) => c.code));
    const table = kpa('cause_names');
    const names = Array.from({ length: maxCode + 1 }, (_, i) => kstring(vm, word(vm, table + 4 * i)));
    expect(names).toEqual(Array.from({ length: maxCode + 1 }, (_, code) => causeName(code)));
    for (const c of CAUSES) expect(names[c.code]).toBe(c.name);
    // exactly maxCode + 1 entries: the first string follows the table
    expect(ksym('cn_0') - ksym('cause_names')).toBe(4 * (maxCode + 1));
  });
});

// ---- 12. processes that spawn and reap processes -----------------------------------------------------

/**
 * A parent that spawns module 1 (CHILD) with argument 1, receives the pid the
 * child sends to mailbox 5 just before it exits, waits for it, and counts
 * every child whose pid or exit code (7) is not the expected one.
 */
const SPAWNER = (n: number): string => `
        .include "../../guest-kernel/abi.inc"
        .equ    N, ${n}
        .equ    BOX, 5
        .org    0x00400000
        .text
_start: li      s0, 0                   # children reaped
        li      s2, 0                   # wrong pid or exit code
1:      li      a0, SYS_SPAWN
        li      a1, 1                   # module 1: the child
        li      a2, 1                   # argument 1: a real child (the boot instance gets 0)
        syscall
        bltz    a0, nomem
        mv      s1, a0
        li      a0, SYS_RECV
        li      a1, BOX
        syscall
        beq     a0, s1, 2f
        addi    s2, s2, 1
2:      li      a0, SYS_WAIT
        mv      a1, s1
        syscall
        li      t0, 7
        beq     a0, t0, 3f
        addi    s2, s2, 1
3:      addi    s0, s0, 1
        li      t0, N
        bne     s0, t0, 1b
        la      a0, m_done
        call    puts
        mv      a0, s2
        call    putint
        la      a0, m_nl
        call    puts
        li      a0, 0
        call    exit
nomem:  la      a0, m_nomem
        call    puts
        li      a0, 1
        call    exit
${USER_LIB}
        .data
m_done: .asciz  "spawner: ${n} children, wrong: "
m_nomem: .asciz "spawner: spawn failed\\n"
m_nl:   .asciz  "\\n"
`;

const CHILD = `
        .include "../../guest-kernel/abi.inc"
        .equ    BOX, 5
        .org    0x00400000
        .text
_start: beqz    a0, 9f                  # the instance spawned at boot: nothing to do
        li      t0, 2000
1:      addi    t0, t0, -1
        bnez    t0, 1b
        li      a0, SYS_GETPID
        syscall
        mv      a2, a0
        li      a0, SYS_SEND
        li      a1, BOX
        syscall
        li      a1, 7
        li      a0, SYS_EXIT
        syscall
9:      li      a1, 0
        li      a0, SYS_EXIT
        syscall
`;

const spawnPrograms = (n: number): [string, ReturnType<typeof kinline>][] => [
  ['spawner.s', kinline(SPAWNER(n), 'spawner.s')], ['child.s', kinline(CHILD, 'child.s')],
];

/** Return addresses inside thread_exit: from its label to the next label of the kernel image. */
function threadExitRange(): [number, number] {
  const start = ksym('thread_exit');
  const end = Math.min(...kernel().symbols.map((s) => s.value >>> 0).filter((a) => a > start && a < ksym('kernel_end')));
  return [start, end];
}

describe('spawn and wait', () => {
  it('a parent spawns and reaps 50 children one after another (4 VCPUs / 2 PCPUs)', () => {
    const r = runKernel({ vcpus: 4, pcpus: 2, programs: spawnPrograms(50) });
    expectCleanShutdown(r);
    expect(r.lines).toEqual(['spawner: 50 children, wrong: 0', ALL_DONE]);
  });

  /*
   * Regression (guest-kernel/60-thread.s, thread_exit): the last thread of a
   * process must read P_PTBR before it releases LK_PROC. It once read it
   * after: in between, a parent on another CPU could reap the zombie and
   * SYS_SPAWN reuse the slot, and the exiting thread destroyed the new
   * process's address space. With hints, spin_unlock yields to the
   * hypervisor exactly there (LOCK_COUNT drops to 0 with PREEMPT_PENDING
   * set); here the hypervisor keeps a VCPU that yielded from thread_exit off
   * its PCPU for 3 ms (as another VM taking the PCPU would), which made the
   * new child die with FETCH_PAGE_FAULT at its entry and the kernel panic.
   */
  it('a zombie reaped and its slot reused while its last thread is still in thread_exit keeps the new process intact', () => {
    const [from, to] = threadExitRange();
    let hv: Hypervisor | undefined;
    let delayed = 0;
    const tracer = hypercallTracer((v, number, _args, t) => {
      const ra = v.cpu.reg(REG.ra) >>> 0;
      if (number !== HC.YIELD || ra < from || ra >= to || v.state !== VS.RUNNING) return;
      delayed++;
      hv!.block(v, 'block');
      hv!.at(t + 300_000, () => hv!.wake(v));
    });
    const r = runKernel({
      vcpus: 2, pcpus: 2, hints: true, programs: spawnPrograms(5), machine: { tracer },
      before: (k) => { hv = k.hv; for (let c = 0; c < 2; c++) k.vm.mem.writeWord(infoPage(c) + INFO.PREEMPT_PENDING, 1); },
    });
    expect(delayed).toBeGreaterThan(0);
    expect(r.out).not.toContain('killed');
    expectCleanShutdown(r);
    expect(r.lines).toEqual(['spawner: 5 children, wrong: 0', ALL_DONE]);
  });
});
