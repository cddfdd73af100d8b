/**
 * The ISA tables checked against themselves and against the one place that
 * repeats their numbers: the case labels of the fast interpreter's switch.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { COST_TABLE, OPCODES, OPCODE_BY_MNEMONIC, OPCODE_BY_NUMBER, type OpInfo } from '../../isa/opcodes.ts';
import { FIELDS, FORMATS, immRange, type FieldName } from '../../isa/formats.ts';
import { decode, encode, type OperandValue } from '../../isa/encoding.ts';
import { CSRS, NUM_CSRS, STATUS_BITS, STATUS_WRITABLE } from '../../isa/csrs.ts';
import { CAUSES, INTERRUPT_FLAG, IRQ_LINES } from '../../isa/traps.ts';
import { ERRORS, HYPERCALLS, MAX_VCPUS, STATS } from '../../isa/hypercalls.ts';
import { INFO_FIELDS, INFO_USED_BYTES } from '../../isa/infopage.ts';
import { netSymbols } from '../../isa/net.ts';
import { PTE, PTE_ADDR_MASK } from '../../isa/memory.ts';
import { predefinedSymbols } from '../../isa/symbols.ts';
import { INT_SLOTS, S } from '../../hypervisor/cpu/state.ts';

const unique = <T>(xs: readonly T[]): boolean => new Set(xs).size === xs.length;

/** The text of a function's body: from its first `{` to the matching `}`. */
function functionBody(src: string, header: string): string {
  const start = src.indexOf(header);
  if (start < 0) throw new Error(`${header} not found`);
  const open = src.indexOf('{', start + header.length);
  let depth = 0;
  for (let i = open; i < src.length; i++) {
    if (src.startsWith('//', i)) i = src.indexOf('\n', i);
    else if (src[i] === '{') depth++;
    else if (src[i] === '}' && --depth === 0) return src.slice(open, i + 1);
  }
  throw new Error(`unbalanced braces after ${header}`);
}

/** [opcode, mnemonic] for every `case 0xNN:` label, from the line's trailing comment. */
function caseLabels(body: string): [number, string][] {
  const out: [number, string][] = [];
  for (const line of body.split('\n')) {
    const labels = [...line.matchAll(/case (0x[0-9a-f]+):/gi)].map((m) => Number(m[1]));
    if (labels.length === 0) continue;
    const comment = line.slice(line.lastIndexOf('//') + 2);
    const names = line.includes('//') ? comment.trim().split(/[\s,]+/) : [];
    if (names.length !== labels.length) throw new Error(`labels and mnemonic comment differ in: ${line.trim()}`);
    labels.forEach((l, i) => out.push([l, names[i]!]));
  }
  return out;
}

describe('interpreter case labels', () => {
  const src = readFileSync(new URL('../../hypervisor/cpu/interp.ts', import.meta.url), 'utf8');
  const runCases = caseLabels(functionBody(src, 'export function run('));
  const privCases = caseLabels(functionBody(src, 'function privileged('));
  const hex = (n: number) => `0x${n.toString(16).padStart(2, '0')}`;

  it('run() has exactly one case per opcode in the table', () => {
    expect(unique(runCases.map(([l]) => l))).toBe(true);
    expect(runCases.map(([l]) => hex(l)).sort()).toEqual(OPCODES.map((o) => hex(o.opcode)).sort());
  });

  it('privileged() has exactly the privileged opcodes', () => {
    expect(privCases.map(([l]) => hex(l)).sort()).toEqual(OPCODES.filter((o) => o.priv).map((o) => hex(o.opcode)).sort());
  });

  it.each([...runCases, ...privCases].map(([l, m]) => [hex(l), m]))('case %s is %s', (label, mnemonic) => {
    expect(OPCODE_BY_NUMBER[Number(label)]?.mnemonic).toBe(mnemonic);
  });
});

