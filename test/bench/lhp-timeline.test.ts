/**
 * The timeline figure (bench/experiments/lhp/timeline.ts) shows what its
 * caption says: in the none strip a VCPU preempted holding a spinlock while a
 * sibling spins; in the intrusive strip, the same span of the same seed, no
 * VCPU preempted holding one.
 */
import { describe, expect, it } from 'vitest';
import { timelineFigure } from '../../bench/experiments/lhp/timeline.ts';

/** The y of every state rectangle of a colour (legend swatches are 14 wide, drawn with a stroke). */
const ys = (svg: string, colour: string): number[] =>
  [...svg.matchAll(new RegExp(`<rect x="[\\d.]+" y="(\\d+)" width="[\\d.]+" height="18" fill="${colour}"`, 'g'))].map((m) => Number(m[1]));

describe('the timeline around one lock-holder preemption (seed 1, 4 CPUs)', () => {
  const svg = timelineFigure()!;

  it('finds one, and shows the holder preempted and a sibling spinning under none only', () => {
    expect(svg).toBeDefined();
    // The none strip's rows start at y = 75, the intrusive strip's at 205 (22 px a VCPU).
    const preemptedHolding = ys(svg, '#D55E00');
    expect(preemptedHolding.length).toBeGreaterThan(0);
    for (const y of preemptedHolding) expect(y).toBeLessThan(205);
    expect(ys(svg, '#E69F00').some((y) => y < 205)).toBe(true);
  });
});
