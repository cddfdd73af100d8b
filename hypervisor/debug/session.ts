/**
 * The debugger's engine. The machine runs with MachineOptions.stepper, so
 * every instruction passes through step() here, which decides whether to
 * stop; a stop runs the command loop right there, inside the machine's own
 * loop, so stopping never changes the schedule. Positions are counted in
 * steps (calls of the stepper): a stop is before step g ('pre') or just after
 * it ('post', where watchpoints and catchpoints report).
 *
 * Reverse execution is replay from periodic snapshots, as QEMU's
 * record/replay does: the machine runs in slices of `snapshotEvery`
 * instructions (Hypervisor.run(budget), which pauses only where pausing
 * changes nothing), and at each pause the session takes a Snapshot
 * (snapshot.ts). To go back, it throws Restart out of the run, restores the
 * last snapshot before the target and replays from there, silently and
 * deterministically, to the target position: a reverse step costs at most
 * one slice of single-stepping, not a replay from the start. Snapshots cost
 * a copy of guest memory each; past MAX_SNAPSHOTS every other one goes (the
 * first stays), so memory stays bounded and replays grow by at most a slice
 * per halving. reverse-continue replays a slice at a time, backwards: it
 * lists the hits between a snapshot and the position it came from, and goes
 * to the last one, or to the slice before when there is none.
 */
import { decode } from '../../isa/encoding.ts';
import { NUM_REGS, REG } from '../../isa/registers.ts';
import { causeName } from '../../isa/traps.ts';
import { Exit, F, S, type ExitCode } from '../cpu/index.ts';
import { accessOf, peekWord } from '../observe/index.ts';
import type { Hypervisor } from '../machine.ts';
import type { MachineOptions } from '../options.ts';
import type { Vcpu } from '../vcpu.ts';
import type { Vm } from '../vm.ts';
import { Snapshot } from './snapshot.ts';
import { causeMatches, regValue, type Point, type WatchKind } from './points.ts';
import { hex, hostAddress, instructionLine, readHost } from './inspect.ts';

/** Lines in, text out; read() returns undefined at the end of input (which quits). */
export interface DebugIo {
  read(): string | undefined;
  write(text: string): void;
}

/** Builds the machine being debugged, with the options the session needs added to its own. */
export type MachineFactory = (opts: MachineOptions) => Hypervisor;

export interface Pos { g: number; post: boolean }

/** What ends the current resumption: a VCPU's n-th step, a return to pc above sp, a position, or nothing. */
export type Goal =
  | { kind: 'run' }
  | { kind: 'step'; gid: number; index: number }
  | { kind: 'return'; gid: number; pc: number; sp: number }
  | { kind: 'at'; pos: Pos };

type MemWatch = Extract<Point, { kind: WatchKind }>;

/** The machine and the session's own counters at a pause, after step g. */
interface Checkpoint { g: number; started: number[]; regs: Map<number, Int32Array>; console: number; snap: Snapshot }

/** Snapshots kept at most: past this, every other one goes. */
export const MAX_SNAPSHOTS = 64;

/** With collect, hits are listed from the snapshot after step `from` instead of stopping. */
class Restart { constructor(readonly goal: Goal, readonly collect: boolean, readonly from = 0) {} }
class Quit {}

export const before = (a: Pos, b: Pos): boolean => a.g < b.g || (a.g === b.g && !a.post && b.post);

export class Session {
  hv!: Hypervisor;
  /** The VCPU commands apply to (`vcpu N`), by global index. */
  selected = 0;
  points: Point[] = [];
  nextId = 1;
  /** Where the machine stands: the step it is before or after; undefined once the run ended. */
  pos: Pos | undefined;
  /** Steps each VCPU has begun, by global index. */
  started: number[] = [];
  goal: Goal = { kind: 'step', gid: 0, index: 1 };
  /** Replaying: only the goal stops; with collect, hits are listed instead of stopping. */
  private replay = false;
  private collect: Pos[] | undefined;
  /** Where the listing of hits started (the step of its snapshot). */
  private collectFrom = 0;
  private readonly checkpoints: Checkpoint[] = [];
  private g = 0;
  private stoppedGid = -1;
  private regsSeen = new Map<number, Int32Array>();
  private consoleSeen = 0;
  private consoleShown = 0;
  private readonly decoder = new TextDecoder();

