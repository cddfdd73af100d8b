/**
 * The machine's thread: assembles the editor's program, builds the machine
 * (bare metal, several VMs, or the SMP guest kernel) and runs it in slices
 * of host time (ResumableRun), yielding between slices so that pause, step
 * and view requests are answered while a program runs forever. Breakpoints
 * and steps go through a stepper (Hypervisor.setStepper), installed only
 * while breakpoints are set or a step is under way: a free run keeps full speed.
 */
import { assembleSource, type AsmResult } from '../../../assembler/index.ts';
import { bootKernel, kernelStats } from '../../../guest-kernel/loader/index.ts';
import {
  Hypervisor, ResumableRun, bareMetalConfig, defaultMachine, finishConfig, formatFault, validateConfig,
  type ExitCode, type MachineConfig, type StopReason, type Vcpu,
} from '../../../hypervisor/index.ts';
import { examine, formatCsrs, formatRegs } from '../../../hypervisor/debug/inspect.ts';
import { CYCLES_PER_MS } from '../../../isa/clock.ts';
import { sourceOf, type Image } from '../../../isa/image.ts';
import { INCLUDE_DIRS, readBundled } from './files.ts';
import type { FromWorker, MachineShape, MachineState, ToWorker } from './protocol.ts';
import { SliceRecorder } from './recorder.ts';

/** Host time of one slice: short enough that a pause is answered within a frame. */
const SLICE_MS = 12;
/** Host time between two state messages while running. */
const STATE_EVERY_MS = 100;

const post = (m: FromWorker): void => (self as unknown as Worker).postMessage(m);

/** The machine and the editor's program in it (under the guest kernel, a process: its code runs in user mode). */
interface Loaded { hv: Hypervisor; run: ResumableRun; file: string; program: Image; recorder: SliceRecorder; kernel: boolean }

let cur: Loaded | undefined;
let running = false;
let status: MachineState['status'] = 'ready';
let reason = '';
let breakLines = new Set<number>();
let breakAddrs = new Set<number>();
let stepsLeft = 0;
let view = { vcpu: 0, mem: '0x80000000' };
let consoleText = '';
let mipsWindow = { n: 0, ms: 0 };

const decoder = new TextDecoder('latin1');

function assemble(source: string, file: string): AsmResult {
  return assembleSource(source, file, { includeDirs: INCLUDE_DIRS, readFile: readBundled });
}

/** The configuration of a multi-VM machine; every VM runs the editor's program (`file` names it, as a --vm flag would). */
function machineConfig(m: MachineShape, file: string): MachineConfig {
  const cfg: MachineConfig = {
    ...defaultMachine(), pcpus: m.pcpus, ...(m.timeMs > 0 ? { time: m.timeMs * CYCLES_PER_MS } : {}),
    vms: m.vms.map((v, i) => ({ name: `vm${i}`, images: [file], memory: 1 << 20, vcpus: v.vcpus, weight: v.weight })),
  };
  const done = finishConfig(cfg, 'machine');
  validateConfig(done, 'machine');
  return done;
}

function build(img: NonNullable<AsmResult['image']>, file: string, m: MachineShape): Loaded {
  const recorder = new SliceRecorder();
  const opts = { onConsole: (_vm: unknown, b: Uint8Array) => { consoleText += decoder.decode(b); }, tracer: recorder };
  let hv: Hypervisor;
  if (m.mode === 'kernel') {
    const vcpus = m.vms[0]?.vcpus ?? 2;
    hv = bootKernel({ vcpus, pcpus: m.pcpus, programs: [img], names: [file], time: m.timeMs > 0 ? m.timeMs * CYCLES_PER_MS : undefined, machine: opts }).hv;
  } else if (m.mode === 'multi') {
    const cfg = machineConfig(m, file);
    hv = new Hypervisor(cfg, cfg.vms.map(() => ({ images: [img] })), opts);
  } else {
    const cfg = { ...bareMetalConfig(), ...(m.timeMs > 0 ? { time: m.timeMs * CYCLES_PER_MS } : {}) };
    hv = new Hypervisor(cfg, [{ images: [img] }], opts);
  }
  return { hv, run: new ResumableRun(hv), file, program: img, recorder, kernel: m.mode === 'kernel' };
}

