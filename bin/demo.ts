/**
 * `paravm demo` (and `npm start`): assemble programs/demo.s and run it bare
 * metal; then under the hypervisor the IPC and grant demo of programs/ipc
 * (two VMs on two PCPUs), two CPU-bound VMs sharing one PCPU by weight, and
 * the SMP guest kernel on 4 VCPUs running parallel programs. Each part
 * explains what happened in numbers.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { formatDiagnostics } from '../assembler/index.ts';
import { assembleFile } from '../guest-kernel/loader/index.ts';
import {
  bareMetalConfig,
  runBareMetal,
  finishConfig,
  parseConfigJson,
  Hypervisor,
  formatFault,
  formatRunStats,
  formatVmLine,
} from '../hypervisor/index.ts';
import type { Image } from '../isa/image.ts';
import { bootKernel, kernelStats, ROOT } from '../guest-kernel/loader/index.ts';
import { summary } from './boot.ts';
import { CLOCK_HZ, CYCLES_PER_MS } from '../isa/clock.ts';
import { DEFAULT_MEMORY_BYTES } from '../isa/memory.ts';


const say = (s: string): void => { process.stdout.write(`${s}\n`); };

export function runDemo(): number {
  const src = join(ROOT, 'programs', 'demo.s');
  const lines = readFileSync(src, 'utf8').split('\n').length;
  const t0 = performance.now();
  const asm = assembleFile(src);
  const asmMs = performance.now() - t0;
  if (!asm.ok) {
    process.stderr.write(formatDiagnostics(asm.diagnostics));
    return 1;
  }
  const img = asm.image!;
  const bytes = img.segments.reduce((n, s) => n + s.data.length, 0);
  say(`paravm demo: assembled ${relative(process.cwd(), src)} (${lines} lines, with lib/io.s) into ${bytes} bytes in ${asmMs.toFixed(0)} ms`);
  say(`running it bare metal: one VCPU in kernel mode, ${DEFAULT_MEMORY_BYTES >> 20} MiB of memory, ${CLOCK_HZ / 1e6} MHz virtual clock\n`);
  say('---- guest console ----');
  const res = runBareMetal(img, { onConsole: (b) => process.stdout.write(b) });
  say('---- guest shut down ----\n');
  if (res.reason === 'fault') {
    process.stderr.write(`${formatFault(res.hv.vms[0]!, false)}\n`);
    return 3;
  }
  say(`${res.instructions.toLocaleString('en-US')} instructions retired in ${res.cycles.toLocaleString('en-US')} virtual cycles`
    + ` (${(res.virtualTime / CLOCK_HZ * 1000).toFixed(2)} ms of virtual time)`);
  say(`host: ${res.wallMs.toFixed(0)} ms wall, ${(res.instructions / res.wallMs / 1000).toFixed(1)} MIPS (Node ${process.version})`);
  if (res.exitCode !== 0) return res.exitCode;
  const code = ipcPart();
  if (code !== 0) return code;
  sharePart();
  const k = kernelPart();
  if (k !== 0) return k;
  say('\nnext: npx paravm run programs/hello.s | npx paravm run --itrace --limit 20 programs/fib.s'
    + ' | npx paravm run --config programs/ipc/machine.json --trace /tmp/ipc.json'
    + ' | npx paravm boot --vcpus 4 --pcpus 2 programs/kernel/{workers,lockstress,prodcons,jobs}.s | npm run bench');
  return 0;
}

function assembled(path: string): Image {
  const r = assembleFile(path);
  if (!r.ok) throw new Error(`${path} does not assemble:\n${formatDiagnostics(r.diagnostics)}`);
  return r.image!;
}

/** programs/ipc under the hypervisor, from its own machine.json. */
function ipcPart(): number {
  const file = join(ROOT, 'programs', 'ipc', 'machine.json');
  const cfg = finishConfig(parseConfigJson(readFileSync(file, 'utf8'), file));
  say(`\n==== under the hypervisor: ${relative(process.cwd(), file)} ====`);
  say('a key-value server VM and a client VM on 2 PCPUs: synchronous IPC between them, then a page the client');
  say('grants to the server, which upper-cases a string in it; the client revokes it, and the server\'s next');
  say('access faults on its side, which its trap handler turns into a status. Console lines carry the VM name.\n');
  const hv = new Hypervisor(cfg, cfg.vms.map((vm) => ({ images: vm.images.map(assembled) })), {
    onConsole: (_, b) => process.stdout.write(b),
  });
  hv.run();
  say('');
  for (const vm of hv.vms) say(formatVmLine(vm, hv));
  const fault = hv.vms.find((vm) => vm.state === 'fault');
  if (fault) { process.stderr.write(`${formatFault(fault, false)}\n`); return 3; }
  return 0;
}

/** The SMP guest kernel on 4 VCPUs over 2 PCPUs, running parallel jobs and a lock-stress test as processes. */
function kernelPart(): number {
  const progs = ['parallel.s', 'lockstress.s', 'workers.s'];
  say('\n==== the SMP guest kernel (guest-kernel/, paravm assembly) on 4 VCPUs over 2 PCPUs ====');
  say(`processes: ${progs.map((p) => `programs/kernel/${p}`).join(', ')} (threads spread by the guest's load balancer;`);
  say('lockstress takes a kernel spinlock 2,000 times from 8 threads: the count must come out exact)\n');
  const { hv, vm } = bootKernel({
    vcpus: 4, pcpus: 2, programs: progs.map((p) => assembled(join(ROOT, 'programs', 'kernel', p))), names: progs,
    machine: { onConsole: (_, b) => process.stdout.write(b) },
  });
  hv.run();
  say('');
  say(summary(hv, vm, kernelStats(vm)));
  if (vm.state === 'fault') { process.stderr.write(`${formatFault(vm, false)}\n`); return 3; }
  return vm.exitCode;
}

/** Two CPU-bound VMs, weights 256 and 512, on one PCPU for 100 ms of virtual time. */
function sharePart(): void {
  const img = assembled(join(ROOT, 'programs', 'sched', 'busy.s'));
  const base = bareMetalConfig();
  const vm = base.vms[0]!;
  const cfg = { ...base, slice: CYCLES_PER_MS, time: 100 * CYCLES_PER_MS, vms: [{ ...vm, name: 'light' }, { ...vm, name: 'heavy', weight: 512 }] };
  say('\n==== proportional share: programs/sched/busy.s twice, weights 256 and 512, one PCPU, 1 ms slices, 100 ms ====');
  const hv = new Hypervisor(cfg, [{ images: [img] }, { images: [img] }]);
  hv.run();
  for (const v of hv.vms) say(formatVmLine(v, hv));
  say(`${formatRunStats(hv).replace(/^paravm: /, 'host: ')}`);
}
