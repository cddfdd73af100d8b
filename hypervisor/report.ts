/**
 * Human-readable reports of a run: the statistics line, a register dump,
 * and guest fault reports (VM, VCPU, pc, cause, nearest symbol, file:line).
 */
import { REGISTERS } from '../isa/registers.ts';
import { CSRS } from '../isa/csrs.ts';
import { causeName } from '../isa/traps.ts';
import { CYCLES_PER_MS } from '../isa/clock.ts';
import { describeAddress, type Image } from '../isa/image.ts';
import { S, type Vcpu } from './cpu/state.ts';
import type { BareMetalResult } from './baremetal.ts';

const hex = (v: number): string => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;

export function formatRunStats(r: BareMetalResult): string {
  const mips = r.wallMs > 0 ? r.instructions / r.wallMs / 1000 : 0;
  return `paravm: ${r.instructions} instructions, ${r.cycles} cycles (${(r.virtualTime / CYCLES_PER_MS).toFixed(3)} ms virtual), `
    + `${r.wallMs.toFixed(1)} ms wall, ${mips.toFixed(1)} MIPS`;
}

export function formatRegisters(cpu: Vcpu): string {
  const regs = REGISTERS.map((r) => `${r.abi.padStart(4)}=${hex(cpu.reg(r.index))}`);
  const rows: string[] = [];
  for (let i = 0; i < regs.length; i += 4) rows.push(regs.slice(i, i + 4).join('  '));
  rows.push(`  pc=${hex(cpu.pc)}  ${CSRS.map((c) => `${c.name.toLowerCase()}=${hex(cpu.st[S.CSR_BASE + c.number]!)}`).join('  ')}`);
  return rows.join('\n');
}

export function formatFault(r: BareMetalResult, img: Image | undefined, color: boolean, vm = 0, vcpu = 0): string {
  const f = r.fault!;
  const head = color ? '\x1b[1;31mguest fault\x1b[0m' : 'guest fault';
  return `paravm: ${head}: VM ${vm} VCPU ${vcpu}: ${causeName(f.cause)} at pc ${describeAddress(img, f.pc)}, address ${hex(f.addr)}`;
}