  /** snapshotEvery: instructions between snapshots (pauses of the run; the CLI pauses where its run does). */
  constructor(readonly build: MachineFactory, readonly io: DebugIo, readonly command: (s: Session, line: string) => void, readonly snapshotEvery = 1 << 20) {}

  /** Run (and replay, for reverse execution) until quit or the end of input. */
  start(): void {
    this.fresh();
    for (;;) {
      try {
        let reason;
        while ((reason = this.hv.run(this.snapshotEvery)) === 'paused') this.checkpoint();
        if (this.collect) this.toLastHit({ g: Infinity, post: false });
        this.pos = undefined;
        this.say(`the machine stopped (${reason}) after ${this.g} steps: ${this.hv.vms.map((vm) => `${vm.name} ${vm.state}`).join(', ')}`);
        this.prompt();
        return;
      } catch (e) {
        if (e instanceof Quit) return;
        if (!(e instanceof Restart)) throw e;
        this.rewind(e);
      }
    }
  }

  private fresh(): void {
    this.hv = this.build({ stepper: (v, one) => this.step(v, one), onConsole: (vm, b) => this.console(vm, b) });
    this.started = this.hv.vcpus.map(() => 0);
    this.checkpoint();
  }

  /** A snapshot where the run paused, unless a replay is passing a stretch already covered. */
  private checkpoint(): void {
    const last = this.checkpoints[this.checkpoints.length - 1];
    if (last && last.g >= this.g) return;
    const snap = Snapshot.take(this.hv, last?.snap);
    this.checkpoints.push({ g: this.g, started: this.started.slice(), regs: new Map(this.regsSeen), console: this.consoleSeen, snap });
    if (this.checkpoints.length > MAX_SNAPSHOTS) {
      const kept = this.checkpoints.filter((_c, i) => i % 2 === 0);
      this.checkpoints.splice(0, this.checkpoints.length, ...kept);
    }
  }

  /** The last checkpoint from which the goal is still ahead. */
  private checkpointFor(goal: Goal, from: number): Checkpoint {
    const ahead = (c: Checkpoint): boolean => {
      if (goal.kind === 'step') return c.started[goal.gid]! < goal.index;
      return goal.kind !== 'at' || c.g < goal.pos.g;
    };
    return this.checkpoints.filter((c) => c.g <= from && ahead(c)).pop() ?? this.checkpoints[0]!;
  }

  /** Back to the checkpoint the Restart needs, replaying from there. */
  private rewind(e: Restart): void {
    const c = this.checkpointFor(e.goal, e.collect ? e.from : Infinity);
    c.snap.restore();
    this.g = c.g;
    this.started = c.started.slice();
    this.regsSeen = new Map(c.regs);
    this.consoleSeen = c.console;
    this.replay = true;
    this.collect = e.collect ? [] : undefined;
    this.collectFrom = c.g;
    this.goal = e.goal;
  }

  /** Snapshots held and the bytes they copy (`info snapshots`). */
  snapshotInfo(): { count: number; bytes: number; every: number } {
    return { count: this.checkpoints.length, bytes: this.checkpoints.reduce((n, c) => n + c.snap.bytes, 0), every: this.snapshotEvery };
  }

  /** Guest output once: a replay prints nothing already printed. */
  private console(_vm: Vm, bytes: Uint8Array): void {
    const skip = Math.max(0, Math.min(bytes.length, this.consoleShown - this.consoleSeen));
    this.consoleSeen += bytes.length;
    if (skip < bytes.length) { this.io.write(this.decoder.decode(bytes.subarray(skip), { stream: true })); this.consoleShown = this.consoleSeen; }
  }

  say(text: string): void { this.io.write(`${text}\n`); }

  get vcpu(): Vcpu { return this.hv.vcpus[this.selected]!; }

  // ---- the stepper -------------------------------------------------------