describe('opcode table', () => {
  it('has unique opcodes and mnemonics, and opcode 0 unassigned', () => {
    expect(unique(OPCODES.map((o) => o.opcode))).toBe(true);
    expect(unique(OPCODES.map((o) => o.mnemonic))).toBe(true);
    expect(OPCODE_BY_NUMBER[0]).toBeUndefined();
  });

  it.each(OPCODES.map((o) => [o.mnemonic, o] as const))('%s is well formed', (_, o: OpInfo) => {
    expect(o.opcode).toBeGreaterThan(0);
    expect(o.opcode).toBeLessThan(256);
    expect(o.mnemonic).toMatch(/^[a-z][a-z0-9]*$/);
    expect(FORMATS[o.format]?.name).toBe(o.format);
    expect(Number.isInteger(o.cost) && o.cost >= 1 && o.cost <= 255).toBe(true);
    expect(COST_TABLE[o.opcode]).toBe(o.cost);
    expect(o.priv).toBe(o.group === 'privileged');
    expect(o.summary.length).toBeGreaterThan(0);
  });
});

describe('formats', () => {
  const mask = (f: FieldName) => ((2 ** FIELDS[f].bits - 1) * 2 ** FIELDS[f].shift) >>> 0;

  it.each(Object.values(FORMATS).map((f) => [f.name, f] as const))('%s uses disjoint fields above the opcode byte', (_, f) => {
    let used = 0xff;
    for (const field of f.fields) {
      expect(mask(field) & used).toBe(0);
      used = (used | mask(field)) >>> 0;
    }
    for (const o of f.operands) {
      expect(f.fields).toContain(o.field);
      if (o.immField) expect(f.fields).toContain(o.immField);
    }
  });
});

describe('other tables', () => {
  it('hypercalls: unique numbers and names, errors from the error table', () => {
    expect(unique(HYPERCALLS.map((h) => h.number))).toBe(true);
    expect(unique(HYPERCALLS.map((h) => h.name))).toBe(true);
    const errs = new Set<string>(ERRORS.map((e) => e.name));
    for (const h of HYPERCALLS) for (const e of h.errors) expect(errs).toContain(e.error);
    expect(unique(ERRORS.map((e) => e.code))).toBe(true);
    expect(unique(ERRORS.map((e) => e.name))).toBe(true);
  });

  it('causes: unique nonzero codes that cannot be mistaken for interrupts', () => {
    expect(unique(CAUSES.map((c) => c.code))).toBe(true);
    expect(unique(CAUSES.map((c) => c.name))).toBe(true);
    for (const c of CAUSES) expect(c.code > 0 && (c.code & INTERRUPT_FLAG) === 0).toBe(true);
    expect(unique(IRQ_LINES.map((l) => l.line))).toBe(true);
    for (const l of IRQ_LINES) expect(l.line >= 0 && l.line < 31).toBe(true);
  });

  it('CSRs: numbers are unique and dense (state.ts indexes by number)', () => {
    expect(CSRS.map((c) => c.number).sort((a, b) => a - b)).toEqual([...Array(NUM_CSRS).keys()]);
    expect(unique(CSRS.map((c) => c.name))).toBe(true);
  });

  it('state.ts S has a slot CSR_BASE + number for every CSR, all slots distinct', () => {
    const slots = S as Readonly<Record<string, number>>;
    for (const c of CSRS) expect([c.name, slots[c.name]]).toEqual([c.name, S.CSR_BASE + c.number]);
    const { CSR_BASE: _, ...named } = slots;
    expect(unique(Object.values(named))).toBe(true);
    for (const v of Object.values(slots)) expect(v >= 16 && v < INT_SLOTS).toBe(true);
  });

  it('STATUS and PTE bits are distinct single bits', () => {
    const single = (v: number) => v > 0 && (v & (v - 1)) === 0;
    const status = Object.values(STATUS_BITS);
    expect(status.every(single) && unique(status)).toBe(true);
    expect(STATUS_WRITABLE).toBe(status.reduce((a, b) => a | b, 0));
    const pte = Object.values(PTE);
    expect(pte.every(single) && unique(pte)).toBe(true);
    for (const b of pte) expect(b & PTE_ADDR_MASK).toBe(0);
  });

  it('info page fields are aligned, disjoint, fit a page, and hold a preempted byte per VCPU', () => {
    const sorted = [...INFO_FIELDS].sort((a, b) => a.offset - b.offset);
    for (let i = 0; i < sorted.length; i++) {
      const f = sorted[i]!;
      expect(f.offset % 4, f.name).toBe(0);
      if (i > 0) expect(f.offset, f.name).toBeGreaterThanOrEqual(sorted[i - 1]!.offset + sorted[i - 1]!.bytes);
    }
    expect(INFO_USED_BYTES).toBeLessThanOrEqual(4096);
    expect(INFO_FIELDS.find((f) => f.name === 'PREEMPTED')!.bytes).toBe(MAX_VCPUS);
    expect(unique(INFO_FIELDS.map((f) => f.name))).toBe(true);
  });

  it('STAT selectors are 0..n-1', () => {
    expect(STATS.map((s) => s.selector)).toEqual(STATS.map((_, i) => i));
  });

  it('predefined symbols do not collide', () => {
    const sources = HYPERCALLS.length + ERRORS.length + CAUSES.length + 1 + IRQ_LINES.length + CSRS.length
      + Object.keys(STATUS_BITS).length + Object.keys(PTE).length + STATS.length + INFO_FIELDS.length + netSymbols().length + 6 + 8;
    expect(predefinedSymbols().size).toBe(sources);
  });
});

