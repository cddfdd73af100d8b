/**
 * The debugger wing's front door: a session that runs a machine one
 * instruction at a time, stops at breakpoints, watchpoints, catchpoints and
 * break instructions, and goes backwards by deterministic replay; and its
 * command table. `paravm debug` (bin/debug.ts) gives it a terminal or a script.
 */
export { MAX_SNAPSHOTS, Session, type DebugIo, type MachineFactory } from './session.ts';
export { DebugError } from './points.ts';
export { Snapshot } from './snapshot.ts';
export { DEBUG_COMMANDS, helpText as debugHelp, runCommand as runDebugCommand } from './commands.ts';
