/**
 * The floor plan holds: imports run down the layer order (isa -> assembler ->
 * hypervisor -> guest kernel -> experiments -> CLI), no import cycle spans
 * two folders, and code outside the hypervisor, the assembler or a
 * hypervisor wing enters it through its front door (index.ts).
 */
import { describe, expect, it } from 'vitest';
import { dirname } from 'node:path';
import { LAYERS, cycles, importGraph, layerOf } from './helpers/imports.ts';

const graph = importGraph();
const edges = [...graph].flatMap(([from, tos]) => tos.map((to) => ({ from, to })));

/** Cycles allowed inside one folder, each with the reason it stays. */
const ALLOWED_CYCLES: readonly { files: string[]; why: string }[] = [
  {
    files: ['assembler/directives.ts', 'assembler/layout.ts'],
    why: 'the layout pass hands each directive to its handler, which places bytes and symbols back into that layout (type-only import)',
  },
  {
    files: ['hypervisor/vcpu.ts', 'hypervisor/vm.ts'],
    why: 'a VM owns its VCPUs and each VCPU names its VM: two records that refer to each other (type-only imports)',
  },
];

/** Folders entered only through their index.ts by files outside them. */
const FRONT_DOORS = ['assembler', 'hypervisor', 'hypervisor/cpu', 'hypervisor/sched', 'hypervisor/devices',
  'hypervisor/hypercalls', 'hypervisor/observe', 'hypervisor/config', 'hypervisor/debug', 'bench/experiments', 'guest-kernel/loader'];

describe('the layout', () => {
  it('reads a real graph', () => {
    expect(graph.size).toBeGreaterThan(80);
    expect(graph.get('hypervisor/machine.ts')?.length).toBeGreaterThan(5);
    for (const f of graph.keys()) expect(layerOf(f), f).toBeGreaterThanOrEqual(0);
  });

  it('has no import that runs up the layer order', () => {
    const back = edges.filter((e) => layerOf(e.to) > layerOf(e.from)).map((e) => `${e.from} -> ${e.to}`);
    expect(back).toEqual([]);
  });

  it('imports only files that exist', () => {
    const missing = edges.filter((e) => !graph.has(e.to) && !e.to.endsWith('.js')).map((e) => `${e.from} -> ${e.to}`);
    expect(missing).toEqual([]);
  });

  it('has no import cycle across folders, and only the listed ones inside a folder', () => {
    const found = cycles(graph);
    const across = found.filter((c) => new Set(c.map(dirname)).size > 1);
    expect(across).toEqual([]);
    expect(found).toEqual(ALLOWED_CYCLES.map((c) => c.files));
  });

  it('enters the assembler, the hypervisor and its wings through their front doors', () => {
    const inside = (f: string, dir: string): boolean => f.startsWith(`${dir}/`);
    const bad = edges
      .filter(({ from, to }) => FRONT_DOORS.some((d) => !inside(from, d) && inside(to, d) && to !== `${d}/index.ts`))
      .map((e) => `${e.from} -> ${e.to}`);
    expect(bad).toEqual([]);
  });

  it('names every layer', () => {
    expect(LAYERS).toEqual(['isa', 'assembler', 'hypervisor', 'guest-kernel', 'bench', 'bin']);
  });
});
