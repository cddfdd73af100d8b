/**
 * The execution engine as a sweep parameter, shared by the experiments: one
 * engine per sweep (interp or jit, hypervisor/cpu/engine.ts), recorded in
 * the parameters and so in the provenance. It is not a dimension of the
 * plan: both engines give the same results bit for bit, only the host's
 * speed differs, so sweeping it would only repeat every run.
 */
import { DEFAULT_ENGINE, ENGINES, withEngine, type Engine } from '../../hypervisor/index.ts';
import { SweepInputError, type Axis, type Params } from './axes.ts';

export const ENGINE_AXIS: Axis = { kind: 'names', flag: 'engine', choices: ENGINES, doc: 'execution engine of every run (one; results are the same under either)' };

/** The preset value: the machines' own default. */
export const ENGINE_PRESET: string[] = [DEFAULT_ENGINE];

/** The one engine a sweep's parameters name. */
export function engineOf(p: Params): Engine {
  const e = p.engine as string[] | undefined;
  if (e === undefined) return DEFAULT_ENGINE;
  if (e.length !== 1) throw new SweepInputError(`engine: expected one engine, got ${e.join(',')}`);
  return e[0] as Engine;
}

/** One run under the sweep's engine. */
export const underEngine = <T>(engine: Engine | undefined, fn: () => T): T => withEngine(engine ?? DEFAULT_ENGINE, fn);