function load(msg: Extract<ToWorker, { t: 'load' }>): void {
  running = false;
  cur = undefined;
  stepsLeft = 0;
  view = { vcpu: 0, mem: view.mem };
  consoleText = '';
  mipsWindow = { n: 0, ms: 0 };
  const r = assemble(msg.source, msg.file);
  post({ t: 'diagnostics', list: r.diagnostics });
  if (!r.ok) { status = 'stopped'; reason = 'the program does not assemble'; sendState(); return; }
  try {
    cur = build(r.image!, msg.file, msg.machine);
  } catch (e) {
    status = 'stopped';
    reason = e instanceof Error ? e.message : String(e);
    sendState();
    return;
  }
  status = 'ready';
  reason = '';
  setBreakpoints(msg.breakpoints);
  sendState();
}

/** Source lines -> addresses in the program's image. */
function setBreakpoints(lines: readonly number[]): void {
  breakLines = new Set(lines);
  breakAddrs = new Set();
  const img = cur?.program;
  if (img) for (const e of img.lines) if (img.files[e.file] === cur!.file && breakLines.has(e.line)) breakAddrs.add(e.addr >>> 0);
  updateStepper();
}

/** Whether v is running the editor's program: any VM's (they all run it), or the guest's in user mode under the guest kernel. */
const inProgram = (v: Vcpu): boolean => !cur!.kernel || (v.vm.id === 0 && !v.cpu.kernelMode);

/** The stepper runs while breakpoints are set or a step is under way; otherwise the machine runs free. */
function updateStepper(): void {
  if (!cur) return;
  const needed = breakAddrs.size > 0 || stepsLeft > 0;
  cur.run.setStepper(needed ? stepper : undefined);
}

/**
 * Each instruction, when stepping or with breakpoints: after it runs, a pc at a breakpoint (in the
 * program) or the last of the steps asked for ends the run there, before the next instruction. With one
 * PCPU that is exact; with several, the run ends where the current scheduling round does.
 */
function stepper(v: Vcpu, one: () => ExitCode): ExitCode {
  const exit = one();
  if (breakAddrs.has(v.cpu.pc) && inProgram(v)) {
    view.vcpu = v.gid;
    hit('breakpoint', `breakpoint at line ${lineOf(v) ?? '?'} (${v.name})`);
  } else if (stepsLeft > 0 && v.gid === view.vcpu && --stepsLeft === 0) {
    hit('paused', `stepped (${v.name})`);
  }
  return exit;
}

function hit(s: MachineState['status'], why: string): void {
  status = s;
  reason = why;
  running = false;
  cur?.run.pauseSoon();
}

function lineOf(v: Vcpu): number | undefined {
  if (!cur || !inProgram(v)) return undefined;
  const src = sourceOf(cur.program, v.cpu.pc);
  return src && src.file === cur.file ? src.line : undefined;
}

/** The memory view's start: a hex address, or a symbol of the program (or of the image v runs, the kernel's under the guest kernel). */
function memAddress(v: Vcpu, text: string): number | string {
  const t = text.trim();
  if (/^(0x)?[0-9a-f]+$/i.test(t)) return parseInt(t.replace(/^0x/i, ''), 16) | 0;
  const sym = [cur?.program, v.vm.image].flatMap((img) => img?.symbols ?? []).find((s) => s.name === t);
  return sym ? sym.value | 0 : `no symbol '${t}' in the program`;
}

function stopText(r: StopReason): string {
  const hv = cur!.hv;
  const faulted = hv.vms.find((vm) => vm.state === 'fault');
  if (faulted) return formatFault(faulted, false);
  if (r === 'done') return hv.vms.map((vm) => `${vm.name}: ${vm.state}, exit code ${vm.exitCode}`).join('; ');
  return r === 'time' ? 'the time limit was reached' : r;
}

