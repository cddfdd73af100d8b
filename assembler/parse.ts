/**
 * One source line -> ParsedLine (ast.ts), with grammar.ohm doing the
 * recognition. Lines are matched one at a time (ohm's memo table makes one
 * huge match slow) and results are cached by line text per assembly run, so
 * the many identical lines of generated or macro-heavy code parse once.
 * Values are not checked here beyond what a literal itself can get wrong
 * (a number over 32 bits, an unknown escape).
 */
import { readFileSync } from 'node:fs';
import * as ohm from 'ohm-js';
import type { BinOp, Expr, Label, MacroParam, Operand, ParsedLine, Stmt, UnOp } from './ast.ts';

export type ParseResult =
  | { readonly ok: true; readonly line: ParsedLine }
  /** fallback: the line read as a macro call with raw arguments, used only if the name is a macro. */
  | { readonly ok: false; readonly col: number; readonly message: string; readonly fallback: ParsedLine | undefined };

/** Read beside this module: the CLI bundle (bin/build.js) copies grammar.ohm next to itself. */
const grammar = ohm.grammar(readFileSync(new URL('./grammar.ohm', import.meta.url), 'utf8'));

class LiteralError extends Error {
  constructor(message: string, readonly col: number) {
    super(message);
  }
}

/** C operator precedence, tighter binds higher; every binary operator is left-associative. */
const PRECEDENCE: Readonly<Record<BinOp, number>> = {
  '||': 1, '&&': 2, '|': 3, '^': 4, '&': 5, '==': 6, '!=': 6,
  '<': 7, '<=': 7, '>': 7, '>=': 7, '<<': 8, '>>': 8, '+': 9, '-': 9, '*': 10, '/': 10, '%': 10,
};

/** Builds the tree for `e0 op1 e1 op2 e2 ...` by precedence climbing. */
function climb(operands: readonly Expr[], ops: readonly { op: BinOp; col: number }[]): Expr {
  let next = 0;
  const parse = (minPrec: number): Expr => {
    let lhs = operands[next]!;
    while (next < ops.length && PRECEDENCE[ops[next]!.op] >= minPrec) {
      const { op, col } = ops[next++]!;
      lhs = { k: 'bin', op, l: lhs, r: parse(PRECEDENCE[op] + 1), col };
    }
    return lhs;
  };
  return parse(1);
}

const SIMPLE_ESCAPES: Readonly<Record<string, number>> = {
  n: 10, t: 9, r: 13, '0': 0, '\\': 92, "'": 39, '"': 34, a: 7, b: 8, f: 12, v: 11, e: 27, '?': 63,
};

const col = (node: ohm.Node): number => node.source.startIdx + 1;

function numberNode(node: ohm.Node, digits: string, radix: number): Expr {
  const v = parseInt(digits, radix);
  if (v > 0xffffffff) throw new LiteralError(`number ${node.sourceString} does not fit in 32 bits`, col(node));
  return { k: 'num', v: v | 0, col: col(node) };
}

function escapeValue(node: ohm.Node): number {
  const text = node.sourceString.slice(1);
  if (/^[xX]/.test(text)) return parseInt(text.slice(1), 16);
  if (/^[0-7]/.test(text)) {
    const v = parseInt(text, 8);
    if (v > 255) throw new LiteralError(`octal escape '\\${text}' is over 255`, col(node));
    return v;
  }
  const v = SIMPLE_ESCAPES[text];
  if (v === undefined) throw new LiteralError(`unknown escape sequence '\\${text}'`, col(node));
  return v;
}

const utf8 = new TextEncoder();

function stringBytes(items: ohm.Node): number[] {
  const bytes: number[] = [];
  for (const item of items.children) {
    const inner = item.children[0]!;
    if (inner.ctorName === 'strItem_plain') bytes.push(...utf8.encode(inner.sourceString));
    else bytes.push(escapeValue(inner));
  }
  return bytes;
}

function listOf(node: ohm.Node): unknown[] {
  return node.asIteration().children.map((c) => c['ast']());
}

