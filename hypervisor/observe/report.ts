/**
 * Human-readable reports of a run: the statistics line, one line per VM, a
 * register dump, and guest fault reports (VM, VCPU, pc, cause, nearest
 * symbol, file:line).
 */
import { REGISTERS } from '../../isa/registers.ts';
import { CSRS } from '../../isa/csrs.ts';
import { causeName } from '../../isa/traps.ts';
import { CYCLES_PER_MS } from '../../isa/clock.ts';
import { describeAddress } from '../../isa/image.ts';
import { S, type CpuState } from '../cpu/index.ts';
import type { MachineView } from '../view.ts';
import { VS } from '../vcpu.ts';
import type { Vm } from '../vm.ts';

const hex = (v: number): string => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;
const ms = (cycles: number): string => `${(cycles / CYCLES_PER_MS).toFixed(3)} ms`;

/** `paravm: N instructions, C cycles (X ms virtual), W ms wall, M MIPS` (+ the machine's shape when it has several CPUs). */
export function formatRunStats(hv: MachineView): string {
  const mips = hv.wallMs > 0 ? hv.instructions / hv.wallMs / 1000 : 0;
  const cycles = hv.vcpus.reduce((n, v) => n + v.cpu.cycles, 0);
  const n = (k: number, what: string): string => `${k} ${what}${k === 1 ? '' : 's'}`;
  const shape = hv.pcpus.length > 1 || hv.vcpus.length > 1
    ? `${n(hv.vms.length, 'VM')}, ${n(hv.vcpus.length, 'VCPU')} on ${n(hv.pcpus.length, 'PCPU')}: ` : '';
  return `paravm: ${shape}${hv.instructions} instructions, ${cycles} cycles (${ms(hv.elapsed())} virtual), `
    + `${hv.wallMs.toFixed(1)} ms wall, ${mips.toFixed(1)} MIPS`;
}

function ending(vm: Vm): string {
  switch (vm.state) {
    case 'shutdown': return `shut down with code ${vm.exitCode} at ${ms(vm.stoppedAt)}`;
    case 'fault': return `faulted at ${ms(vm.stoppedAt)}`;
    case 'halted': return 'halted: every VCPU waits and nothing can wake it';
    default: return 'still running';
  }
}

/** `paravm: vm1 (2 VCPUs, weight 256): shut down with code 0 at 12.000 ms; 53.2% of the PCPU time` */
export function formatVmLine(vm: Vm, hv: MachineView): string {
  const t = hv.elapsed();
  const ran = vm.vcpus.reduce((n, v) => n + v.timeIn(VS.RUNNING, t), 0);
  const share = t > 0 ? (100 * ran) / (t * hv.pcpus.length) : 0;
  const cap = vm.config.cap === undefined ? '' : `, cap ${vm.config.cap}%`;
  return `paravm: ${vm.name} (${vm.vcpus.length} VCPU${vm.vcpus.length > 1 ? 's' : ''}, weight ${vm.weight}${cap}): ${ending(vm)}; `
    + `${share.toFixed(1)}% of the machine's PCPU time`;
}

export function formatRegisters(cpu: CpuState): string {
  const regs = REGISTERS.map((r) => `${r.abi.padStart(4)}=${hex(cpu.reg(r.index))}`);
  const rows: string[] = [];
  for (let i = 0; i < regs.length; i += 4) rows.push(regs.slice(i, i + 4).join('  '));
  rows.push(`  pc=${hex(cpu.pc)}  ${CSRS.map((c) => `${c.name.toLowerCase()}=${hex(cpu.st[S.CSR_BASE + c.number])}`).join('  ')}`);
  return rows.join('\n');
}

/** `paravm: guest fault: VM 0 VCPU 1: LOAD_PAGE_FAULT at pc 0x80000004 <boom> at f.s:2, address 0x00000000` */
export function formatFault(vm: Vm, color: boolean): string {
  const f = vm.fault!;
  const head = color ? '\x1b[1;31mguest fault\x1b[0m' : 'guest fault';
  const name = vm.name === `vm${vm.id}` ? '' : ` (${vm.name})`;
  return `paravm: ${head}: VM ${vm.id}${name} VCPU ${f.vcpu}: ${causeName(f.cause)} at pc ${describeAddress(vm.image, f.pc)}, address ${hex(f.addr)}`;
}
