/**
 * Time ballooning end to end, on a small deterministic configuration: a
 * guest with 2 VCPUs, VCPU 1 sharing its PCPU with a CPU-bound VM (so it is
 * the slow one), 3 CPU-bound jobs. The hypervisor's controller
 * (hypervisor/balloon.ts) measures the VCPUs' speeds and asks the guest for
 * balloon threads on the slow VCPU; the guest's unchanged balancer reacts.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { assembleFile } from '../assembler/index.ts';
import { bootKernel, ksym } from '../guest-kernel/boot.ts';
import { KERNEL_BASE } from '../isa/memory.ts';
import { VS } from '../hypervisor/vcpu-ctl.ts';
import { asm } from './helpers/guest.ts';

const ROOT = join(import.meta.dirname, '..');
const busy = assembleFile(join(ROOT, 'programs/sched/busy.s')).image!;
const jobs = asm(`
        .include "${join(ROOT, 'guest-kernel/abi.inc')}"
        .equ JOBS, 3
        .org 0x00400000
        .text
_start: li s0, 0
1:      li a0, SYS_THREAD
        la a1, job
        mv a2, s0
        syscall
        addi s0, s0, 1
        li t0, JOBS
        bne s0, t0, 1b
        li s0, 0
2:      li a0, SYS_RECV                 # one message per finished job
        li a1, 3
        syscall
        addi s0, s0, 1
        li t0, JOBS
        bne s0, t0, 2b
        li a0, SYS_EXIT
        li a1, 0
        syscall
job:    li s1, 3000                     # a fixed amount of work
1:      li t0, 1000
2:      addi t0, t0, -1
        bnez t0, 2b
        addi s1, s1, -1
        bnez s1, 1b
        li a0, SYS_SEND
        li a1, 3
        li a2, 1
        syscall
        li a0, SYS_EXIT
        li a1, 0
        syscall
`, join(ROOT, 'test', 'jobs.s'));

function run(balloon: boolean) {
  const { hv, vm } = bootKernel({
    vcpus: 2, pcpus: 2, programs: [jobs], competitor: busy, competitorOn: [1], time: 20_000_000_000,
    machine: balloon ? { balloon: {} } : {},
  });
  hv.run();
  return { hv, vm, makespan: vm.stoppedAt, competitor: hv.vms[1]!.vcpus[0]!.timeIn(VS.RUNNING, vm.stoppedAt) / vm.stoppedAt };
}

/** Balloon threads in the kernel's thread table, by CPU. */
function balloonThreads(r: ReturnType<typeof run>): number[] {
  const per = [0, 0];
  for (let i = 0; i < ksym('MAX_THREADS'); i++) {
    const t = ksym('threads') - KERNEL_BASE + i * ksym('T_SIZE');
    if (r.vm.mem.readWord(t + ksym('T_KIND')) === ksym('TK_BALLOON') && r.vm.mem.readWord(t + ksym('T_STATE')) !== 0) per[r.vm.mem.readWord(t + ksym('T_CPU'))]! += 1;
  }
  return per;
}

describe('time ballooning', () => {
  const plain = run(false);
  const ballooned = run(true);

  it('both runs complete every job', () => {
    for (const r of [plain, ballooned]) expect([r.vm.state, r.vm.exitCode]).toEqual(['shutdown', 0]);
  });

  it('the controller finds VCPU 1 slower and asks for balloon threads there only', () => {
    const [v0, v1] = ballooned.vm.vcpus.map((v) => ballooned.hv.balloon!.of(v));
    expect(v0!.changes).toBe(0); // the fast VCPU never got a target
    expect(v1!.changes).toBeGreaterThan(0); // the slow one did (and back to 0 once the work was done)
    expect(v1!.target).toBe(0);
    expect(v1!.speed).toBeLessThan(v0!.speed * 0.8);
    expect(balloonThreads(ballooned)[0]).toBe(0);
    expect(balloonThreads(ballooned)[1]).toBeGreaterThan(0);
    expect(balloonThreads(plain)).toEqual([0, 0]);
  });

  it('the time balloon threads give back goes to the competing VM', () => {
    expect(ballooned.competitor).toBeGreaterThan(plain.competitor);
  });

  it("the guest's own balancer moves the work to the fast VCPU: the jobs finish sooner", () => {
    expect(ballooned.makespan).toBeLessThan(plain.makespan);
  });
});

describe('steal-time-aware balancing (the modern comparison)', () => {
  it('each CPU derives its capacity from the steal time the hypervisor publishes', () => {
    const { hv, vm } = bootKernel({
      vcpus: 2, pcpus: 2, programs: [jobs], competitor: busy, competitorOn: [1], time: 20_000_000_000, stealBalance: true,
    });
    hv.run();
    expect([vm.state, vm.exitCode]).toEqual(['shutdown', 0]);
    const cap = (cpu: number) => vm.mem.readWord(ksym('percpu') - KERNEL_BASE + cpu * ksym('C_SIZE') + ksym('C_CAPACITY'));
    expect(cap(0)).toBeGreaterThan(900); // alone on its PCPU: about 1024
    expect(cap(1)).toBeLessThan(800); // shares its PCPU with a CPU-bound VM
    expect(cap(1)).toBeGreaterThanOrEqual(64);
  });
});
