/**
 * Tree building: the ohm semantics of grammar.ohm. It does not build the
 * tree directly but a Build function that builds it from the real line text,
 * reading names and numbers at the positions ohm matched. parse.ts matches
 * a masked form of the line and shares the Build among all lines with that
 * form (see there), so nothing here may read identifier or number text from
 * the match itself; punctuation (operators, `%hi`) is never masked and may.
 */
import * as ohm from 'ohm-js';
import type { BinOp, Expr, Label, MacroParam, Operand, ParsedLine, Stmt, UnOp } from './ast.ts';
import { GRAMMAR_RECIPE } from './grammar-source.ts';

/** Builds a node of the tree from the real line text (the match was made on its masked form). */
export type Build<T> = (text: string) => T;

let built: { grammar: ohm.Grammar; semantics: ohm.Semantics } | undefined;

/** ohm's makeRecipe (exported, used by @ohm-js/cli's bundles) is missing from its type declarations. */
const { makeRecipe } = ohm as unknown as { makeRecipe(recipe: string): ohm.Grammar };

/**
 * The grammar and its semantics, built on first use, from the recipe of the
 * compiled grammar (grammar-source.ts, generated from grammar.ohm): no file
 * is read, so this runs in a browser, and it takes about 2 ms, where
 * compiling the grammar's text took 210-230 ms of every assembling process.
 */
function ohmParts(): { grammar: ohm.Grammar; semantics: ohm.Semantics } {
  if (!built) {
    const g = makeRecipe(GRAMMAR_RECIPE);
    built = { grammar: g, semantics: g.createSemantics().addOperation<Build<unknown>>('build', ACTIONS) };
  }
  return built;
}

/** Match one line against a start rule (Line or MacroCallLine). */
export function matchLine(text: string, rule: 'Line' | 'MacroCallLine'): ohm.MatchResult {
  return ohmParts().grammar.match(text, rule);
}

/** A literal the grammar accepts but whose value is wrong (too big, unknown escape). */
export class LiteralError extends Error {
  constructor(message: string, readonly col: number) {
    super(message);
  }
}

/** C operator precedence, tighter binds higher; every binary operator is left-associative. */
const PRECEDENCE: Readonly<Record<BinOp, number>> = {
  '||': 1, '&&': 2, '|': 3, '^': 4, '&': 5, '==': 6, '!=': 6,
  '<': 7, '<=': 7, '>': 7, '>=': 7, '<<': 8, '>>': 8, '+': 9, '-': 9, '*': 10, '/': 10, '%': 10,
};

interface OpAt {
  readonly op: BinOp;
  readonly col: number;
}

/** Builds the tree for `e0 op1 e1 op2 e2 ...` by precedence climbing. */
function climb(operands: readonly Build<Expr>[], ops: readonly OpAt[]): Build<Expr> {
  let next = 0;
  const parse = (minPrec: number): Build<Expr> => {
    let lhs = operands[next]!;
    while (next < ops.length && PRECEDENCE[ops[next]!.op] >= minPrec) {
      const { op, col } = ops[next++]!;
      const l = lhs;
      const r = parse(PRECEDENCE[op] + 1);
      lhs = (t) => ({ k: 'bin', op, l: l(t), r: r(t), col });
    }
    return lhs;
  };
  return parse(1);
}

const SIMPLE_ESCAPES: Readonly<Record<string, number>> = {
  n: 10, t: 9, r: 13, '\\': 92, "'": 39, '"': 34, a: 7, b: 8, f: 12, v: 11, e: 27, '?': 63,
};

const col = (node: ohm.Node): number => node.source.startIdx + 1;

/** The real text of a node, given the real line. */
function textOf(node: ohm.Node): Build<string> {
  const { startIdx, endIdx } = node.source;
  return (t) => t.slice(startIdx, endIdx);
}

function numberValue(text: string, digits: string, radix: number, at: number): Expr {
  const v = parseInt(digits, radix);
  if (v > 0xffffffff) throw new LiteralError(`number ${text} does not fit in 32 bits`, at);
  return { k: 'num', v: v | 0, col: at };
}

