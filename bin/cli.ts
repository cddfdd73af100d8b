/**
 * The paravm command line: dispatches to one module per command, with the
 * flags of bin/flags.ts. Diagnostics go to stderr, data to stdout; colour
 * only when stderr is a terminal. Exit statuses: usage.ts EXIT.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../guest-kernel/loader/index.ts';
import { UsageError, nearest, parseCommand, type FlagValues } from './args.ts';
import { cmdAsm, cmdDisasm } from './asm.ts';
import { cmdBoot } from './boot.ts';
import { cmdDebug } from './debug.ts';
import { InputError, err } from './common.ts';
import { runDemo } from './demo.ts';
import { cmdExperiment } from './experiment.ts';
import { COMMANDS, isCommand, type CommandName } from './flags.ts';
import { OutputClosed } from './output.ts';
import { cmdRun } from './run.ts';
import { EXIT, commandUsage, usage } from './usage.ts';

export { EXIT };

/** paravm's version, from its package.json. */
export function version(): string {
  return (JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8')) as { version: string }).version;
}

/** Each command's module, given the values of its own flags. */
const HANDLERS: { [C in CommandName]: (values: FlagValues<C>, positionals: string[]) => number | Promise<number> } = {
  asm: cmdAsm,
  disasm: (_, p) => cmdDisasm(p),
  run: cmdRun,
  boot: cmdBoot,
  debug: (v, p) => cmdDebug(v, p),
  experiment: cmdExperiment,
  demo: (_, p) => { if (p.length) throw new UsageError('demo: takes no arguments'); return runDemo(); },
  help: (_, p) => help(p),
};

function runCommand<C extends CommandName>(cmd: C, rest: string[]): number | Promise<number> {
  const { values, positionals } = parseCommand(cmd, rest);
  if (values.help) { process.stdout.write(`${commandUsage(cmd)}\n`); return EXIT.OK; }
  return (HANDLERS[cmd] as (v: FlagValues<C>, p: string[]) => number | Promise<number>)(values, positionals);
}

function help(positionals: string[]): number {
  const [topic] = positionals;
  if (topic === undefined) { process.stdout.write(`${usage()}\n`); return EXIT.OK; }
  if (!isCommand(topic)) throw unknownCommand(topic);
  process.stdout.write(`${commandUsage(topic)}\n`);
  return EXIT.OK;
}

function unknownCommand(name: string): UsageError {
  const guess = nearest(name, Object.keys(COMMANDS));
  return new UsageError(`unknown command '${name}'${guess ? ` (did you mean ${guess}?)` : ''}`);
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    if (cmd === '--version' || cmd === '-V') { process.stdout.write(`paravm ${version()}\n`); return EXIT.OK; }
    if (cmd === '--help' || cmd === '-h') return help([]);
    if (cmd === undefined) throw new UsageError('no command given');
    if (!isCommand(cmd)) throw unknownCommand(cmd);
    // Awaited here, so an asynchronous command's errors reach the handlers below.
    return await runCommand(cmd, rest);
  } catch (e) {
    if (e instanceof OutputClosed) return EXIT.OK;
    if (e instanceof InputError) { err(`paravm: ${e.message}`); return EXIT.USAGE; }
    if (!(e instanceof UsageError)) throw e;
    const topic = isCommand(cmd ?? '') ? ` ${cmd}` : '';
    err(`paravm: ${e.message}\nTry 'paravm help${topic}' for usage.`);
    return EXIT.USAGE;
  }
}

// `node dist/paravm.mjs ...` runs the bundle itself; bin/paravm.js and the tests import it and call main.
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  process.exitCode = await main(process.argv.slice(2));
}
