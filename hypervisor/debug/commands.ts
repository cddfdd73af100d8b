/**
 * The debugger's commands, declared once in one table: its name, aliases,
 * arguments and help all derive from here. A handler gets the session and
 * its argument words; any error it throws becomes one line, and the session
 * goes on. Commands that move the machine set the session's goal; reverse
 * ones throw to replay (session.ts).
 */
import { decode } from '../../isa/encoding.ts';
import { REG } from '../../isa/registers.ts';
import { peekWord } from '../observe/index.ts';
import { VSTATE_NAMES } from '../vcpu.ts';
import { DebugError, describePoint, parseCause, parseNumber, registerNamed, resolve, regValue, type WatchKind } from './points.ts';
import { backtrace, disassembleAround, examine, formatCsrs, formatRegs, formatSched, formatTlb, hex, hostAddress } from './inspect.ts';
import type { Session } from './session.ts';

interface Command {
  readonly names: readonly string[];
  readonly args: string;
  readonly help: string;
  readonly run: (s: Session, args: string[], suffix: string) => void;
}

function count(text: string | undefined, dflt = 1): number {
  if (text === undefined) return dflt;
  const n = parseNumber(text);
  if (n === undefined || n < 1) throw new DebugError(`expected a positive count, got ${text}`);
  return n;
}

function needArg(args: string[], what: string): string {
  if (args.length !== 1) throw new DebugError(`expected ${what}`);
  return args[0]!;
}

function addWatch(s: Session, kind: WatchKind, args: string[]): void {
  const text = needArg(args, 'a register ($a0) or an address (symbol, file:line, number)');
  const r = registerNamed(text);
  const id = s.nextId++;
  if (r !== undefined) {
    if (kind !== 'watch') throw new DebugError('registers take watch only (their reads are not tracked)');
    s.points.push({ id, kind: 'watch-reg', reg: r, gid: s.selected, what: `${s.vcpu.name} $${text.replace(/^\$/, '')} (now ${hex(regValue(s.vcpu, r))})` });
  } else {
    const { addr } = resolve(text, s.vcpu, s.hv.vms);
    const host = hostAddress(s.vcpu, addr & ~3);
    if (host === undefined) throw new DebugError(`${hex(addr)} is not mapped for ${s.vcpu.name}`);
    s.points.push({ id, kind, host, size: 4, what: `word at ${hex(addr & ~3)} (${text})` });
  }
  s.say(`watchpoint ${id} set`);
}

/** next: over a call (jal/jalr that writes ra) to the instruction after it; otherwise one step. */
function next(s: Session): void {
  const v = s.vcpu;
  const w = peekWord(v.cpu, v.cpu.pc);
  const d = w === undefined ? undefined : decode(w);
  const call = d && (d.info.mnemonic === 'jal' || d.info.mnemonic === 'jalr') && d.operands[0]?.reg === REG.ra;
  if (call) s.resume({ kind: 'return', gid: v.gid, pc: (v.cpu.pc + 4) | 0, sp: v.cpu.reg(REG.sp) });
  else s.resume({ kind: 'step', gid: v.gid, index: s.started[v.gid]! + 1 });
}

/** finish: run until the current function returns to the caller frame the backtrace shows. */
function finish(s: Session): void {
  const frames = backtrace(s.vcpu).split('\n');
  const m = frames[1] ? /^#1 {2}0x([0-9a-f]+).* sp=0x([0-9a-f]+)$/.exec(frames[1]) : null;
  if (!m) throw new DebugError('no caller frame (finish needs a return address the backtrace can find)');
  s.resume({ kind: 'return', gid: s.selected, pc: (parseInt(m[1]!, 16) + 4) | 0, sp: parseInt(m[2]!, 16) | 0 });
}

function examineCommand(s: Session, args: string[], suffix: string): void {
  const m = /^(\d*)([bhw]?)$/.exec(suffix);
  if (!m) throw new DebugError('format is x/N[bhw] ADDR, e.g. x/4w counter');
  const size = { b: 1, h: 2, w: 4, '': 4 }[m[2] as 'b' | 'h' | 'w' | '']!;
  s.say(examine(s.vcpu, resolve(needArg(args, 'an address'), s.vcpu, s.hv.vms).addr, count(m[1] || undefined), size));
}

