/**
 * The two sections and their location counters (the rules are written out
 * in assembler/README.md, "Sections and addresses").
 *
 * A section's base is fixed by the first statement that places anything in
 * it: a leading `.org` sets the base to its value; anything else (an
 * instruction, data, .space, .align, a later .org) starts .text at
 * DEFAULT_TEXT_BASE. .data without a leading `.org` is placed after .text
 * when pass 1 ends, aligned to a page (or more, if it asked for more), so
 * during pass 1 its addresses are known only relative to its start.
 */
import { DEFAULT_TEXT_BASE, PAGE_SIZE } from '../isa/memory.ts';
import { AsmError } from './diagnostics.ts';
import type { SectionName, Val } from './expr.ts';

/** A sanity bound: sections are loaded into VM memory of a few MiB at most. */
export const MAX_SECTION_BYTES = 64 << 20;

const hex = (v: number): string => `0x${(v >>> 0).toString(16)}`;

export class Section {
  base: number | undefined;
  /** Location counter, relative to the base; only ever moves forward, so it is also the size. */
  offset = 0;
  /** The largest alignment asked for; an implicit .data base honours it. */
  maxAlign = 1;
  private placed = false;

  constructor(readonly name: SectionName, private readonly defaultBase: number | undefined) {}

  get label(): string {
    return `.${this.name}`;
  }

  /** Something is placed here: from now on .org moves forward instead of setting the base. */
  private touch(): void {
    if (this.placed) return;
    this.placed = true;
    this.base ??= this.defaultBase;
  }

  /** Reserves size bytes at the location counter and returns their offset. */
  advance(size: number): number {
    this.touch();
    const at = this.offset;
    if (at + size > MAX_SECTION_BYTES) throw new AsmError(`section ${this.label} would grow past ${MAX_SECTION_BYTES >> 20} MiB`);
    this.offset += size;
    return at;
  }

  /** `.org target`: returns the number of padding bytes to emit. */
  org(target: Val, col: number): number {
    if (!this.placed && target.sec === undefined) {
      this.placed = true;
      this.base = target.v >>> 0;
      return 0;
    }
    this.touch();
    const off = this.offsetOf(target, col);
    if (off < this.offset) {
      throw new AsmError(`.org ${hex(this.addressText(off))} moves the location counter backwards (it is at ${hex(this.addressText(this.offset))})`, col);
    }
    return off - this.offset;
  }

  /** Padding bytes needed to reach a multiple of `align` (a power of two). */
  padding(align: number): number {
    this.touch();
    this.maxAlign = Math.max(this.maxAlign, align);
    const where = this.base === undefined ? this.offset : this.base + this.offset;
    return (align - (where % align)) % align;
  }

  /** Fixes the base when pass 1 ends: the default, else (for .data) after `after`, aligned. */
  finish(after: number): void {
    this.base ??= this.defaultBase ?? alignUp(after, Math.max(PAGE_SIZE, this.maxAlign));
  }

  private offsetOf(target: Val, col: number): number {
    if (target.sec === this.name) return target.v;
    if (target.sec !== undefined) throw new AsmError(`.org target is in .${target.sec}, not in ${this.label}`, col);
    if (this.base === undefined) {
      throw new AsmError(`.org to an absolute address in ${this.label} needs ${this.label} to start with its own .org (its base is fixed only after .text is laid out)`, col);
    }
    return (target.v >>> 0) - this.base;
  }

  private addressText(off: number): number {
    return this.base === undefined ? off : this.base + off;
  }
}

function alignUp(v: number, align: number): number {
  return Math.ceil(v / align) * align;
}

export function newSections(): Record<SectionName, Section> {
  return { text: new Section('text', DEFAULT_TEXT_BASE), data: new Section('data', undefined) };
}
