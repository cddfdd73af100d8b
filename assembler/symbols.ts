/**
 * The symbol table and local-label naming.
 *
 * Kinds: 'label' (defined once, by `name:`), 'const' (.equ/.set/`=`, may be
 * redefined: pass 2 replays the definitions in order, see encode.ts),
 * 'define' (-D NAME=VALUE, a constant the source may redefine) and 'isa'
 * (predefined from isa/symbols.ts; never redefined, never in the output).
 *
 * Local labels get their final names here, in pass 1, where "the previous
 * definition" and "the next definition" are known: `.name` becomes
 * `outer.name` (outer = the last non-local label), and the k-th definition
 * of numeric label `1:` becomes `1@k`, so `1b` binds to `1@k` and `1f` to
 * `1@(k+1)`. `@` cannot occur in source names, so these never collide.
 */
import { REGISTER_BY_NAME } from '../isa/registers.ts';
import { predefinedSymbols } from '../isa/symbols.ts';
import type { Expr } from './ast.ts';
import { AsmError, diagnosticAt, type SrcLine } from './diagnostics.ts';
import { abs, type SectionName, type Val } from './expr.ts';

export type SymbolKind = 'label' | 'const' | 'define' | 'isa';

export interface SymbolDef {
  readonly name: string;
  readonly kind: SymbolKind;
  /** Undefined while a forward-referencing constant is not resolved yet. */
  val: Val | undefined;
  /** For labels: the section they are in (kept after pass 1 makes val absolute). */
  readonly section?: SectionName;
  readonly src: SrcLine | undefined;
  readonly col: number;
}

export function isRegisterName(name: string): boolean {
  return REGISTER_BY_NAME.has(name.toLowerCase());
}

/** Numeric-label instances and compiler-made names stay out of the image and the symbol file. */
export function isInternalName(name: string): boolean {
  return name.includes('@');
}

export class SymbolTable {
  private readonly map = new Map<string, SymbolDef>();
  /** Names given to .global, with where (for "never defined" errors). */
  private readonly globals = new Map<string, { src: SrcLine; col: number }>();

  constructor(defines: Readonly<Record<string, number>>) {
    for (const [name, v] of predefinedSymbols()) this.map.set(name, { name, kind: 'isa', val: abs(v), src: undefined, col: 0 });
    for (const [name, v] of Object.entries(defines)) this.map.set(name, { name, kind: 'define', val: abs(v), src: undefined, col: 0 });
  }

  get(name: string): SymbolDef | undefined {
    return this.map.get(name);
  }

  all(): IterableIterator<SymbolDef> {
    return this.map.values();
  }

  defineLabel(name: string, val: Val, src: SrcLine, col: number): void {
    this.checkNewName(name, col);
    const old = this.map.get(name);
    if (old) throw this.redefinition(old, name, col);
    this.map.set(name, { name, kind: 'label', val, section: val.sec, src, col });
  }

  /** .equ/.set/`=`: defines or redefines a constant; val may be undefined (forward reference). */
  setConst(name: string, val: Val | undefined, src: SrcLine, col: number): void {
    this.checkNewName(name, col);
    const old = this.map.get(name);
    if (old && (old.kind === 'label' || old.kind === 'isa')) throw this.redefinition(old, name, col);
    if (old?.kind === 'const') old.val = val;
    else this.map.set(name, { name, kind: 'const', val, src, col });
  }

  markGlobal(name: string, src: SrcLine, col: number): void {
    if (!this.globals.has(name)) this.globals.set(name, { src, col });
  }

  isGlobal(name: string): boolean {
    return this.globals.has(name);
  }

  /** Where .global named a symbol that the source never defines. */
  undefinedGlobals(): { name: string; src: SrcLine; col: number }[] {
    const out: { name: string; src: SrcLine; col: number }[] = [];
    for (const [name, at] of this.globals) {
      const s = this.map.get(name);
      if (!s || s.kind === 'isa' || s.kind === 'define') out.push({ name, ...at });
    }
    return out;
  }

  private checkNewName(name: string, col: number): void {
    if (isRegisterName(name)) throw new AsmError(`'${name}' is a register name and cannot be a symbol`, col);
  }

  private redefinition(old: SymbolDef, name: string, col: number): AsmError {
    if (old.kind === 'isa') return new AsmError(`'${name}' is predefined by the ISA and cannot be redefined`, col);
    if (old.src === undefined) return new AsmError(`'${name}' is already defined`, col);
    const what = old.kind === 'label' ? 'label' : 'constant';
    const note = diagnosticAt(old.src, old.col, 'note', `previous definition of '${name}' was here`);
    return new AsmError(`redefinition of ${what} '${name}'`, col, [note]);
  }
}

/** Final names of local labels, as pass 1 walks the statements in order. */
export class LocalNames {
  private scope: string | undefined;
  private readonly counts = new Map<string, number>();

  /** Name to define for label `name:`; a non-local label opens a new scope for `.name`. */
  define(name: string, numeric: boolean): string {
    if (numeric) {
      const k = (this.counts.get(name) ?? 0) + 1;
      this.counts.set(name, k);
      return `${name}@${k}`;
    }
    if (name.startsWith('.')) return this.resolve(name);
    this.scope = name;
    return name;
  }

  /** `.name` -> `outer.name` inside a scope; other names unchanged. */
  resolve(name: string): string {
    return name.startsWith('.') && this.scope !== undefined ? `${this.scope}${name}` : name;
  }

  /** The instance `1b` / `1f` refers to at this point. */
  numeric(label: string, dir: 'b' | 'f', col: number): string {
    const k = this.counts.get(label) ?? 0;
    if (dir === 'b' && k === 0) throw new AsmError(`local label '${label}b' has no definition before this point`, col);
    return `${label}@${dir === 'b' ? k : k + 1}`;
  }

  /** The expression with local references replaced by final names (shared trees are not modified). */
  bind(e: Expr): Expr {
    switch (e.k) {
      case 'sym': {
        const name = this.resolve(e.name);
        return name === e.name ? e : { ...e, name };
      }
      case 'local': return { k: 'sym', name: this.numeric(e.label, e.dir, e.col), col: e.col };
      case 'un': case 'reloc': {
        const inner = this.bind(e.e);
        return inner === e.e ? e : { ...e, e: inner };
      }
      case 'bin': {
        const [l, r] = [this.bind(e.l), this.bind(e.r)];
        return l === e.l && r === e.r ? e : { ...e, l, r };
      }
      default: return e;
    }
  }
}

/** The message for a name still undefined in pass 2. */
export function undefinedMessage(name: string): string {
  const m = /^(\d+)@/.exec(name);
  return m ? `local label '${m[1]}f' has no definition after this point` : `undefined symbol '${name}'`;
}
