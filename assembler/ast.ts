/**
 * The syntax tree of one source line, as built by parse.ts and consumed by
 * the preprocessor and both passes. Nodes are immutable because parse
 * results are cached by line text and shared between every line (and every
 * macro or .rept expansion) with the same text. Columns are 1-based and
 * count characters of the line text that was parsed.
 */

export type BinOp = '||' | '&&' | '|' | '^' | '&' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '<<' | '>>' | '+' | '-' | '*' | '/' | '%';
export type UnOp = '-' | '+' | '~' | '!';

export type Expr =
  | { readonly k: 'num'; readonly v: number; readonly col: number }
  | { readonly k: 'sym'; readonly name: string; readonly col: number }
  /** A numeric local label reference: `1b` (dir 'b') or `1f` (dir 'f'). */
  | { readonly k: 'local'; readonly label: string; readonly dir: 'b' | 'f'; readonly col: number }
  /** `.`, the address of the current statement (or data item). */
  | { readonly k: 'dot'; readonly col: number }
  | { readonly k: 'un'; readonly op: UnOp; readonly e: Expr; readonly col: number }
  /** col is the operator's column, where errors like division by zero point. */
  | { readonly k: 'bin'; readonly op: BinOp; readonly l: Expr; readonly r: Expr; readonly col: number }
  | { readonly k: 'reloc'; readonly fn: 'hi' | 'lo'; readonly e: Expr; readonly col: number };

export type Operand =
  | { readonly k: 'expr'; readonly e: Expr; readonly col: number }
  /** `disp(base)` or `(base)`; base is the identifier as written (a register, if valid). */
  | { readonly k: 'mem'; readonly disp: Expr | undefined; readonly base: string; readonly baseCol: number; readonly col: number }
  | { readonly k: 'str'; readonly bytes: readonly number[]; readonly col: number };

export interface MacroParam {
  readonly name: string;
  readonly def: string | undefined;
}

export type Stmt =
  /** An instruction, pseudo-instruction or macro call; argsText is the raw operand text for macros. */
  | { readonly k: 'instr'; readonly name: string; readonly col: number; readonly ops: readonly Operand[]; readonly argsText: string; readonly argsCol: number }
  /** A directive; name is lower case and keeps its dot (".word"). */
  | { readonly k: 'dir'; readonly name: string; readonly col: number; readonly ops: readonly Operand[] }
  | { readonly k: 'macro'; readonly name: string; readonly col: number; readonly params: readonly MacroParam[] }
  /** `name = expr`, the same as `.set name, expr`. */
  | { readonly k: 'assign'; readonly name: string; readonly col: number; readonly e: Expr };

export type InstrStmt = Extract<Stmt, { k: 'instr' }>;
export type DirStmt = Extract<Stmt, { k: 'dir' }>;
export type MacroStmt = Extract<Stmt, { k: 'macro' }>;

export interface Label {
  readonly name: string;
  /** True for GNU-style numeric labels (`1:`), referenced as `1b` / `1f`. */
  readonly numeric: boolean;
  readonly col: number;
}

export interface ParsedLine {
  readonly labels: readonly Label[];
  readonly stmt: Stmt | undefined;
}

/** Walks an expression tree; used to find symbol references (local labels, `.`). */
export function someNode(e: Expr, pred: (n: Expr) => boolean): boolean {
  if (pred(e)) return true;
  switch (e.k) {
    case 'un': case 'reloc': return someNode(e.e, pred);
    case 'bin': return someNode(e.l, pred) || someNode(e.r, pred);
    default: return false;
  }
}
