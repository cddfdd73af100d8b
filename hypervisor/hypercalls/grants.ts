/**
 * Grants: a VM offers pages of its memory to another VM (HC_GRANT), which
 * maps them into its grant window (HC_GRANT_MAP, see isa/memory.ts); its
 * loads and stores there reach the granter's memory for real (the window is
 * a physical-to-machine table, cpu/memory.ts). The granter can revoke at any
 * time (HC_GRANT_REVOKE): the mapping disappears, the receiver's TLBs are
 * flushed, and its next access to those pages is a BUS_ERROR it must handle.
 * When either VM stops, its grants go with it.
 */
import { E, GRANT_WRITE, MAX_GRANTS } from '../../isa/hypercalls.ts';
import { GRANT_WINDOW, GRANT_WINDOW_PAGES, KERNEL_BASE, PAGE_SIZE } from '../../isa/memory.ts';
import { REG } from '../../isa/registers.ts';
import { P2M_WRITE, tlbFlushAll } from '../cpu/index.ts';
import type { HypercallHost } from './host.ts';
import type { Vcpu } from '../vcpu.ts';
import type { Grant, Vm } from '../vm.ts';

const A0 = REG.a0;
const A1 = REG.a1;
const A2 = REG.a2;
const A3 = REG.a3;
const A4 = REG.a4;

export function validateGrant(hv: HypercallHost, v: Vcpu): number {
  const to = hv.runningVm(v.cpu.reg(A1));
  if (!to || to === v.vm) return E.NOENT;
  const addr = v.cpu.reg(A2) >>> 0;
  const pages = v.cpu.reg(A3);
  const pa = addr - KERNEL_BASE;
  if ((addr & (PAGE_SIZE - 1)) !== 0 || pa < 0 || pages < 1 || pa + pages * PAGE_SIZE > v.vm.mem.size) return E.INVAL;
  if ((v.cpu.reg(A4) & ~GRANT_WRITE) !== 0) return E.INVAL;
  return v.vm.grants.size >= MAX_GRANTS ? E.NOSPACE : E.OK;
}

export function grantCreate(_hv: HypercallHost, v: Vcpu): void {
  const id = v.vm.nextGrant++;
  v.vm.grants.set(id, {
    id, to: v.cpu.reg(A1), pa: (v.cpu.reg(A2) >>> 0) - KERNEL_BASE, pages: v.cpu.reg(A3),
    writable: (v.cpu.reg(A4) & GRANT_WRITE) !== 0, mappedAt: -1,
  });
  v.cpu.setReg(A0, id);
}

function grantFor(hv: HypercallHost, v: Vcpu): Grant | undefined {
  const g = hv.runningVm(v.cpu.reg(A1))?.grants.get(v.cpu.reg(A2));
  return g && g.to === v.vm.id ? g : undefined;
}

/** Window page index of a kernel address, or -1 if it is not a page inside the window. */
function windowPage(addr: number): number {
  const off = (addr >>> 0) - GRANT_WINDOW;
  return (addr & (PAGE_SIZE - 1)) === 0 && off >= 0 && off < GRANT_WINDOW_PAGES * PAGE_SIZE ? off / PAGE_SIZE : -1;
}

export function validateGrantMap(hv: HypercallHost, v: Vcpu): number {
  const g = grantFor(hv, v);
  if (!g) return E.NOENT;
  if (g.mappedAt >= 0) return E.STATE;
  const w = windowPage(v.cpu.reg(A3));
  if (w < 0 || w + g.pages > GRANT_WINDOW_PAGES) return E.INVAL;
  for (let i = 0; i < g.pages; i++) if (v.vm.mem.grants[w + i] !== -1) return E.NOSPACE;
  return E.OK;
}

export function grantMap(hv: HypercallHost, v: Vcpu): void {
  const granter = hv.runningVm(v.cpu.reg(A1))!;
  const g = grantFor(hv, v)!;
  const w = windowPage(v.cpu.reg(A3));
  for (let i = 0; i < g.pages; i++) {
    v.vm.mem.grants[w + i] = (granter.mem.base + g.pa + i * PAGE_SIZE) | (g.writable ? P2M_WRITE : 0);
  }
  g.mappedAt = w;
  v.cpu.setReg(A0, 0);
}

/** Remove g's mapping from the receiver (if mapped) and flush the receiver's TLBs. */
function unmap(hv: HypercallHost, g: Grant): void {
  if (g.mappedAt < 0) return;
  const to = hv.vms[g.to]!;
  to.mem.grants.fill(-1, g.mappedAt, g.mappedAt + g.pages);
  for (const s of to.vcpus) tlbFlushAll(s.cpu.tlb);
  g.mappedAt = -1;
}

export function grantRevoke(hv: HypercallHost, vm: Vm, id: number): void {
  const g = vm.grants.get(id)!;
  unmap(hv, g);
  vm.grants.delete(id);
}

/** VM `gone` stopped: withdraw what it granted; forget mappings of grants it received. */
export function grantsVmStopped(hv: HypercallHost, gone: Vm): void {
  for (const id of [...gone.grants.keys()]) { unmap(hv, gone.grants.get(id)!); gone.grants.delete(id); }
  for (const vm of hv.vms) {
    for (const g of vm.grants.values()) if (g.to === gone.id) g.mappedAt = -1;
  }
  gone.mem.grants.fill(-1);
}