/** One slice, then a yield through a message to ourselves (no timer clamping), so requests are answered in between. */
function loop(): void {
  if (!running || !cur) return;
  const n0 = cur.hv.instructions;
  const ms0 = cur.run.hostMs;
  const r = cur.run.slice(SLICE_MS);
  mipsWindow.n += cur.hv.instructions - n0;
  mipsWindow.ms += cur.run.hostMs - ms0;
  flush();
  if (r !== 'paused') {
    running = false;
    status = 'stopped';
    reason = stopText(r);
    updateStepperAfterStep();
    sendState();
    return;
  }
  if (!running) { updateStepperAfterStep(); sendState(); return; }
  if (performance.now() - lastState >= STATE_EVERY_MS) sendState();
  tick.postMessage(null);
}

function updateStepperAfterStep(): void {
  stepsLeft = 0;
  updateStepper();
}

const channel = new MessageChannel();
const tick = channel.port2;
channel.port1.onmessage = loop;

let lastState = 0;

function flush(): void {
  if (consoleText) { post({ t: 'console', text: consoleText }); consoleText = ''; }
  if (!cur) return;
  const { slices, spans } = cur.recorder.take();
  if (slices.length || spans.length) post({ t: 'timeline', slices, spans, now: cur.hv.elapsed() });
}

function start(): void {
  if (running) return;
  if (!cur || status === 'stopped') { sendState(); return; }
  running = true;
  status = 'running';
  reason = '';
  sendState();
  tick.postMessage(null);
}

function sendState(): void {
  lastState = performance.now();
  flush();
  post({ t: 'state', state: snapshotState() });
}

function snapshotState(): MachineState {
  const hv = cur?.hv;
  const vcpus = hv?.vcpus ?? [];
  const v = vcpus[Math.min(view.vcpu, vcpus.length - 1)];
  let memory = '';
  if (v) {
    const at = memAddress(v, view.mem);
    try { memory = typeof at === 'string' ? at : examine(v, at, 64, 4); } catch (e) { memory = (e as Error).message; }
  }
  // The kernel's own counters, read from its memory: live while it runs, final once it stops.
  const kernel = hv && cur?.kernel ? kernelStats(hv.vms[0]!).cpus.map((c) => ({
    cpu: c.cpu, ticks: c.ticks, switches: c.switches, threadsRun: c.threadsRun, migrations: c.migrations,
  })) : undefined;
  return {
    status, reason,
    instructions: hv?.instructions ?? 0,
    virtualMs: hv ? hv.elapsed() / CYCLES_PER_MS : 0,
    mips: mipsWindow.ms > 0 ? mipsWindow.n / mipsWindow.ms / 1000 : 0,
    vcpuNames: vcpus.map((x) => x.name),
    vcpu: v ? v.gid : 0,
    pcpus: hv?.pcpus.length ?? 0,
    line: v ? lineOf(v) : undefined,
    regs: v ? formatRegs(v) : '',
    csrs: v ? formatCsrs(v) : '',
    memory,
    kernel,
  };
}

self.onmessage = (e: MessageEvent<ToWorker>): void => {
  const m = e.data;
  try {
    switch (m.t) {
      case 'load': load(m); break;
      case 'run': start(); break;
      case 'pause':
        if (running) { running = false; status = 'paused'; reason = 'paused'; }
        sendState();
        break;
      case 'step':
        if (!cur || status === 'stopped' || running) { sendState(); break; }
        stepsLeft = Math.max(1, m.count);
        updateStepper();
        start();
        break;
      case 'breakpoints': setBreakpoints(m.lines); break;
      case 'view': view = { vcpu: m.vcpu, mem: m.mem }; sendState(); break;
    }
  } catch (err) {
    status = 'stopped';
    reason = `internal error: ${err instanceof Error ? err.message : String(err)}`;
    running = false;
    sendState();
  }
};

