/**
 * The editor: CodeMirror 6 with paravm highlighting, inline diagnostics
 * (@codemirror/lint), a breakpoint gutter and a mark on the line the
 * machine stopped at. The highlighter reads the TextMate grammar the
 * assembler generates from the ISA's own tables (assembler/textmate.ts), so
 * no word list is written twice: each top-level rule is a sticky regex tried
 * in order at the current position, as a TextMate engine tries them.
 */
import { EditorState, RangeSet, StateEffect, StateField, type Extension } from '@codemirror/state';
import { Decoration, EditorView, GutterMarker, gutter, keymap, lineNumbers, type DecorationSet } from '@codemirror/view';
import { StreamLanguage, defaultHighlightStyle, syntaxHighlighting, type StringStream } from '@codemirror/language';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { setDiagnostics, lintGutter, type Diagnostic as CmDiagnostic } from '@codemirror/lint';
import { textmateGrammar, type Diagnostic, type TmRule } from '../../../assembler/index.ts';

/** CodeMirror's token names for the grammar's scopes, first match wins. */
const STYLES: readonly [string, string][] = [
  ['comment', 'comment'], ['constant.character.escape', 'escape'], ['string', 'string'], ['constant.character', 'string'],
  ['constant.numeric', 'number'], ['keyword.other.mnemonic.pseudo', 'macroName'], ['keyword.other.mnemonic', 'keyword'],
  ['keyword.control', 'meta'], ['entity.name.label', 'labelName'], ['punctuation', 'punctuation'], ['variable.language.register', 'atom'],
  ['support.constant', 'className'], ['variable.other.constant', 'definition'], ['entity.name.function', 'macroName'], ['keyword.operator', 'operator'],
];
const styleOf = (scope: string | undefined): string | null => (scope ? STYLES.find(([s]) => scope.startsWith(s))?.[1] ?? null : null);

interface Rule { re: RegExp; style: string | null; groups: (string | null)[] }

function compile(r: TmRule): Rule | undefined {
  let src = r.match ?? (r.begin === '"' ? '"(?:\\\\.|[^"\\\\])*"?' : undefined);
  if (!src) return undefined;
  let flags = 'yd';
  if (src.startsWith('(?i)')) { src = src.slice(4); flags += 'i'; }
  const groups = Object.entries(r.captures ?? {}).reduce<(string | null)[]>((g, [k, v]) => { g[Number(k)] = styleOf(v.name); return g; }, []);
  return { re: new RegExp(src, flags), style: styleOf(r.name), groups };
}

const RULES: Rule[] = textmateGrammar('the browser playground').patterns.map(compile).filter((r): r is Rule => r !== undefined);

/** Tokens of the current line still to hand out: a rule with captures styles its groups, not the whole match. */
interface LineState { queue: { end: number; style: string | null }[] }

function token(stream: StringStream, st: LineState): string | null {
  const next = st.queue.shift();
  if (next) { stream.pos = next.end; return next.style; }
  for (const rule of RULES) {
    rule.re.lastIndex = stream.pos;
    const m = rule.re.exec(stream.string);
    if (!m || m[0].length === 0) continue;
    const end = stream.pos + m[0].length;
    if (!rule.groups.length) { stream.pos = end; return rule.style; }
    let at = stream.pos;
    for (let g = 1; g < m.length; g++) {
      const span = m.indices?.[g];
      if (!span || span[0] < at) continue;
      if (span[0] > at) st.queue.push({ end: span[0], style: null });
      st.queue.push({ end: span[1], style: rule.groups[g] ?? null });
      at = span[1];
    }
    if (at < end) st.queue.push({ end, style: null });
    const first = st.queue.shift()!;
    stream.pos = first.end;
    return first.style;
  }
  stream.next();
  return null;
}

const paravm = StreamLanguage.define<LineState>({
  name: 'paravm',
  startState: () => ({ queue: [] }),
  token,
  copyState: (s) => ({ queue: s.queue.slice() }),
});

// ---- breakpoints ---------------------------------------------------------------

