/**
 * Compiled code shared by page content (pagecode.ts) between the code
 * caches of different memories (codecache.ts): a memory holding a page
 * another one compiled takes its functions without compiling, a write drops
 * the code of the written memory only, and each cache's count of live
 * regions stays what it installed (never below zero) as the shared record
 * grows under it. The differential streams rarely share a page between two
 * memories, so this is checked here on purpose.
 */
import { describe, expect, it } from 'vitest';
import { OP } from '../../../isa/opcodes.ts';
import { PAGE_SIZE } from '../../../isa/memory.ts';
import { CodeCache } from '../../../hypervisor/cpu/codecache.ts';
import { HostMemory } from '../../../hypervisor/cpu/memory.ts';

/** An instruction word: opcode, fields A and B, and a 16-bit immediate. */
const w = (op: number, a = 0, b = 0, imm = 0): number => (op | (a << 8) | (b << 12) | (imm << 16)) | 0;
/** jal with a word offset (20 bits). */
const jal = (rd: number, off: number): number => (OP.jal! | (rd << 8) | ((off & 0xfffff) << 12)) | 0;

/** Host page 1 of a fresh two-page memory holds two tiny loops, at word 0 and word 500. A seed makes the page's words unique to the test. */
function memory(seed: number): HostMemory {
  const host = new HostMemory(2 * PAGE_SIZE);
  const base = PAGE_SIZE / 4;
  for (const at of [0, 500]) host.i32.set([w(OP.addi!, 1, 1, seed), jal(0, -1)], base + at);
  return host;
}

function cache(host: HostMemory): CodeCache {
  const c = new CodeCache(host);
  c.hot = 1;
  return c;
}

describe('compiled code shared by page content', () => {
  it('lets a second memory run the code the first compiled, without compiling', () => {
    const a = cache(memory(101));
    const b = cache(memory(101));
    const fa = a.lookup(1, true, 0);
    expect(fa).toBeTypeOf('function');
    expect(a.live).toBe(1);
    // B has never compiled anything: its first lookup installs A's record.
    expect(b.lookup(1, true, 0)).toBe(fa);
    expect(b.live).toBe(1);
  });

  it('keeps each cache\'s live count to what it installed while the shared record grows', () => {
    const a = cache(memory(102));
    const b = cache(memory(102));
    a.lookup(1, true, 0);
    b.lookup(1, true, 0);
    // B compiles a second region into the record A holds too.
    expect(b.lookup(1, true, 500)).toBeTypeOf('function');
    expect(b.live).toBe(2);
    expect(a.live).toBe(1);
    // A write to A's page drops what A counted, not the record's whole size.
    a.host.hostWrite(PAGE_SIZE, 4);
    expect(a.live).toBe(0);
    // B keeps its code: the write was to another memory.
    expect(b.lookup(1, true, 500)).toBeTypeOf('function');
    expect(b.live).toBe(2);
  });

  it('drops the written memory\'s code only, and recompiles from the new words', () => {
    const a = cache(memory(103));
    const b = cache(memory(103));
    const fa = a.lookup(1, true, 0);
    expect(b.lookup(1, true, 0)).toBe(fa);
    b.host.hostWrite(PAGE_SIZE, 4);
    b.host.i32[PAGE_SIZE / 4] = w(OP.addi!, 2, 2, 7);
    expect(b.live).toBe(0);
    const fb = b.lookup(1, true, 0);
    expect(fb).toBeTypeOf('function');
    expect(fb).not.toBe(fa);
    expect(a.lookup(1, true, 0)).toBe(fa);
  });
});