/** Value of an escape sequence such as `\n`, `\x41` or `\101`. */
function escapeValue(text: string, at: number): number {
  const body = text.slice(1);
  if (/^[xX]/.test(body)) return parseInt(body.slice(1), 16);
  if (/^[0-7]/.test(body)) {
    const v = parseInt(body, 8);
    if (v > 255) throw new LiteralError(`octal escape '${text}' is over 255`, at);
    return v;
  }
  const v = SIMPLE_ESCAPES[body];
  if (v === undefined) throw new LiteralError(`unknown escape sequence '${text}'`, at);
  return v;
}

const utf8 = new TextEncoder();

/** String contents as bytes: plain characters in UTF-8, escapes as one byte each. */
function stringBytes(items: ohm.Node): Build<number[]> {
  const parts = items.children.map((item) => {
    const inner = item.children[0]!;
    const text = textOf(inner);
    const at = col(inner);
    return inner.ctorName.endsWith('_plain') ? (t: string) => [...utf8.encode(text(t))] : (t: string) => [escapeValue(text(t), at)];
  });
  return (t) => parts.flatMap((p) => p(t));
}

function build<T>(node: ohm.Node): Build<T> {
  return node['build']() as Build<T>;
}

function listOf<T>(node: ohm.Node): Build<T[]> {
  const items = node.asIteration().children.map((c) => build<T>(c));
  return (t) => items.map((b) => b(t));
}

function labelsOf(node: ohm.Node): Build<Label[]> {
  const items = node.children.map((c) => build<Label>(c));
  return (t) => items.map((b) => b(t));
}

function numberAction(radix: number) {
  return function (this: ohm.Node, _zero: ohm.Node, _prefix: ohm.Node, digits: ohm.Node): Build<Expr> {
    const text = textOf(this);
    const digitText = textOf(digits);
    const at = col(this);
    return (t) => numberValue(text(t), digitText(t), radix, at);
  };
}

