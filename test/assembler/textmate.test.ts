/**
 * The editor grammar (assembler/textmate.ts, docs/editors/) compiles and
 * classifies a program's tokens as the assembler reads them. A small
 * tokenizer applies the grammar's rules as TextMate does: per line, the
 * leftmost match wins, ties go to the earlier rule, begin/end regions scan
 * their own rules until the end pattern.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { textmateGrammar, type TmRule } from '../../assembler/index.ts';
import { OPCODES } from '../../isa/opcodes.ts';
import { REGISTER_BY_NAME } from '../../isa/registers.ts';
import { predefinedSymbols } from '../../isa/symbols.ts';
import { rootPath } from '../../guest-kernel/loader/index.ts';

const grammar = textmateGrammar('test');

/** A TextMate regex as JavaScript reads it: a leading (?i) becomes the i flag. */
function compile(src: string): RegExp {
  const ci = src.startsWith('(?i)');
  return new RegExp(ci ? src.slice(4) : src, ci ? 'gi' : 'g');
}

interface Token { text: string; scope: string }

function firstMatch(rules: readonly TmRule[], line: string, pos: number): { rule: TmRule; m: RegExpExecArray } | undefined {
  let best: { rule: TmRule; m: RegExpExecArray } | undefined;
  for (const rule of rules) {
    const re = compile(rule.match ?? rule.begin!);
    re.lastIndex = pos;
    const m = re.exec(line);
    if (m && m[0] !== '' && (!best || m.index < best.m.index)) best = { rule, m };
  }
  return best;
}

/** The scoped tokens of one line (unscoped text is dropped). */
function tokenize(line: string, rules: readonly TmRule[] = grammar.patterns): Token[] {
  const out: Token[] = [];
  for (let pos = 0; pos < line.length;) {
    const hit = firstMatch(rules, line, pos);
    if (!hit) break;
    const { rule, m } = hit;
    let end = m.index + m[0].length;
    if (rule.begin !== undefined) {
      const close = compile(rule.end!);
      close.lastIndex = end;
      const e = close.exec(line)!;
      end = e.index + e[0].length;
      out.push({ text: line.slice(m.index, end), scope: rule.name! });
      for (const inner of tokenize(line.slice(m.index + 1, e.index), rule.patterns)) out.push(inner);
    } else if (rule.captures) {
      for (const [i, c] of Object.entries(rule.captures)) if (m[Number(i)]) out.push({ text: m[Number(i)]!, scope: c.name });
    } else {
      out.push({ text: m[0], scope: rule.name! });
    }
    pos = end;
  }
  return out;
}

const kind = (scope: string): string => scope.replace(/\.paravm$/, '');
const pairs = (line: string): string[] => tokenize(line).map((t) => `${t.text}=${kind(t.scope)}`);

function allRules(rules: readonly TmRule[]): TmRule[] {
  return rules.flatMap((r) => [r, ...allRules(r.patterns ?? [])]);
}

