/**
 * The scheduling wing's front door: the policy and preemption-strategy
 * interfaces the machine calls, their registries by configuration name, and
 * the time-ballooning controller (a policy that publishes balloon targets).
 */
export * from './policy.ts';
export * from './registry.ts';
export * from './stride.ts';
export * from './cosched.ts';
export * from './preemption.ts';
export * from './ple.ts';
export * from './balloon.ts';
export * from './balloon-plan.ts';
export * from './slice.ts';
