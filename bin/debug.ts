/**
 * `paravm debug`: the debugger's terminal. Builds the machine as `run` does
 * (or boots the guest kernel with --boot) and hands it to a debug Session
 * (hypervisor/debug/). Commands are read synchronously, because the session
 * stops inside the machine's run loop and must not return to the event loop
 * there: from a terminal with a prompt, or from stdin, one per line, echoed
 * after a prompt so a script's output reads as a transcript.
 */
import { readSync } from 'node:fs';
import { basename } from 'node:path';
import { bootKernel, KernelBuildError } from '../guest-kernel/loader/index.ts';
import type { Image } from '../isa/image.ts';
import {
  ConfigError, Hypervisor, LoadError, Session, machineFromFlags, runDebugCommand, type DebugIo, type MachineConfig, type MachineFactory,
} from '../hypervisor/index.ts';
import { UsageError, type FlagValues } from './args.ts';
import { InputError, asmOptions, imageFor, reason } from './common.ts';
import { SyncOut } from './output.ts';
import { loadSetups, readConfig } from './run.ts';
import { EXIT } from './usage.ts';
import { SLICE } from './drive.ts';

type DebugValues = FlagValues<'debug'>;

const PROMPT = '(pvdb) ';

function configOf(values: DebugValues, positionals: string[]): MachineConfig {
  const file = values.config === undefined ? undefined : readConfig(values.config);
  try {
    return machineFromFlags({ ...values, positional: positionals }, file);
  } catch (e) {
    if (e instanceof ConfigError) throw new UsageError(e.message.split('\n').map((l) => `debug: ${l}`).join('\n'));
    throw e;
  }
}

/** The guest kernel with each FILE as a process; machine flags as `boot` reads them. */
function bootFactory(values: DebugValues, positionals: string[], cfg: MachineConfig): MachineFactory | number {
  const programs: Image[] = [];
  for (const p of positionals) {
    const img = imageFor(p, asmOptions(values));
    if (typeof img === 'number') return img;
    programs.push(img);
  }
  const given = values as Readonly<Record<string, unknown>>; // the machine flags, by the names the configuration table gives them
  const vcpus = given.vcpus === undefined ? 2 : cfg.vms[0]!.vcpus;
  return (machine) => bootKernel({
    vcpus, pcpus: given.pcpus === undefined ? vcpus : cfg.pcpus, programs, names: positionals.map((p) => basename(p)),
    memory: given.memory === undefined ? undefined : cfg.vms[0]!.memory, seed: cfg.seed, time: cfg.time, preemption: cfg.preemption, machine,
  }).hv;
}

function factory(values: DebugValues, positionals: string[]): MachineFactory | number {
  if (values.boot && positionals.length === 0) throw new UsageError('debug: --boot needs a program (try programs/kernel/hello.s)');
  const cfg = configOf(values, positionals);
  if (values.boot) return bootFactory(values, positionals, cfg);
  const setups = loadSetups(cfg, asmOptions(values));
  return typeof setups === 'number' ? setups : (opts) => new Hypervisor(cfg, setups, opts);
}

/** Lines from fd 0, read synchronously; a prompt before each (echoing the line when it did not come from a terminal). */
export function stdinIo(out: SyncOut): DebugIo {
  const tty = Boolean(process.stdin.isTTY);
  const chunk = Buffer.alloc(4096);
  let buf = '';
  let eof = false;
  const fill = (): void => {
    try {
      const n = readSync(0, chunk, 0, chunk.length, null);
      if (n === 0) eof = true; else buf += chunk.toString('utf8', 0, n);
    } catch (e) {
      if (reason(e) === 'EOF') eof = true; else if (reason(e) !== 'EAGAIN') throw e;
    }
  };
  const read = (): string | undefined => {
    if (tty) out.write(PROMPT);
    out.flush();
    while (!buf.includes('\n') && !eof) fill();
    if (eof && buf === '') return undefined;
    const nl = buf.indexOf('\n');
    const line = nl < 0 ? buf : buf.slice(0, nl);
    buf = nl < 0 ? '' : buf.slice(nl + 1);
    if (!tty) out.write(`${PROMPT}${line}\n`);
    return line.replace(/\r$/, '');
  };
  return { read, write: (t) => out.write(t) };
}

/** The debugger on io (the terminal by default); exit 0 when it quits. */
export function cmdDebug(values: DebugValues, positionals: string[], io?: DebugIo): number {
  const build = factory(values, positionals);
  if (typeof build === 'number') return build;
  const out = new SyncOut(1);
  try {
    // Snapshots where `run` pauses its slices (drive.ts), so the run debugged is the run `run` makes.
    new Session(build, io ?? stdinIo(out), runDebugCommand, SLICE).start();
  } catch (e) {
    if (e instanceof KernelBuildError || e instanceof LoadError || e instanceof ConfigError) throw new InputError(`debug: ${e.message}`);
    throw e;
  } finally {
    out.flush();
  }
  return EXIT.OK;
}
