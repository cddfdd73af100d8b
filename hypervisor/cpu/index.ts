/**
 * The CPU wing's front door: architectural state, the interpreter and its
 * exits, the compiling tier in front of it (engine.ts: runCompiled, and the
 * engine a machine picks), guest memory, the MMU and TLB, traps, and the
 * slow reference interpreter that differential tests hold both to.
 */
export * from './state.ts';
export * from './exits.ts';
export * from './interp.ts';
export * from './memory.ts';
export * from './mmu.ts';
export * from './tlb.ts';
export * from './trap.ts';
export * from './reference.ts';
export * from './engine.ts';
export { CodeCache, codeCache } from './codecache.ts';
export { warmUp } from './warmup.ts';