describe('the TextMate grammar', () => {
  it('compiles every rule', () => {
    for (const r of allRules(grammar.patterns)) for (const src of [r.match, r.begin, r.end]) if (src) expect(() => compile(src), src).not.toThrow();
  });

  it('is what docs/editors/ and the VS Code extension carry', () => {
    const shipped = JSON.parse(readFileSync(rootPath('docs/editors/paravm.tmLanguage.json'), 'utf8')) as { patterns: unknown };
    expect(shipped.patterns).toEqual(JSON.parse(JSON.stringify(grammar.patterns)));
    const ext = JSON.parse(readFileSync(rootPath('docs/editors/vscode/package.json'), 'utf8')) as { contributes: { grammars: { path: string; scopeName: string }[] } };
    const g = ext.contributes.grammars[0]!;
    expect(g.scopeName).toBe(grammar.scopeName);
    expect(readFileSync(rootPath(`docs/editors/vscode/${g.path}`), 'utf8')).toBe(readFileSync(rootPath('docs/editors/paravm.tmLanguage.json'), 'utf8'));
  });

  it('classifies a program\'s tokens', () => {
    expect(pairs('_start: la a0, msg   # greet')).toEqual(['_start=entity.name.label', ':=punctuation.separator.label',
      'la=keyword.other.mnemonic.pseudo', 'a0=variable.language.register', '# greet=comment.line']);
    expect(pairs('1:      lbu     t0, 0(a2)')).toEqual(['1=entity.name.label', ':=punctuation.separator.label', 'lbu=keyword.other.mnemonic',
      't0=variable.language.register', '0=constant.numeric.decimal', 'a2=variable.language.register']);
    expect(pairs('        beqz    t0, 2f ; done')).toEqual(['beqz=keyword.other.mnemonic.pseudo', 't0=variable.language.register', '2f=variable.other.label.local', '; done=comment.line']);
    expect(pairs('        li      a0, HC_CONSOLE_WRITE')).toEqual(['li=keyword.other.mnemonic.pseudo', 'a0=variable.language.register', 'HC_CONSOLE_WRITE=support.constant.predefined']);
    expect(pairs('        .asciz  "a # b\\n"')).toEqual(['.asciz=keyword.control.directive', '"a # b\\n"=string.quoted.double', '\\n=constant.character.escape']);
    expect(pairs('  ADDI sp, SP, -0x10 // big')).toEqual(['ADDI=keyword.other.mnemonic', 'sp=variable.language.register', 'SP=variable.language.register',
      '-=keyword.operator', '0x10=constant.numeric.hex', '// big=comment.line']);
    expect(pairs('  lui t1, %hi(buf)')).toEqual(['lui=keyword.other.mnemonic', 't1=variable.language.register', '%hi=support.function.relocation']);
    expect(pairs('.macro pushall n=2')).toEqual(['.macro=keyword.control.directive', 'pushall=entity.name.function.macro', '==keyword.operator', '2=constant.numeric.decimal']);
    expect(pairs('  addi \\reg, \\reg, \\n')).toEqual(['addi=keyword.other.mnemonic', '\\reg=variable.parameter.macro', '\\reg=variable.parameter.macro', '\\n=variable.parameter.macro']);
    expect(pairs('  pushall 3')).toEqual(['pushall=entity.name.function.macro.call', '3=constant.numeric.decimal']);
    expect(pairs('LIMIT = 0b101')).toEqual(['LIMIT=variable.other.constant', '==keyword.operator', '0b101=constant.numeric.binary']);
    expect(pairs("  li a1, '#'")).toEqual(['li=keyword.other.mnemonic.pseudo', 'a1=variable.language.register', "'#'=constant.character"]);
    expect(pairs('  .include "io.s"')).toEqual(['.include=keyword.control.directive', '"io.s"=string.quoted.double']);
  });

  it('never takes a symbol for a register or a mnemonic', () => {
    expect(pairs('  la a0, a0x')).toEqual(['la=keyword.other.mnemonic.pseudo', 'a0=variable.language.register']);
    expect(pairs('  j add.loop')).toEqual(['j=keyword.other.mnemonic.pseudo']);
    expect(pairs('add: ret')).toEqual(['add=entity.name.label', ':=punctuation.separator.label', 'ret=keyword.other.mnemonic.pseudo']);
  });

  it('knows every mnemonic, register spelling and predefined symbol the assembler knows', () => {
    for (const o of OPCODES) expect(pairs(`  ${o.mnemonic}`), o.mnemonic).toEqual([`${o.mnemonic}=keyword.other.mnemonic`]);
    for (const r of REGISTER_BY_NAME.keys()) expect(pairs(`  mv ${r}, zero`)[1], r).toBe(`${r}=variable.language.register`);
    for (const s of predefinedSymbols().keys()) expect(pairs(`  li a0, ${s}`)[2], s).toBe(`${s}=support.constant.predefined`);
  });

  it('reads every line of the shipped library without an unclosed string', () => {
    for (const f of ['programs/lib/io.s', 'programs/lib/user.s']) {
      for (const line of readFileSync(rootPath(f), 'utf8').split('\n')) {
        const toks = tokenize(line);
        for (const t of toks.filter((x) => x.scope.startsWith('string'))) expect(t.text.endsWith('"'), `${f}: ${line}`).toBe(true);
      }
    }
  });
});
