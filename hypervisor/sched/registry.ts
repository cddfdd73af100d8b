/** Scheduling policies by configuration name (the names are declared with the configuration fields). */
import type { PolicyName } from '../config/index.ts';
import type { SchedContext, SchedulerPolicy } from './policy.ts';
import { StridePolicy } from './stride.ts';
import { GangPolicy, RelaxedCoschedPolicy } from './cosched.ts';

export const POLICIES: Readonly<Record<PolicyName, (ctx: SchedContext) => SchedulerPolicy>> = {
  stride: (ctx) => new StridePolicy(ctx),
  gang: (ctx) => new GangPolicy(ctx),
  'relaxed-cosched': (ctx) => new RelaxedCoschedPolicy(ctx),
};
