/**
 * The observation wing's front door: statistics (--stats), the end-of-run
 * report, the event tracer interface and its Chrome trace writer, and the
 * instruction trace (--itrace). Everything here reads a MachineView.
 */
export * from './stats.ts';
export * from './report.ts';
export * from './tracer.ts';
export * from './chrome-trace.ts';
export * from './itrace.ts';
export * from './corun.ts';