function printCommand(s: Session, args: string[]): void {
  const text = needArg(args, 'a register ($a0), a symbol or a number');
  const r = text.startsWith('$') ? registerNamed(text) : undefined;
  const v = r !== undefined ? regValue(s.vcpu, r) : resolve(text, s.vcpu, s.hv.vms).addr;
  s.say(`${text} = ${hex(v)} (${v | 0})`);
}

function selectVcpu(s: Session, args: string[]): void {
  if (args.length === 0) { s.say(`vcpu ${s.selected}: ${s.vcpu.name}`); return; }
  const n = parseNumber(args[0]!);
  if (n === undefined || n < 0 || n >= s.hv.vcpus.length) throw new DebugError(`no vcpu ${args[0]} (0..${s.hv.vcpus.length - 1}; see info vcpus)`);
  s.selected = n;
  s.say(`vcpu ${n}: ${s.vcpu.name}, pc ${hex(s.vcpu.cpu.pc)}, ${VSTATE_NAMES[s.vcpu.state]}`);
}

function deletePoints(s: Session, args: string[]): void {
  if (args.length === 0) { s.points = []; return; }
  for (const a of args) {
    const i = s.points.findIndex((p) => String(p.id) === a);
    if (i < 0) throw new DebugError(`no breakpoint or watchpoint ${a}`);
    s.points.splice(i, 1);
  }
}

const INFO: Readonly<Record<string, (s: Session) => string>> = {
  registers: (s) => formatRegs(s.vcpu),
  csrs: (s) => formatCsrs(s.vcpu),
  tlb: (s) => formatTlb(s.vcpu),
  sched: (s) => formatSched(s.vcpu, s.hv.pcpus, s.hv.elapsed()),
  vcpus: (s) => s.hv.vcpus.map((v, i) => `${i === s.selected ? '*' : ' '} ${i}  ${v.name.padEnd(14)} ${VSTATE_NAMES[v.state].padEnd(9)} pc ${hex(v.cpu.pc)}  steps ${s.started[i]}`).join('\n'),
  breakpoints: (s) => s.points.map(describePoint).join('\n') || 'no breakpoints or watchpoints',
  position: (s) => (s.pos ? `step ${s.pos.g}${s.pos.post ? ' (after)' : ''}` : 'the run has ended'),
  snapshots: (s) => {
    const { count, bytes, every } = s.snapshotInfo();
    return `${count} snapshot${count === 1 ? '' : 's'} (${(bytes / 2 ** 20).toFixed(1)} MiB), one every ${every} instructions: a reverse step replays from the last one`;
  },
};

function info(s: Session, args: string[]): void {
  const what = needArg(args, `one of: ${Object.keys(INFO).join(', ')}`);
  const key = Object.keys(INFO).find((k) => k.startsWith(what));
  if (!key) throw new DebugError(`info: unknown topic ${what} (known: ${Object.keys(INFO).join(', ')})`);
  s.say(INFO[key]!(s));
}

