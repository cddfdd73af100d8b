/**
 * The hypercall wing's front door: dispatch by the table in isa/hypercalls.ts,
 * IPC, grants and the shared info page. Handlers act on the machine only
 * through HypercallHost (host.ts).
 */
export * from './host.ts';
export * from './dispatch.ts';
export * from './ipc.ts';
export * from './grants.ts';
export * from './infopage.ts';
