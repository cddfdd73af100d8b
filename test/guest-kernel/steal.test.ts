/**
 * Steal-time-aware balancing with Linux's active migration
 * (guest-kernel/72-steal.s): two CPU-bound jobs on 2 VCPUs, VCPU 1 sharing
 * its PCPU with a CPU-bound VM (half a PCPU: its capacity from steal time is
 * about 512), VCPU 0 alone on its PCPU. When the job on VCPU 0 is done,
 * VCPU 0 goes idle while the other job runs alone on the slow VCPU: nothing
 * waits, so pulling waiting threads cannot help; active balancing moves the
 * running job to the idle, faster VCPU.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { assembleFile } from '../../guest-kernel/loader/index.ts';
import { CYCLES_PER_MS } from '../../isa/clock.ts';
import { bootKernel, kernelStats, ROOT } from '../../guest-kernel/loader/index.ts';

const jobs = assembleFile(join(ROOT, 'programs/kernel/jobs.s'), { defines: { JOBS: 2, WORK: 2000 } }).image!;
const busy = assembleFile(join(ROOT, 'programs/sched/busy.s')).image!;

function run(stealBalance: boolean) {
  const { hv, vm } = bootKernel({ vcpus: 2, pcpus: 2, programs: [jobs], names: ['jobs.s'], competitor: busy, competitorOn: [1], stealBalance, time: 3000 * CYCLES_PER_MS });
  hv.run();
  const done = [...vm.console.text().matchAll(/^job (\d+) cpu (\d+) at (\d+)$/gm)].map((m) => ({ job: Number(m[1]), cpu: Number(m[2]), at: Number(m[3]) }));
  return { vm, done, ks: kernelStats(vm) };
}

describe('steal balancing: active migration of a lone running job', () => {
  const plain = run(false);
  const steal = run(true);

  it('both runs finish both jobs', () => {
    for (const r of [plain, steal]) {
      expect(r.vm.console.text()).toContain('jobs: all done\n');
      expect(r.done).toHaveLength(2);
    }
  });

  it('moves the job running alone on the slow VCPU to the fast one when it goes idle', () => {
    // The first job done ran on the fast VCPU 0 in both runs.
    expect(plain.done[0]!.cpu).toBe(0);
    expect(steal.done[0]!.cpu).toBe(0);
    // Without active migration the other job stays on the slow VCPU 1 to its end.
    expect(plain.done[1]!.cpu).toBe(1);
    expect(plain.ks.cpus.reduce((n, c) => n + c.activeMigrations, 0)).toBe(0);
    // With it, VCPU 1 pushed its lone running job to VCPU 0 once, where it finished, sooner.
    expect(steal.done[1]!.cpu).toBe(0);
    expect(steal.ks.cpus[1]!.activeMigrations).toBe(1);
    expect(steal.ks.cpus[0]!.activeMigrations).toBe(0);
    // The job had about half its work left at half speed: moving it saves a good part of that time.
    expect(steal.done[1]!.at).toBeLessThan(0.9 * plain.done[1]!.at);
  });
});
