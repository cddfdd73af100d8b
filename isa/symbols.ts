/**
 * The symbols the assembler predefines, derived from the isa/ tables so guest
 * assembly never repeats a number: HC_*, E_*, CAUSE_*, IRQ_*, CSR_*,
 * STATUS_*, PTE_*, STAT_*, INFO_* (shared info page offsets), NET_*, RXD_*,
 * TXD_*, TXF_* (the network device's area, isa/net.ts), and memory/clock/IPC
 * constants.
 */
import { CSRS, STATUS_BITS } from './csrs.ts';
import { CAUSES, INTERRUPT_FLAG, IRQ_LINES } from './traps.ts';
import { CONSOLE_WRITE_MAX, ERRORS, GRANT_WRITE, HYPERCALLS, IPC_FOREVER, MAX_GRANTS, MAX_VCPUS, STATS } from './hypercalls.ts';
import { INFO_FIELDS, INFO_VERSION } from './infopage.ts';
import { netSymbols } from './net.ts';
import { GRANT_WINDOW, GRANT_WINDOW_PAGES, KERNEL_BASE, PAGE_SHIFT, PAGE_SIZE, PTE } from './memory.ts';
import { CLOCK_HZ, CYCLES_PER_MS, CYCLES_PER_US } from './clock.ts';

export function predefinedSymbols(): Map<string, number> {
  const m = new Map<string, number>();
  for (const h of HYPERCALLS) m.set(`HC_${h.name}`, h.number);
  for (const e of ERRORS) m.set(`E_${e.name}`, e.code);
  for (const c of CAUSES) m.set(`CAUSE_${c.name}`, c.code);
  m.set('CAUSE_INTERRUPT', INTERRUPT_FLAG | 0);
  for (const l of IRQ_LINES) m.set(`IRQ_${l.name}`, l.line);
  for (const c of CSRS) m.set(`CSR_${c.name}`, c.number);
  for (const [k, v] of Object.entries(STATUS_BITS)) m.set(`STATUS_${k}`, v);
  for (const [k, v] of Object.entries(PTE)) m.set(`PTE_${k}`, v);
  for (const st of STATS) m.set(`STAT_${st.name}`, st.selector);
  for (const f of INFO_FIELDS) m.set(`INFO_${f.name}`, f.offset);
  m.set('INFO_LAYOUT_VERSION', INFO_VERSION);
  for (const [name, value] of netSymbols()) m.set(name, value);
  m.set('MAX_VCPUS', MAX_VCPUS);
  m.set('MAX_GRANTS', MAX_GRANTS);
  m.set('CONSOLE_WRITE_MAX', CONSOLE_WRITE_MAX);
  m.set('IPC_FOREVER', IPC_FOREVER);
  m.set('GRANT_WRITE', GRANT_WRITE);
  m.set('GRANT_WINDOW', GRANT_WINDOW | 0);
  m.set('GRANT_WINDOW_PAGES', GRANT_WINDOW_PAGES);
  m.set('PAGE_SIZE', PAGE_SIZE);
  m.set('PAGE_SHIFT', PAGE_SHIFT);
  m.set('KERNEL_BASE', KERNEL_BASE | 0);
  m.set('CLOCK_HZ', CLOCK_HZ);
  m.set('CYCLES_PER_MS', CYCLES_PER_MS);
  m.set('CYCLES_PER_US', CYCLES_PER_US);
  return m;
}