export const DEBUG_COMMANDS: readonly Command[] = [
  { names: ['break', 'b'], args: 'SYMBOL|FILE:LINE|ADDR', help: 'stop before the instruction there (any VCPU)', run: (s, a) => {
    const text = needArg(a, 'a location: SYMBOL, FILE:LINE or an address');
    const { addr, vm } = resolve(text, s.vcpu, s.hv.vms);
    const id = s.nextId++;
    s.points.push({ id, kind: 'break', addr, vm, what: `${hex(addr)} (${text})` });
    s.say(`breakpoint ${id} at ${hex(addr)}`);
  } },
  { names: ['catch'], args: 'CAUSE|any', help: 'stop after an instruction raises this trap (any: every exception)', run: (s, a) => {
    const cause = parseCause(needArg(a, 'a trap cause'));
    const id = s.nextId++;
    s.points.push({ id, kind: 'catch', cause, what: String(a[0]).toUpperCase() });
    s.say(`catchpoint ${id} set`);
  } },
  { names: ['watch'], args: '$REG|ADDR', help: 'stop when the word is stored to, or the selected VCPU\'s register changes', run: (s, a) => addWatch(s, 'watch', a) },
  { names: ['rwatch'], args: 'ADDR', help: 'stop after a load from the word', run: (s, a) => addWatch(s, 'rwatch', a) },
  { names: ['awatch'], args: 'ADDR', help: 'stop after a load from or store to the word', run: (s, a) => addWatch(s, 'awatch', a) },
  { names: ['delete', 'd'], args: '[N...]', help: 'delete breakpoints and watchpoints (all without N)', run: deletePoints },
  { names: ['step', 's', 'stepi', 'si'], args: '[N]', help: 'run N instructions of the selected VCPU (others run as scheduled)', run: (s, a) => {
    s.resume({ kind: 'step', gid: s.selected, index: s.started[s.selected]! + count(a[0]) });
  } },
  { names: ['next', 'n', 'nexti', 'ni'], args: '', help: 'step, but over a call', run: (s) => next(s) },
  { names: ['finish'], args: '', help: 'run until the current function returns', run: (s) => finish(s) },
  { names: ['continue', 'c'], args: '', help: 'run until a breakpoint, watchpoint, catchpoint or break instruction', run: (s) => s.resume({ kind: 'run' }) },
  { names: ['reverse-step', 'rs'], args: '', help: 'back one instruction of the selected VCPU (replays from the last snapshot)', run: (s) => s.reverseStep() },
  { names: ['reverse-continue', 'rc'], args: '', help: 'back to the previous breakpoint or watchpoint hit', run: (s) => s.reverseContinue() },
  { names: ['restart'], args: '', help: 'back to the first instruction', run: (s) => s.restart() },
  { names: ['vcpu'], args: '[N]', help: 'select VCPU N (global index, see info vcpus)', run: selectVcpu },
  { names: ['x'], args: '/N[bhw] ADDR', help: 'examine N bytes, halfwords or words of memory', run: examineCommand },
  { names: ['print', 'p'], args: '$REG|SYMBOL|N', help: 'a register\'s value or a symbol\'s address', run: printCommand },
  { names: ['regs'], args: '', help: 'the selected VCPU\'s registers (info registers)', run: (s) => s.say(formatRegs(s.vcpu)) },
  { names: ['info', 'i'], args: 'TOPIC', help: `${Object.keys(INFO).join(', ')}`, run: info },
  { names: ['disassemble', 'disas', 'list', 'l'], args: '[N]', help: 'N instructions either side of pc, with source lines', run: (s, a) => {
    s.say(disassembleAround(s.vcpu, s.vcpu.cpu.pc | 0, count(a[0], 4), count(a[0], 4)));
  } },
  { names: ['backtrace', 'bt', 'where'], args: '', help: 'call frames from the calling convention', run: (s) => s.say(backtrace(s.vcpu)) },
  { names: ['help', 'h'], args: '', help: 'this list', run: (s) => s.say(helpText()) },
  { names: ['quit', 'q'], args: '', help: 'leave the debugger', run: (s) => s.quit() },
];

export function helpText(): string {
  return DEBUG_COMMANDS.map((c) => `  ${`${c.names.join(', ')} ${c.args}`.padEnd(44)} ${c.help}`).join('\n');
}

/** One command line: blank lines and # comments do nothing; errors are one line. */
export function runCommand(s: Session, line: string): void {
  const text = line.trim();
  if (text === '' || text.startsWith('#')) return;
  const [head = '', ...args] = text.split(/\s+/);
  const [name, suffix = ''] = head.split('/');
  const c = DEBUG_COMMANDS.find((x) => x.names.includes(name!));
  try {
    if (!c) throw new DebugError(`unknown command '${name}' (try help)`);
    c.run(s, args, suffix);
  } catch (e) {
    if (!(e instanceof Error)) throw e; // the session's Restart and Quit are not errors: they unwind the run
    s.say(`error: ${e.message.split('\n')[0]}`);
  }
}