const ACTIONS: ohm.ActionDict<Build<unknown>> = {
  Line(labels, stmt): Build<ParsedLine> {
    const ls = labelsOf(labels);
    const s = stmt.children[0] ? build<Stmt>(stmt.children[0]) : undefined;
    return (t) => ({ labels: ls(t), stmt: s?.(t) });
  },
  MacroCallLine(labels, name, args): Build<ParsedLine> {
    const ls = labelsOf(labels);
    const [nameText, argsText] = [textOf(name), textOf(args)];
    const [nameCol, argsCol] = [col(name), col(args)];
    return (t) => ({ labels: ls(t), stmt: { k: 'instr', name: nameText(t), col: nameCol, ops: [], argsText: argsText(t).trimEnd(), argsCol } });
  },
  Label(name, _colon): Build<Label> {
    const text = textOf(name);
    const [at, numeric] = [col(name), name.children[0]!.ctorName === 'labelName_numeric'];
    return (t) => ({ name: text(t), numeric, col: at });
  },
  MacroDef(kw, name, _comma, params): Build<Stmt> {
    const [nameText, ps, at] = [textOf(name), listOf<MacroParam>(params), col(kw)];
    return (t) => ({ k: 'macro', name: nameText(t), col: at, params: ps(t) });
  },
  MacroParam_default(name, _eq, def): Build<MacroParam> {
    const [nameText, defText] = [textOf(name), textOf(def)];
    return (t) => ({ name: nameText(t), def: defText(t).trim() });
  },
  MacroParam_plain(name): Build<MacroParam> {
    const nameText = textOf(name);
    return (t) => ({ name: nameText(t), def: undefined });
  },
  Directive(name, ops): Build<Stmt> {
    const [nameText, os, at] = [textOf(name), listOf<Operand>(ops), col(name)];
    return (t) => ({ k: 'dir', name: nameText(t).toLowerCase(), col: at, ops: os(t) });
  },
  Assign(name, _eq, e): Build<Stmt> {
    const [nameText, ex, at] = [textOf(name), build<Expr>(e), col(name)];
    return (t) => ({ k: 'assign', name: nameText(t), col: at, e: ex(t) });
  },
  Instruction(name, ops): Build<Stmt> {
    const [nameText, os, argsText] = [textOf(name), listOf<Operand>(ops), textOf(ops)];
    const [at, argsCol] = [col(name), col(ops)];
    return (t) => ({ k: 'instr', name: nameText(t), col: at, ops: os(t), argsText: argsText(t), argsCol });
  },
  Operand_disp(e, _open, base, _close): Build<Operand> {
    const [disp, baseText, baseCol, at] = [build<Expr>(e), textOf(base), col(base), col(e)];
    return (t) => ({ k: 'mem', disp: disp(t), base: baseText(t), baseCol, col: at });
  },
  Operand_base(open, base, _close): Build<Operand> {
    const [baseText, baseCol, at] = [textOf(base), col(base), col(open)];
    return (t) => ({ k: 'mem', disp: undefined, base: baseText(t), baseCol, col: at });
  },
  Operand_str(s): Build<Operand> {
    const [bytes, at] = [build<number[]>(s), col(s)];
    return (t) => ({ k: 'str', bytes: bytes(t), col: at });
  },
  Operand_expr(e): Build<Operand> {
    const [ex, at] = [build<Expr>(e), col(e)];
    return (t) => ({ k: 'expr', e: ex(t), col: at });
  },
  Expr(first, ops, rest): Build<Expr> {
    const operands = [build<Expr>(first), ...rest.children.map((r) => build<Expr>(r))];
    // Operators are punctuation, which masking leaves alone: read them from the match.
    return climb(operands, ops.children.map((o) => ({ op: o.sourceString as BinOp, col: col(o) })));
  },
  Unary_op(op, e): Build<Expr> {
    const [ex, at, o] = [build<Expr>(e), col(op), op.sourceString as UnOp];
    return (t) => ({ k: 'un', op: o, e: ex(t), col: at });
  },
  Primary_paren(_open, e, _close) {
    return build(e);
  },
  Primary_reloc(fn, _open, e, _close): Build<Expr> {
    // `%hi` / `%lo` are never masked, so the match already has the real name.
    const [ex, at, name] = [build<Expr>(e), col(fn), fn.sourceString.slice(1).toLowerCase() as 'hi' | 'lo'];
    return (t) => ({ k: 'reloc', fn: name, e: ex(t), col: at });
  },
  Primary_char(c): Build<Expr> {
    const [value, at] = [build<number>(c), col(c)];
    return (t) => ({ k: 'num', v: value(t), col: at });
  },
  Primary_local(ref): Build<Expr> {
    const [text, at] = [textOf(ref), col(ref)];
    return (t) => {
      const s = text(t);
      return { k: 'local', label: s.slice(0, -1), dir: s.endsWith('b') ? 'b' : 'f', col: at };
    };
  },
  Primary_dot(dot): Build<Expr> {
    const at = col(dot);
    return () => ({ k: 'dot', col: at });
  },
  Primary_sym(id): Build<Expr> {
    const [text, at] = [textOf(id), col(id)];
    return (t) => ({ k: 'sym', name: text(t), col: at });
  },
  number_hex: numberAction(16),
  number_bin: numberAction(2),
  number_oct: numberAction(8),
  number_dec(digits): Build<Expr> {
    const [text, at] = [textOf(digits), col(digits)];
    return (t) => numberValue(text(t), text(t), 10, at);
  },
  charLit(_open, item, _close) {
    return build(item);
  },
  charItem_plain(c): Build<number> {
    const text = textOf(c);
    return (t) => text(t).codePointAt(0)!;
  },
  escape(e): Build<number> {
    const [text, at] = [textOf(e), col(e)];
    return (t) => escapeValue(text(t), at);
  },
  string(_open, items, _close) {
    return stringBytes(items);
  },
};

/** The Build for a successful match (of start rule Line or MacroCallLine). */
export function buildOf(m: ohm.MatchResult): Build<ParsedLine> {
  return ohmParts().semantics(m)['build']() as Build<ParsedLine>;
}
