/**
 * The TextMate grammar of paravm assembly, for editors and highlighters
 * (VS Code, Sublime, Shiki, GitHub's linguist). Every word list comes from
 * the tables the assembler itself reads: mnemonics from isa/opcodes.ts and
 * the pseudo-instruction table, registers from isa/registers.ts, predefined
 * symbols from isa/symbols.ts, directives from the layout and preprocessor
 * tables, macro parameters from macro.ts; the lexical rules (comments, strings, numbers, labels) follow
 * grammar.ohm. bin/gen-docs.ts writes it to docs/editors/; a test fails when
 * the committed file is stale. Pure: no I/O.
 *
 * The regexes use only what Oniguruma (TextMate, VS Code) and JavaScript
 * both read: a leading (?i), fixed-length lookbehind, classes, alternation.
 */
import { OPCODES } from '../isa/opcodes.ts';
import { REGISTER_BY_NAME } from '../isa/registers.ts';
import { predefinedSymbols } from '../isa/symbols.ts';
import { DIRECTIVES } from './directives.ts';
import { MACRO_ESCAPE } from './macro.ts';
import { PSEUDOS } from './pseudo.ts';
import { PREPROCESSOR_DIRECTIVES } from './preprocess.ts';

/** One rule of a TextMate grammar: a match, or a begin/end region with rules inside. */
export interface TmRule {
  readonly name?: string;
  readonly match?: string;
  readonly begin?: string;
  readonly end?: string;
  readonly captures?: Readonly<Record<string, { readonly name: string }>>;
  readonly patterns?: readonly TmRule[];
}

export interface TmGrammar {
  readonly comment: string;
  readonly name: string;
  readonly scopeName: string;
  readonly fileTypes: readonly string[];
  readonly patterns: readonly TmRule[];
}

export const GRAMMAR_SCOPE = 'source.paravm';

/** Identifier characters (grammar.ohm identChar): a word ends where none follows. */
const WORD_CHAR = '[A-Za-z0-9_.$]';
const IDENT = '[A-Za-z_$.][A-Za-z0-9_.$]*';
const ESCAPE = '\\\\(?:[xX][0-9a-fA-F]{1,2}|[0-7]{1,3}|.)';

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A whole-word alternation, longest first, so no word is cut short by a prefix. */
function words(list: Iterable<string>): string {
  const sorted = [...new Set(list)].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  return `(?<!${WORD_CHAR})(?:${sorted.map(escapeRe).join('|')})(?!${WORD_CHAR})`;
}

/** Where a statement starts: the line's start or just after a label's colon. */
const STATEMENT = '(?:^|(?<=:))\\s*';

function statementRules(): TmRule[] {
  const mnemonics = OPCODES.map((o) => o.mnemonic);
  const pseudos = PSEUDOS.map((p) => p.name).filter((n) => !mnemonics.includes(n));
  return [
    { name: 'meta.macro.paravm', match: `(?i)${STATEMENT}(\\.macro)\\s+(${IDENT})`, captures: { 1: { name: 'keyword.control.directive.paravm' }, 2: { name: 'entity.name.function.macro.paravm' } } },
    { name: 'meta.label.paravm', match: `(?<!${WORD_CHAR})(${IDENT}|[0-9]+)\\s*(:)`, captures: { 1: { name: 'entity.name.label.paravm' }, 2: { name: 'punctuation.separator.label.paravm' } } },
    { match: `(?i)${STATEMENT}(${words(mnemonics)})`, captures: { 1: { name: 'keyword.other.mnemonic.paravm' } } },
    { match: `(?i)${STATEMENT}(${words(pseudos)})`, captures: { 1: { name: 'keyword.other.mnemonic.pseudo.paravm' } } },
    { name: 'keyword.control.directive.paravm', match: `(?i)${words([...Object.keys(DIRECTIVES), ...PREPROCESSOR_DIRECTIVES])}` },
    { match: `${STATEMENT}(${IDENT})(?=\\s*=(?!=))`, captures: { 1: { name: 'variable.other.constant.paravm' } } },
    // Any other word in statement position is a macro call (a label's colon or a directive's dot says otherwise).
    { match: `${STATEMENT}([A-Za-z_$][A-Za-z0-9_.$]*)(?!${WORD_CHAR}|\\s*:)`, captures: { 1: { name: 'entity.name.function.macro.call.paravm' } } },
  ];
}

function operandRules(): TmRule[] {
  return [
    { name: 'variable.parameter.macro.paravm', match: MACRO_ESCAPE.source },
    { name: 'variable.language.register.paravm', match: `(?i)${words(REGISTER_BY_NAME.keys())}` },
    { name: 'support.constant.predefined.paravm', match: words(predefinedSymbols().keys()) },
    { name: 'support.function.relocation.paravm', match: `(?i)%(?:hi|lo)(?!${WORD_CHAR})` },
    { name: 'constant.numeric.hex.paravm', match: `(?<!${WORD_CHAR})0[xX][0-9a-fA-F]+(?!${WORD_CHAR})` },
    { name: 'constant.numeric.binary.paravm', match: `(?<!${WORD_CHAR})0[bB][01]+(?!${WORD_CHAR})` },
    { name: 'constant.numeric.octal.paravm', match: `(?<!${WORD_CHAR})0[oO][0-7]+(?!${WORD_CHAR})` },
    { name: 'variable.other.label.local.paravm', match: `(?<!${WORD_CHAR})[0-9]+[bf](?!${WORD_CHAR})` },
    { name: 'constant.numeric.decimal.paravm', match: `(?<!${WORD_CHAR})[0-9]+(?!${WORD_CHAR})` },
    { name: 'keyword.operator.paravm', match: '\\|\\||&&|<<|>>|<=|>=|==|!=|[-+*/%&|^~!<>=]' },
  ];
}

/** Comments, strings and character literals first: a `#` inside a string is not a comment. */
function lexicalRules(): TmRule[] {
  return [
    { name: 'comment.line.paravm', match: '(?:#|;|//).*$' },
    {
      name: 'string.quoted.double.paravm', begin: '"', end: '"|$',
      patterns: [{ name: 'constant.character.escape.paravm', match: ESCAPE }],
    },
    { name: 'constant.character.paravm', match: `'(?:${ESCAPE}|[^'\\\\])'` },
  ];
}

export function textmateGrammar(generatedBy: string): TmGrammar {
  return {
    comment: generatedBy,
    name: 'paravm assembly',
    scopeName: GRAMMAR_SCOPE,
    fileTypes: ['s'],
    patterns: [...lexicalRules(), ...statementRules(), ...operandRules()],
  };
}
