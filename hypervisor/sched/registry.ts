/** Scheduling policies by configuration name. */
import type { SchedContext, SchedulerPolicy } from './policy.ts';
import { StridePolicy } from './stride.ts';

export const POLICIES: Readonly<Record<string, (ctx: SchedContext) => SchedulerPolicy>> = {
  stride: (ctx) => new StridePolicy(ctx),
};
