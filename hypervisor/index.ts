/**
 * The hypervisor's front door: what the guest-kernel loader, the experiments
 * and the command line use. Inside, the core (machine, VMs, VCPUs, PCPUs,
 * events, the image loader) sits at this folder's root and each wing has a
 * front door of its own: cpu/, sched/, devices/, hypercalls/, observe/, config/, debug/.
 */
export * from './machine.ts';
export * from './options.ts';
export * from './view.ts';
export * from './vm.ts';
export * from './vcpu.ts';
export * from './pcpu.ts';
export * from './events.ts';
export * from './loader.ts';
export * from './baremetal.ts';
export * from './resume.ts';
export * from './config/index.ts';
export * from './cpu/index.ts';
export * from './sched/index.ts';
export * from './devices/index.ts';
export * from './hypercalls/index.ts';
export * from './observe/index.ts';
export * from './debug/index.ts';