const toggleBreak = StateEffect.define<{ pos: number; on: boolean }>({ map: (v, ch) => ({ pos: ch.mapPos(v.pos), on: v.on }) });

class Dot extends GutterMarker {
  constructor(private readonly cls: string) { super(); }
  override toDOM(): Node { const d = document.createElement('span'); d.className = this.cls; d.textContent = '●'; return d; }
}
const breakMarker = new Dot('bp');
/** Sizes the gutter; a class of its own so that only real breakpoints are `.bp`. */
const spacerMarker = new Dot('bp-spacer');

const breakpoints = StateField.define<RangeSet<GutterMarker>>({
  create: () => RangeSet.empty,
  update(set, tr) {
    let s = set.map(tr.changes);
    for (const e of tr.effects) {
      if (!e.is(toggleBreak)) continue;
      s = e.value.on ? s.update({ add: [breakMarker.range(e.value.pos)] }) : s.update({ filter: (from) => from !== e.value.pos });
    }
    return s;
  },
});

function toggleAt(view: EditorView, pos: number): void {
  let on = true;
  view.state.field(breakpoints).between(pos, pos, () => { on = false; });
  view.dispatch({ effects: toggleBreak.of({ pos, on }) });
}

const breakGutter = [
  breakpoints,
  gutter({
    class: 'cm-breakpoint-gutter',
    markers: (v) => v.state.field(breakpoints),
    initialSpacer: () => spacerMarker,
    domEventHandlers: { mousedown(view, line) { toggleAt(view, line.from); return true; } },
  }),
];

// ---- the line the machine stopped at -----------------------------------------

const setPcLine = StateEffect.define<number | undefined>();
const pcLine = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(deco, tr) {
    for (const e of tr.effects) {
      if (!e.is(setPcLine)) continue;
      const n = e.value;
      if (n === undefined || n < 1 || n > tr.state.doc.lines) return Decoration.none;
      return Decoration.set([Decoration.line({ class: 'cm-pc-line' }).range(tr.state.doc.line(n).from)]);
    }
    return deco.map(tr.changes);
  },
  provide: (f) => EditorView.decorations.from(f),
});

export interface Editor {
  view: EditorView;
  text(): string;
  setText(text: string): void;
  breakpointLines(): number[];
  toggleBreakpoint(line: number): void;
  showDiagnostics(list: readonly Diagnostic[], file: string): void;
  markLine(line: number | undefined): void;
}

export function createEditor(parent: HTMLElement, doc: string, onChange: () => void, onBreakpoints: () => void): Editor {
  const extensions: Extension[] = [
    lineNumbers(), breakGutter, lintGutter(), history(), keymap.of([...defaultKeymap, ...historyKeymap]),
    paravm, syntaxHighlighting(defaultHighlightStyle), pcLine,
    EditorView.updateListener.of((u) => {
      if (u.docChanged) onChange();
      if (u.transactions.some((t) => t.effects.some((e) => e.is(toggleBreak)))) onBreakpoints();
    }),
  ];
  const view = new EditorView({ state: EditorState.create({ doc, extensions }), parent });
  return {
    view,
    text: () => view.state.doc.toString(),
    setText: (text) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text }, effects: setPcLine.of(undefined) }),
    breakpointLines() {
      const out: number[] = [];
      view.state.field(breakpoints).between(0, view.state.doc.length, (from) => { out.push(view.state.doc.lineAt(from).number); });
      return out;
    },
    toggleBreakpoint(line) { toggleAt(view, view.state.doc.line(line).from); },
    showDiagnostics(list, file) {
      const doc = view.state.doc;
      const cm: CmDiagnostic[] = list.filter((d) => d.file === file && d.line >= 1 && d.line <= doc.lines).map((d) => {
        const l = doc.line(d.line);
        const from = Math.min(l.to, l.from + Math.max(0, d.col - 1));
        return { from, to: Math.max(from, l.to), severity: d.severity === 'error' ? 'error' : 'warning', message: d.message };
      });
      view.dispatch(setDiagnostics(view.state, cm));
    },
    markLine(line) { view.dispatch({ effects: setPcLine.of(line) }); },
  };
}