  private step(v: Vcpu, one: () => ExitCode): ExitCode {
    this.g++;
    this.started[v.gid]!++;
    const pre = { g: this.g, post: false };
    const brk = this.isBreakInstruction(v);
    const why = this.preHit(v) ?? (brk ? 'break instruction (continuing passes over it)' : undefined);
    if (this.arrived(v, pre, why)) this.stop(v, pre, why ?? '');
    if (brk) return this.skipBreak(v);
    const watched = this.watchedAccess(v);
    const traps = v.cpu.st[S.TRAPS]!;
    const exit = one();
    const post = { g: this.g, post: true };
    const hit = this.postHit(v, exit, traps, watched);
    if (this.arrived(v, post, hit)) this.stop(v, post, hit ?? '');
    return exit;
  }

  /** Whether to stop at p: the goal reached, or (not replaying) a hit; hits are only listed while collecting. */
  private arrived(v: Vcpu, p: Pos, hit: string | undefined): boolean {
    if (this.collect) {
      if (hit !== undefined) this.collect.push(p);
      if (this.goal.kind === 'at' && this.goal.pos.g === p.g && this.goal.pos.post === p.post) this.toLastHit(p);
      return false;
    }
    if (hit !== undefined && !this.replay) return true;
    return this.reached(v, p);
  }

  private reached(v: Vcpu, p: Pos): boolean {
    const goal = this.goal;
    switch (goal.kind) {
      case 'run': return false;
      case 'at': return goal.pos.g === p.g && goal.pos.post === p.post;
      case 'step': return !p.post && v.gid === goal.gid && this.started[v.gid] === goal.index;
      case 'return': return !p.post && v.gid === goal.gid && v.cpu.pc === goal.pc >>> 0 && v.cpu.reg(REG.sp) >= goal.sp;
    }
  }

  /** Listing done up to now: to the last hit, or list the slice before, or (none anywhere) back to the start. */
  private toLastHit(now: Pos): never {
    const last = this.collect!.filter((h) => before(h, now)).pop();
    if (last) throw new Restart({ kind: 'at', pos: last }, false);
    if (this.collectFrom > 0) {
      const earlier = this.checkpoints.filter((c) => c.g < this.collectFrom).pop()!;
      throw new Restart({ kind: 'at', pos: { g: this.collectFrom + 1, post: false } }, true, earlier.g);
    }
    this.say('no earlier breakpoint or watchpoint hit: back at the start');
    throw new Restart({ kind: 'at', pos: { g: 1, post: false } }, false);
  }

  /** Breakpoints and register watchpoints, before an instruction runs. */
  private preHit(v: Vcpu): string | undefined {
    const pc = v.cpu.pc;
    let why: string | undefined;
    for (const p of this.points) {
      if (p.kind === 'break' && p.addr >>> 0 === pc && (p.vm === undefined || p.vm === v.vm.id)) why ??= `breakpoint ${p.id}`;
    }
    return this.regWatches(v) ?? why;
  }

  private regWatches(v: Vcpu): string | undefined {
    const ws = this.points.filter((p) => p.kind === 'watch-reg' && p.gid === v.gid) as Extract<Point, { kind: 'watch-reg' }>[];
    if (ws.length === 0) return undefined;
    const seen = this.regsSeen.get(v.gid);
    const now = v.cpu.st.slice(0, NUM_REGS + 1);
    this.regsSeen.set(v.gid, now);
    if (!seen) return undefined;
    const w = ws.find((x) => seen[x.reg < 0 ? NUM_REGS : x.reg] !== now[x.reg < 0 ? NUM_REGS : x.reg]);
    return w && `watchpoint ${w.id}: ${w.what}  old ${hex(seen[w.reg < 0 ? NUM_REGS : w.reg]!)}  new ${hex(regValue(v, w.reg))}`;
  }

  private isBreakInstruction(v: Vcpu): boolean {
    const w = peekWord(v.cpu, v.cpu.pc);
    return w !== undefined && decode(w)?.info.mnemonic === 'break';
  }

