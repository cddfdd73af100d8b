/**
 * A snapshot taken where the machine pauses and restored later puts the
 * machine back exactly: run on from a restored snapshot, the rest of the run
 * (console, statistics, instruction count, virtual time) is the one the
 * machine made the first time. Bare metal with two VMs on two PCPUs, and the
 * SMP guest kernel with four VCPUs on two PCPUs (whose schedule a leftover
 * of any field would change).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { assembleFile } from '../../assembler/index.ts';
import { Hypervisor, Snapshot, collectStats, parseConfigJson } from '../../hypervisor/index.ts';
import { rootPath } from '../../guest-kernel/loader/index.ts';
import { boot } from '../helpers/kernel.ts';


/** What the rest of a run shows, from a paused machine to its end. */
function finish(hv: Hypervisor, slice: number): string {
  while (hv.run(slice) === 'paused');
  return JSON.stringify({ stats: collectStats(hv), out: hv.vms.map((vm) => vm.console.text()), n: hv.instructions, t: hv.elapsed() });
}

/** Instructions between pauses, and the pause to snapshot at. */
function checkRestore(make: () => Hypervisor, slice: number, pauses: number): void {
  const straight = finish(make(), slice);
  const hv = make();
  for (let i = 0; i < pauses; i++) expect(hv.run(slice)).toBe('paused');
  const snap = Snapshot.take(hv);
  const at = JSON.stringify({ n: hv.instructions, t: hv.elapsed(), out: hv.vms.map((vm) => vm.console.text()), stats: collectStats(hv) });
  expect(snap.bytes).toBeGreaterThan(hv.vms.reduce((n, vm) => n + vm.mem.size, 0));
  // A snapshot one slice later shares the pages nobody wrote, and still restores exactly.
  expect(hv.run(slice)).toBe('paused');
  const later = Snapshot.take(hv, snap);
  const atLater = JSON.stringify({ n: hv.instructions, t: hv.elapsed(), out: hv.vms.map((vm) => vm.console.text()), stats: collectStats(hv) });
  expect(later.bytes).toBeLessThan(snap.bytes / 4);
  expect(finish(hv, slice)).toBe(straight);
  expect((JSON.parse(straight) as { n: number }).n).toBeGreaterThan(2 * (JSON.parse(at) as { n: number }).n);
  for (const [s, want] of [[snap, at], [later, atLater], [snap, at]] as const) {
    s.restore();
    expect(JSON.stringify({ n: hv.instructions, t: hv.elapsed(), out: hv.vms.map((vm) => vm.console.text()), stats: collectStats(hv) })).toBe(want);
    expect(finish(hv, slice)).toBe(straight);
  }
}

describe('machine snapshots', () => {
  it('restore two VMs on two PCPUs to where they were', () => {
    const file = rootPath('programs/ipc/machine.json');
    const cfg = parseConfigJson(readFileSync(file, 'utf8'), file);
    const setups = cfg.vms.map((vm) => ({ images: vm.images.map((p) => assembleFile(p, { includeDirs: [rootPath('programs/lib'), rootPath('programs')], readFile: (f: string) => readFileSync(f, 'utf8') }).image!) }));
    checkRestore(() => new Hypervisor(cfg, setups), 200, 3);
  });

  it('restore the guest kernel, four VCPUs on two PCPUs, mid-run', () => {
    checkRestore(() => boot({ programs: ['lockstress.s'], vcpus: 4, pcpus: 2, seed: 7 }).hv, 5000, 40);
  });
});
