/**
 * Usage text derived from the flag table (flags.ts): the command list of
 * `paravm help`, each command's synopsis, and `paravm help CMD` with every
 * flag and what it does.
 */
import { COMMANDS, COMMON_FLAGS, type CommandName, type FlagSpec } from './flags.ts';

/** Exit statuses, documented in the usage text and the README. */
export const EXIT = { OK: 0, ASM_ERROR: 1, USAGE: 2, GUEST_FAULT: 3, LIMIT: 4, HALTED: 5, INTERRUPTED: 130 } as const;

const flagName = (name: string, f: FlagSpec): string => (f.short ? `-${f.short}` : `--${name}`) + (f.arg ? ` ${f.arg}` : '');

/** `paravm run [FILE...] [--config F] [--pcpus N] ...`, wrapped to 100 columns. */
export function synopsis(cmd: CommandName, indent = ''): string {
  const c = COMMANDS[cmd];
  const parts = [`paravm ${cmd}`, ...(c.args ? [c.args] : []), ...Object.entries(c.flags).map(([n, f]) => `[${flagName(n, f)}]`)];
  const lines: string[] = [];
  let line = indent;
  for (const p of parts) {
    if (line.trim() !== '' && line.length + p.length + 1 > 100) { lines.push(line); line = `${indent}    `; }
    line += (line.trim() === '' ? '' : ' ') + p;
  }
  return [...lines, line].join('\n');
}

const EXIT_TEXT = `exit status: 0 ok (run: the guest's shutdown code), 1 assembly error, 2 usage or I/O error,
             3 guest fault (any VM), 4 instruction limit reached,
             5 boot: the guest kernel halted with processes not exited, 130 interrupted`;

/** The whole command list (`paravm help`). */
export function usage(): string {
  const rows = (Object.keys(COMMANDS) as CommandName[]).map((c) => `  ${`${c} ${COMMANDS[c].args}`.padEnd(22)}${COMMANDS[c].summary}`);
  return ['usage: paravm <command> [options]', '', 'commands:', ...rows, '',
    'paravm help COMMAND (or paravm COMMAND --help) lists the command\'s flags; paravm --version prints the version.',
    'configuration format: docs/config.md', EXIT_TEXT].join('\n');
}

/** One command's usage with every flag (`paravm help run`, `paravm run --help`). */
export function commandUsage(cmd: CommandName): string {
  const c: { summary: string; details?: string; flags: Readonly<Record<string, FlagSpec>> } = COMMANDS[cmd];
  const all: Readonly<Record<string, FlagSpec>> = { ...c.flags, ...COMMON_FLAGS };
  const flags = Object.entries(all).map(([n, f]) => {
    const name = f.short ? `-${f.short}, --${n}${f.arg ? ` ${f.arg}` : ''}` : flagName(n, f);
    return `  ${name.padEnd(30)}${f.help}`;
  });
  return [`usage: ${synopsis(cmd).trimStart()}`, '', c.summary, ...(c.details ? [c.details] : []), '', 'options:', ...flags].join('\n');
}
