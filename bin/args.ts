/**
 * Parsing a command's arguments against its flags (flags.ts): parseArgs in
 * strict mode, with negative numbers kept as values (`--memory -1` reaches
 * the range check instead of "argument is ambiguous"), an unknown flag
 * answered with the nearest known one, and --help on every command.
 */
import { parseArgs } from 'node:util';
import { COMMANDS, COMMON_FLAGS, type CommandName, type FlagSpec } from './flags.ts';

/** Bad arguments: one line, and a pointer to the command's help. */
export class UsageError extends Error {}

type Values = Record<string, string | boolean | string[] | undefined>;
type Flags<C extends CommandName> = (typeof COMMANDS)[C]['flags'] & typeof COMMON_FLAGS;

/** What parseArgs gives for each flag of command C: a boolean, a string, or the strings of a repeatable flag. */
export type FlagValues<C extends CommandName> = {
  [K in keyof Flags<C>]?: Flags<C>[K] extends { type: 'boolean' } ? boolean : Flags<C>[K] extends { multiple: true } ? string[] : string;
};

/** `--flag -1` becomes `--flag=-1` for string flags, so a negative number is a value, not an option. */
function keepNegatives(args: readonly string[], flags: Readonly<Record<string, FlagSpec>>): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const name = a.startsWith('--') ? a.slice(2) : undefined;
    const next = args[i + 1];
    if (name && Object.hasOwn(flags, name) && flags[name]!.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

/** Edit distance, for "did you mean". */
function distance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0]!;
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = d[j]!;
      d[j] = Math.min(d[j]! + 1, d[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return d[b.length]!;
}

/** The known name nearest to `name`, if it is near enough to be a typo. */
export function nearest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = distance(name, k);
    if (d < bestD) { best = k; bestD = d; }
  }
  return bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

function unknownOption(cmd: CommandName, message: string, flags: Readonly<Record<string, FlagSpec>>): UsageError {
  const m = /'(-{1,2}[^'=]+)/.exec(message);
  const given = m?.[1] ?? '';
  const guess = given.startsWith('--') ? nearest(given.slice(2), Object.keys(flags)) : undefined;
  return new UsageError(`${cmd}: unknown option ${given}${guess ? ` (did you mean --${guess}?)` : ''}`);
}

/** The values and positionals of `args` for `cmd`; a UsageError names what is wrong. */
export function parseCommand<C extends CommandName>(cmd: C, args: readonly string[]): { values: FlagValues<C>; positionals: string[] } {
  const flags: Readonly<Record<string, FlagSpec>> = { ...COMMANDS[cmd].flags, ...COMMON_FLAGS };
  const options = Object.fromEntries(Object.entries(flags).map(([n, f]) => [n, {
    type: f.type, ...(f.short ? { short: f.short } : {}), ...(f.multiple ? { multiple: true } : {}),
  }]));
  try {
    const r = parseArgs({ args: keepNegatives(args, flags), options, allowPositionals: true, strict: true });
    return { values: { ...r.values } as Values as FlagValues<C>, positionals: r.positionals };
  } catch (e) {
    const err = e as Error & { code?: string };
    if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw unknownOption(cmd, err.message, flags);
    throw new UsageError(`${cmd}: ${err.message.split('\n')[0]}`);
  }
}
