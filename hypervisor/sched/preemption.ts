/**
 * Preemption strategies, chosen by name in the configuration. 'none'
 * preempts at slice end whatever the guest is doing; the lock-holder-
 * preemption remedies are added here.
 */
import type { PreemptionStrategy, SliceDecision } from './policy.ts';

const PREEMPT: SliceDecision = { preempt: true };

export const noDelay: PreemptionStrategy = {
  name: 'none',
  sliceEnd: () => PREEMPT,
  released: () => {},
};

export const PREEMPTION_STRATEGIES: Readonly<Record<string, () => PreemptionStrategy>> = {
  none: () => noDelay,
};