describe('encoding round trip', () => {
  const operand = (info: OpInfo) => fc.tuple(...FORMATS[info.format].operands.map((spec) => {
    const [lo, hi] = immRange(spec.kind);
    const r = fc.integer({ min: 0, max: 15 });
    if (spec.kind === 'reg' || spec.kind === 'amem') return r.map((reg): OperandValue => ({ reg }));
    if (spec.kind === 'mem') return fc.tuple(r, fc.integer({ min: lo, max: hi })).map(([reg, imm]): OperandValue => ({ reg, imm }));
    return fc.integer({ min: lo, max: hi }).map((imm): OperandValue => ({ imm }));
  }));

  it.each(OPCODES.map((o) => [o.mnemonic, o] as const))('%s: decode(encode(x)) = x, canonical', (_, info) => {
    fc.assert(fc.property(operand(info), (ops) => {
      const d = decode(encode(info, ops));
      expect(d?.info).toBe(info);
      expect(d?.operands).toEqual(ops);
      expect(d?.canonical).toBe(true);
    }), { seed: 1, numRuns: 200 });
  });

  it('any word: re-encoding the decoded operands keeps exactly the canonical bits', () => {
    const ops = fc.constantFrom(...OPCODES.map((o) => o.opcode), 0, 0xff);
    fc.assert(fc.property(ops, fc.integer({ min: 0, max: 0xff_ffff }), (op, high) => {
      const word = (high * 256 + op) >>> 0;
      const d = decode(word);
      if (!d) {
        expect(OPCODE_BY_NUMBER[op]).toBeUndefined();
        return;
      }
      const again = encode(d.info, d.operands);
      // Canonical words re-encode exactly; a word that does not is never canonical.
      // (The converse fails only for shift amounts over 31, tested below.)
      if (d.canonical) expect(again).toBe(word);
      if (again !== word) expect(d.canonical).toBe(false);
      expect(decode(again)?.operands).toEqual(d.operands);
    }), { seed: 2, numRuns: 20_000 });
  });

  it('a shift amount over 31 is not canonical (the assembler refuses it)', () => {
    const slli = OPCODE_BY_MNEMONIC.get('slli')!;
    expect(decode(encode(slli, [{ reg: 3 }, { reg: 3 }, { imm: 31 }]))!.canonical).toBe(true);
    expect(decode(encode(slli, [{ reg: 3 }, { reg: 3 }, { imm: 32 }]))!.canonical).toBe(false);
  });
});
