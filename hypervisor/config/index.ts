/**
 * The configuration wing's front door: the MachineConfig the hypervisor
 * runs, the field tables every parser, check and doc derives from, the
 * parsers of JSON files, flags and --vm specs, the validator, units, and
 * the generated docs and JSON Schema.
 */
export * from './types.ts';
export * from './fields.ts';
export * from './units.ts';
export * from './net.ts';
export * from './json.ts';
export * from './vmspec.ts';
export * from './flags.ts';
export * from './validate.ts';
export * from './schema.ts';
export * from './doc.ts';
export { parseSize, type Kind, type Read } from './kinds.ts';