  /** The break instruction stops in the debugger (a hit), and is then passed over instead of trapping. */
  private skipBreak(v: Vcpu): ExitCode {
    v.cpu.st[S.PC] = (v.cpu.st[S.PC]! + 4) | 0;
    v.cpu.f64[F.RAN] = 0;
    return Exit.BUDGET;
  }

  /** The memory watchpoint the next instruction touches, and the value there before. */
  private watchedAccess(v: Vcpu): { p: MemWatch; old: number; store: boolean } | undefined {
    const ws = this.points.filter((p) => p.kind === 'watch' || p.kind === 'rwatch' || p.kind === 'awatch') as MemWatch[];
    if (ws.length === 0) return undefined;
    const w = peekWord(v.cpu, v.cpu.pc);
    const a = w === undefined ? undefined : accessOf(v.cpu, decode(w));
    const host = a && hostAddress(v, a.addr);
    if (!a || host === undefined) return undefined;
    const p = ws.find((x) => host < x.host + x.size && x.host < host + a.size && (x.kind === 'awatch' || (x.kind === 'watch') === a.store));
    return p && { p, old: readHost(v, p.host, p.size), store: a.store };
  }

  private postHit(v: Vcpu, exit: ExitCode, traps: number, w: ReturnType<Session['watchedAccess']>): string | undefined {
    if (v.cpu.st[S.TRAPS] !== traps || exit === Exit.FAULT) {
      const cause = exit === Exit.FAULT ? v.cpu.st[S.FAULT_CAUSE]! : v.cpu.st[S.CAUSE]!;
      const c = this.points.find((p) => p.kind === 'catch' && causeMatches(p.cause, cause));
      if (c) return `catchpoint ${c.id}: trap ${causeName(cause)}${exit === Exit.FAULT ? ' (no handler: the VM faults)' : ''}`;
    }
    if (!w || v.cpu.st[S.TRAPS] !== traps) return undefined;
    const now = readHost(v, w.p.host, w.p.size);
    return `watchpoint ${w.p.id}: ${w.p.what}  ${w.store ? `old ${hex(w.old)}  new ${hex(now)}` : `read ${hex(now)}`}`;
  }

  // ---- stopping and resuming ---------------------------------------------

  private stop(v: Vcpu, p: Pos, why: string): void {
    this.replay = false;
    this.pos = p;
    this.selected = v.gid;
    this.stoppedGid = v.gid;
    this.goal = { kind: 'run' };
    const tag = this.hv.vcpus.length > 1 ? `[${v.name}] ` : '';
    this.say(`${why ? `${why}\n` : ''}${tag}step ${p.g}${p.post ? ' (after)' : ''}: ${instructionLine(v, v.cpu.pc, '').trimStart()}`);
    this.prompt();
  }

  /** Commands until one resumes the machine (returns) or goes back or quits (throws). */
  private prompt(): void {
    for (;;) {
      const line = this.io.read();
      if (line === undefined) throw new Quit();
      const before = this.goal;
      this.command(this, line);
      if (this.goal !== before) return;
    }
  }

  resume(goal: Goal): void {
    if (!this.pos) throw new Error('the machine is not running (use reverse-step, reverse-continue or quit)');
    this.goal = goal;
  }

  quit(): never { throw new Quit(); }

  /** Back one step of the selected VCPU: to the last step it began before here. */
  reverseStep(): never {
    const gid = this.selected;
    const atOwnPre = this.pos !== undefined && !this.pos.post && gid === this.stoppedGid;
    const index = this.started[gid]! - (atOwnPre ? 1 : 0);
    if (index < 1) throw new Error(`${this.vcpu.name} has not run any instruction yet`);
    throw new Restart({ kind: 'step', gid, index }, false);
  }

  /** Back to the last breakpoint, watchpoint or catchpoint hit before here. */
  reverseContinue(): never {
    const now = this.pos ?? { g: this.g + 1, post: false };
    throw new Restart({ kind: 'at', pos: now }, true, Infinity);
  }

  /** Restart from the first step. */
  restart(): never { throw new Restart({ kind: 'at', pos: { g: 1, post: false } }, false); }
}