const semantics = grammar.createSemantics().addOperation<unknown>('ast', {
  Line(labels, stmt): ParsedLine {
    return { labels: labels.children.map((l) => l['ast']() as Label), stmt: stmt.children[0]?.['ast']() as Stmt | undefined };
  },
  MacroCallLine(labels, name, args): ParsedLine {
    const stmt: Stmt = { k: 'instr', name: name.sourceString, col: col(name), ops: [], argsText: args.sourceString.trimEnd(), argsCol: col(args) };
    return { labels: labels.children.map((l) => l['ast']() as Label), stmt };
  },
  Label(name, _colon): Label {
    return { name: name.sourceString, numeric: /^[0-9]/.test(name.sourceString), col: col(name) };
  },
  MacroDef(kw, name, _comma, params): Stmt {
    return { k: 'macro', name: name.sourceString, col: col(kw), params: listOf(params) as MacroParam[] };
  },
  MacroParam_default(name, _eq, def) {
    return { name: name.sourceString, def: def.sourceString.trim() };
  },
  MacroParam_plain(name) {
    return { name: name.sourceString, def: undefined };
  },
  Directive(name, ops): Stmt {
    return { k: 'dir', name: name.sourceString.toLowerCase(), col: col(name), ops: listOf(ops) as Operand[] };
  },
  Assign(name, _eq, e): Stmt {
    return { k: 'assign', name: name.sourceString, col: col(name), e: e['ast']() as Expr };
  },
  Instruction(name, ops): Stmt {
    return { k: 'instr', name: name.sourceString, col: col(name), ops: listOf(ops) as Operand[], argsText: ops.sourceString, argsCol: col(ops) };
  },
  Operand_disp(e, _open, base, _close): Operand {
    return { k: 'mem', disp: e['ast']() as Expr, base: base.sourceString, baseCol: col(base), col: col(e) };
  },
  Operand_base(open, base, _close): Operand {
    return { k: 'mem', disp: undefined, base: base.sourceString, baseCol: col(base), col: col(open) };
  },
  Operand_str(s): Operand {
    return { k: 'str', bytes: s['ast']() as number[], col: col(s) };
  },
  Operand_expr(e): Operand {
    return { k: 'expr', e: e['ast']() as Expr, col: col(e) };
  },
  Expr(first, ops, rest): Expr {
    const operands = [first['ast']() as Expr, ...rest.children.map((r) => r['ast']() as Expr)];
    return climb(operands, ops.children.map((o) => ({ op: o.sourceString as BinOp, col: col(o) })));
  },
  Unary_op(op, e): Expr {
    return { k: 'un', op: op.sourceString as UnOp, e: e['ast']() as Expr, col: col(op) };
  },
  Primary_paren(_open, e, _close) {
    return e['ast']();
  },
  Primary_reloc(fn, _open, e, _close): Expr {
    return { k: 'reloc', fn: fn.sourceString.slice(1).toLowerCase() as 'hi' | 'lo', e: e['ast']() as Expr, col: col(fn) };
  },
  Primary_char(c): Expr {
    return { k: 'num', v: c['ast']() as number, col: col(c) };
  },
  Primary_local(ref): Expr {
    const text = ref.sourceString;
    return { k: 'local', label: text.slice(0, -1), dir: text.endsWith('b') ? 'b' : 'f', col: col(ref) };
  },
  Primary_dot(dot): Expr {
    return { k: 'dot', col: col(dot) };
  },
  Primary_sym(id): Expr {
    return { k: 'sym', name: id.sourceString, col: col(id) };
  },
  number_hex(_zero, _x, digits) {
    return numberNode(this, digits.sourceString, 16);
  },
  number_bin(_zero, _b, digits) {
    return numberNode(this, digits.sourceString, 2);
  },
  number_oct(_zero, _o, digits) {
    return numberNode(this, digits.sourceString, 8);
  },
  number_dec(digits) {
    return numberNode(this, digits.sourceString, 10);
  },
  charLit(_open, item, _close) {
    return item['ast']();
  },
  charItem_plain(_c) {
    return this.sourceString.codePointAt(0)!;
  },
  escape(_e) {
    return escapeValue(this);
  },
  string(_open, items, _close) {
    return stringBytes(items);
  },
});

/** A short "expected ..." from ohm's failure, with what was found instead. */
function syntaxMessage(m: ohm.FailedMatchResult, text: string): string {
  const pos = m.getRightmostFailurePosition();
  const quote = text[pos];
  if ((quote === '"' || quote === "'") && !text.includes(quote, pos + 1)) return `missing terminating ${quote} character`;
  const found = pos >= text.length ? 'end of line' : `'${text[pos]}'`;
  const expected = m.getExpectedText().replace(/end of input/g, 'end of line').replace(/"([^"]+)"/g, "'$1'");
  return `syntax error: expected ${expected}, found ${found}`;
}

function toTree<T>(m: ohm.MatchResult): T {
  return semantics(m)['ast']() as T;
}

function parseUncached(text: string): ParseResult {
  try {
    const m = grammar.match(text, 'Line');
    if (m.succeeded()) return { ok: true, line: toTree<ParsedLine>(m) };
    const failed = m as ohm.FailedMatchResult;
    const call = grammar.match(text, 'MacroCallLine');
    const fallback = call.succeeded() ? toTree<ParsedLine>(call) : undefined;
    return { ok: false, col: failed.getRightmostFailurePosition() + 1, message: syntaxMessage(failed, text), fallback };
  } catch (e) {
    if (!(e instanceof LiteralError)) throw e;
    return { ok: false, col: e.col, message: e.message, fallback: undefined };
  }
}

/** A line parser with its own cache; one per assembly run. */
export class LineParser {
  private readonly cache = new Map<string, ParseResult>();

  parse(text: string): ParseResult {
    let r = this.cache.get(text);
    if (r === undefined) {
      r = parseUncached(text);
      this.cache.set(text, r);
    }
    return r;
  }
}
