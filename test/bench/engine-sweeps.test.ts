/**
 * Both quick sweeps give the same bytes under the interpreter and the
 * compiling tier: the table, results.json and every figure. Only the
 * provenance differs, as it names the engine (and so the plan's hash); it
 * is set aside before comparing, and checked to name the engine.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXPERIMENTS, runSweep } from '../../bench/experiments/index.ts';

/** A file without the provenance: results.json's field, any other file's lines naming the plan. */
function withoutProvenance(name: string, text: string, hash: string): string {
  if (name.endsWith('.json')) return JSON.stringify({ ...JSON.parse(text) as object, provenance: undefined });
  return text.split('\n').filter((l) => !l.includes(hash)).join('\n');
}

async function sweep(experiment: 'lhp' | 'balloon', engine: string): Promise<{ files: Record<string, string>; engine: unknown }> {
  const out = mkdtempSync(join(tmpdir(), `paravm-engine-${experiment}-`));
  const params = { ...EXPERIMENTS[experiment].presets.quick, engine: [engine] };
  const r = await runSweep({ experiment, params, jobs: 2, out });
  const hash = r.provenance.planHash;
  const names = readdirSync(out).filter((f) => f !== 'runs.json' && f !== 'runs');
  const files = Object.fromEntries(names.map((f) => [f, withoutProvenance(f, readFileSync(join(out, f), 'utf8'), hash)]));
  const recorded = (JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { provenance: { params: { engine: unknown } } }).provenance.params.engine;
  return { files: { table: withoutProvenance('table', r.report!.table, hash), ...files }, engine: recorded };
}

describe.each(['lhp', 'balloon'] as const)('the quick %s sweep', (experiment) => {
  it('is byte-identical under interp and jit, and records the engine', { timeout: 600_000 }, async () => {
    const interp = await sweep(experiment, 'interp');
    const jit = await sweep(experiment, 'jit');
    expect(interp.engine).toEqual(['interp']);
    expect(jit.engine).toEqual(['jit']);
    expect(Object.keys(interp.files)).toContain('results.json');
    expect(interp.files['results.json']!.length).toBeGreaterThan(1000);
    expect(jit.files).toEqual(interp.files);
  });
});
