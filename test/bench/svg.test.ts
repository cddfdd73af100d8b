/**
 * The SVG chart writer: well-formed standalone documents (checked with a
 * small tag-stack parser, there being no XML parser dependency), never a
 * NaN/Infinity/undefined, one class="bar" rect per finite value with heights
 * proportional to the values, error bars exactly where a spread is given,
 * one polyline per non-empty series mapped monotonically, escaped text,
 * nice axis maxima, and deterministic output.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { barChart, escapeXml, formatNumber, lineChart, niceMax, PALETTE, type BarChartSpec, type LineChartSpec } from '../../bench/experiments/svg.ts';

type Attrs = Record<string, string>;

function attrs(tag: string): Attrs {
  const out: Attrs = {};
  for (const m of tag.matchAll(/([\w:-]+)="([^"]*)"/g)) out[m[1] as string] = m[2] as string;
  return out;
}

/** Every element of the given name, as attribute maps. */
function elements(svg: string, name: string): Attrs[] {
  return [...svg.matchAll(new RegExp(`<${name}\\b([^>]*)>`, 'g'))].map((m) => attrs(m[1] as string));
}

function byClass(svg: string, name: string, cls: string): Attrs[] {
  return elements(svg, name).filter((a) => a.class === cls);
}

/**
 * A structural check: one root <svg>, tags balanced and properly nested, no
 * stray '<' or '>' or unescaped '&' in text or attributes, attributes quoted.
 * Returns the problem, or '' when the document is well formed.
 */
function structuralProblem(svg: string): string {
  const stack: string[] = [];
  let roots = 0;
  const tagRe = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:-]+="[^"<>]*")*)\s*(\/?)>/y;
  let i = 0;
  while (i < svg.length) {
    const lt = svg.indexOf('<', i);
    const text = svg.slice(i, lt < 0 ? svg.length : lt);
    if (text.includes('>')) return `stray '>' in text near ${i}`;
    if (/&(?!(amp|lt|gt|quot|apos);)/.test(text)) return `unescaped '&' in text near ${i}`;
    if (lt < 0) break;
    if (stack.length === 0 && roots > 0) return `content after the root element at ${lt}`;
    tagRe.lastIndex = lt;
    const m = tagRe.exec(svg);
    if (!m) return `malformed tag at ${lt}: ${svg.slice(lt, lt + 60)}`;
    const [whole, close, name, attrText, selfClose] = m as unknown as [string, string, string, string, string];
    if (/&(?!(amp|lt|gt|quot|apos);)/.test(attrText)) return `unescaped '&' in attributes of <${name}>`;
    if (close) {
      if (stack.pop() !== name) return `</${name}> closes the wrong element at ${lt}`;
    } else {
      if (stack.length === 0) roots++;
      if (!selfClose) stack.push(name);
    }
    i = lt + whole.length;
  }
  if (stack.length > 0) return `unclosed <${stack.join('>, <')}>`;
  if (roots !== 1) return `${roots} root elements`;
  return '';
}

function expectSane(svg: string): void {
  expect(structuralProblem(svg)).toBe('');
  expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" ')).toBe(true);
  expect(svg).not.toMatch(/NaN|Infinity|undefined|null/);
  const root = elements(svg, 'svg')[0] as Attrs;
  expect(root.viewBox).toBe(`0 0 ${root.width} ${root.height}`);
  // every numeric attribute is a plain number rounded to 0.1
  for (const m of svg.matchAll(/ (x|y|x1|y1|x2|y2|width|height|cx|cy)="([^"]*)"/g)) {
    expect(m[2]).toMatch(/^-?\d+(\.\d)?$/);
  }
}

const SEED: BarChartSpec = {
  title: 'Spin time',
  xLabel: 'CPUs',
  yLabel: 'spin time (% of execution time)',
  categories: ['2', '3', '4'],
  series: [
    { name: 'none', values: [12.5, 20, 31], spread: [1, 2, 3] },
    { name: 'delayed', values: [3, 4, 5] },
    { name: 'ple', values: [8, 9, 10], spread: [0.5, 0.5, 0.5] },
  ],
};

describe('the structural check', () => {
  it('accepts a well-formed document and rejects broken ones', () => {
    expect(structuralProblem('<svg a="1"><g><rect/></g><text>a &amp; b</text></svg>\n')).toBe('');
    expect(structuralProblem('<svg><g></svg>')).not.toBe('');
    expect(structuralProblem('<svg><g></svg></g>')).not.toBe('');
    expect(structuralProblem('<svg><text>a < b</text></svg>')).not.toBe('');
    expect(structuralProblem('<svg><text>a & b</text></svg>')).not.toBe('');
    expect(structuralProblem('<svg x=1></svg>')).not.toBe('');
    expect(structuralProblem('<svg></svg><svg></svg>')).not.toBe('');
  });
});

describe('barChart', () => {
  it('draws a well-formed chart with axes, ticks, labels, title and legend', () => {
    const svg = barChart(SEED);
    expectSane(svg);
    const root = elements(svg, 'svg')[0] as Attrs;
    expect([root.width, root.height]).toEqual(['640', '400']);
    expect(svg).toContain('>Spin time</text>');
    expect(byClass(svg, 'text', 'axis-label')).toHaveLength(2);
    expect(svg).toContain('>spin time (% of execution time)</text>');
    expect(svg).toContain('>CPUs</text>');
    const tickLabels = [...svg.matchAll(/class="tick-label"[^>]*>([^<]*)</g)].map((m) => m[1]);
    expect(tickLabels).toEqual(['0', '10', '20', '30', '40']);
    const cats = [...svg.matchAll(/class="category-label"[^>]*>([^<]*)</g)].map((m) => m[1]);
    expect(cats).toEqual(['2', '3', '4']);
    expect(byClass(svg, 'line', 'axis')).toHaveLength(2);
    const legend = [...svg.matchAll(/class="legend-label"[^>]*>([^<]*)</g)].map((m) => m[1]);
    expect(legend).toEqual(['none', 'delayed', 'ple']);
  });

  it('has one bar per category and series, plus a swatch per series and the background', () => {
    const svg = barChart(SEED);
    expect(byClass(svg, 'rect', 'bar')).toHaveLength(9);
    expect(byClass(svg, 'rect', 'swatch')).toHaveLength(3);
    expect(byClass(svg, 'rect', 'background')).toHaveLength(1);
    expect(elements(svg, 'rect')).toHaveLength(9 + 3 + 1);
  });

  it('colours bars and swatches by series index from the palette, cycling', () => {
    const series = Array.from({ length: PALETTE.length + 2 }, (_, i) => ({ name: `s${i}`, values: [i + 1] }));
    const svg = barChart({ ...SEED, categories: ['x'], series });
    const bars = byClass(svg, 'rect', 'bar');
    const swatches = byClass(svg, 'rect', 'swatch');
    series.forEach((_, i) => {
      expect(bars[i]?.fill).toBe(PALETTE[i % PALETTE.length]);
      expect(swatches[i]?.fill).toBe(PALETTE[i % PALETTE.length]);
    });
    expect(new Set(PALETTE).size).toBe(PALETTE.length);
  });

  it('makes bar heights proportional to the values, standing on one baseline', () => {
    const values = [10, 20, 40, 80];
    const svg = barChart({ title: 't', xLabel: 'x', yLabel: 'y', categories: ['a', 'b', 'c', 'd'], series: [{ name: 's', values }], yMax: 100 });
    const bars = byClass(svg, 'rect', 'bar');
    expect(bars.map((b) => b['data-category'])).toEqual(['0', '1', '2', '3']);
    const heights = bars.map((b) => Number(b.height));
    const bottoms = bars.map((b) => Number(b.y) + Number(b.height));
    for (const b of bottoms) expect(b).toBeCloseTo(bottoms[0] as number, 5);
    values.forEach((v, i) => expect((heights[i] as number) / (heights[3] as number)).toBeCloseTo(v / 80, 2));
    // yMax is the top of the axis: a value of 100 would fill the plot to the 100 tick
    const tickY = byClass(svg, 'text', 'tick-label');
    const top = Math.min(...tickY.map((t) => Number(t.y)));
    expect((heights[3] as number) / ((bottoms[0] as number) - top)).toBeCloseTo(0.8, 2);
    // bars in a group are side by side, left to right, with a gap between groups
    const two = barChart({ ...SEED, categories: ['2', '3'] });
    const b = byClass(two, 'rect', 'bar').map((a) => ({ x: Number(a.x), w: Number(a.width), s: Number(a['data-series']), c: Number(a['data-category']) }));
    const g0 = b.filter((a) => a.c === 0).sort((p, q) => p.s - q.s);
    const g1 = b.filter((a) => a.c === 1).sort((p, q) => p.s - q.s);
    for (let i = 1; i < g0.length; i++) expect((g0[i] as { x: number }).x).toBeGreaterThanOrEqual((g0[i - 1] as { x: number; w: number }).x + (g0[i - 1] as { w: number }).w);
    const inGroupGap = (g0[1] as { x: number }).x - ((g0[0] as { x: number }).x + (g0[0] as { w: number }).w);
    const betweenGroups = (g1[0] as { x: number }).x - ((g0[2] as { x: number }).x + (g0[2] as { w: number }).w);
    expect(betweenGroups).toBeGreaterThan(inGroupGap);
  });

  it('picks a nice yMax from values plus spread when none is given', () => {
    const svg = barChart({ ...SEED, series: [{ name: 's', values: [30, 35, 36], spread: [0, 0, 2] }] });
    const labels = [...svg.matchAll(/class="tick-label"[^>]*>([^<]*)</g)].map((m) => m[1]);
    expect(labels.at(-1)).toBe('40');
  });

  it('draws error bars exactly where a spread is given', () => {
    const svg = barChart(SEED);
    const err = byClass(svg, 'path', 'errorbar');
    expect(err).toHaveLength(6);
    expect(new Set(err.map((e) => e['data-series']))).toEqual(new Set(['0', '2']));
    // the error bar for 'none' at 4 CPUs spans 31 ± 3, centred on its bar
    const bar = byClass(svg, 'rect', 'bar').find((b) => b['data-series'] === '0' && b['data-category'] === '2') as Attrs;
    const e = err.find((b) => b['data-series'] === '0' && b['data-category'] === '2') as Attrs;
    const m = /^M(\S+) (\S+)V(\S+)M/.exec(e.d as string) as RegExpExecArray;
    const [mx, hi, lo] = [Number(m[1]), Number(m[2]), Number(m[3])];
    expect(mx).toBeCloseTo(Number(bar.x) + Number(bar.width) / 2, 0);
    const perUnit = Number(bar.height) / 31;
    expect(lo - hi).toBeCloseTo(6 * perUnit, 0);
    expect((hi + lo) / 2).toBeCloseTo(Number(bar.y), 0);

    const none = barChart({ ...SEED, series: SEED.series.map(({ name, values }) => ({ name, values })) });
    expect(none).not.toContain('errorbar');
  });

  it('skips non-finite values without emitting NaN or Infinity', () => {
    const svg = barChart({
      ...SEED,
      series: [
        { name: 'a', values: [Number.NaN, 5, Number.POSITIVE_INFINITY], spread: [1, Number.NaN, 1] },
        { name: 'b', values: [1, Number.NEGATIVE_INFINITY] }, // and a missing third value
      ],
    });
    expectSane(svg);
    const bars = byClass(svg, 'rect', 'bar');
    expect(bars.map((b) => `${b['data-series']}/${b['data-category']}`)).toEqual(['1/0', '0/1']);
    expect(byClass(svg, 'path', 'errorbar')).toHaveLength(0);
    expect(elements(svg, 'rect')).toHaveLength(2 + 2 + 1);
  });

  it('handles empty series, no categories, all zeros and a single category', () => {
    const empty = barChart({ ...SEED, series: [] });
    expectSane(empty);
    expect(elements(empty, 'rect')).toHaveLength(1);
    expect(byClass(empty, 'text', 'no-data')).toHaveLength(1);
    const noCats = barChart({ ...SEED, categories: [] });
    expectSane(noCats);
    expect(byClass(noCats, 'rect', 'bar')).toHaveLength(0);

    const zeros = barChart({ ...SEED, series: [{ name: 'z', values: [0, 0, 0], spread: [0, 0, 0] }] });
    expectSane(zeros);
    const bars = byClass(zeros, 'rect', 'bar');
    expect(bars).toHaveLength(3);
    for (const b of bars) expect(b.height).toBe('0');
    expect(byClass(zeros, 'text', 'no-data')).toHaveLength(0);
    expect([...zeros.matchAll(/class="tick-label"[^>]*>([^<]*)</g)].map((m) => m[1])).toEqual(['0', '0.25', '0.5', '0.75', '1']);

    const one = barChart({ ...SEED, categories: ['8'] });
    expectSane(one);
    expect(byClass(one, 'rect', 'bar')).toHaveLength(3);
  });

  it('clamps values outside [0, yMax] to the plot', () => {
    const svg = barChart({ ...SEED, series: [{ name: 's', values: [-5, 50, 200], spread: [1, 1, 1] }], yMax: 100 });
    expectSane(svg);
    const [neg, mid, big] = byClass(svg, 'rect', 'bar') as [Attrs, Attrs, Attrs];
    expect(neg.height).toBe('0');
    expect(Number(big.height)).toBeCloseTo(2 * Number(mid.height), 0);
  });

  it('truncates long legend labels with an ellipsis and keeps the full name as a tooltip', () => {
    const long = 'a remarkably long strategy name, with detail';
    const svg = barChart({ ...SEED, series: [{ name: long, values: [1, 2, 3] }, { name: 'exactly twenty-four char', values: [1, 2, 3] }] });
    const legend = [...svg.matchAll(/class="legend-label"[^>]*>([^<]*)</g)].map((m) => m[1] as string);
    expect(Array.from(legend[0] as string)).toHaveLength(24);
    expect(legend[0]?.endsWith('…')).toBe(true);
    expect(long.startsWith((legend[0] as string).slice(0, -1))).toBe(true);
    expect(legend[1]).toBe('exactly twenty-four char');
    expect(svg).toContain(`<title>${long}</title>`);
  });

  it('wraps a wide legend onto more rows and shrinks the plot to fit', () => {
    const many = Array.from({ length: 12 }, (_, i) => ({ name: `strategy number ${i}`, values: [1] }));
    const svg = barChart({ ...SEED, categories: ['1'], series: many });
    expectSane(svg);
    const ys = new Set(byClass(svg, 'rect', 'swatch').map((s) => s.y));
    expect(ys.size).toBeGreaterThan(1);
    const lowestSwatch = Math.max(...[...ys].map(Number));
    const plotTop = Math.min(...byClass(svg, 'line', 'axis').map((l) => Math.min(Number(l.y1), Number(l.y2))));
    expect(plotTop).toBeGreaterThan(lowestSwatch + 10);
  });

  it('escapes all text', () => {
    const svg = barChart({
      title: 'a<b & "c"',
      xLabel: "it's <x>",
      yLabel: '&amp;',
      categories: ['<2>'],
      series: [{ name: '</svg><script>', values: [1] }],
    });
    expectSane(svg);
    expect(svg).not.toContain('<script');
    expect(svg).toContain('a&lt;b &amp; &quot;c&quot;');
    expect(svg).toContain('&amp;amp;');
    expect(svg).toContain('&lt;2&gt;');
  });

  it('respects width and height and falls back on bad ones', () => {
    const svg = barChart({ ...SEED, width: 800, height: 300 });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="800" height="300" viewBox="0 0 800 300"')).toBe(true);
    const bad = barChart({ ...SEED, width: Number.NaN, height: -1, yMax: Number.POSITIVE_INFINITY });
    expectSane(bad);
    expect(bad).toContain('width="640" height="400"');
  });

  it('is deterministic', () => {
    expect(barChart(SEED)).toBe(barChart(structuredClone(SEED)));
  });

  it('stays well formed and free of NaN on arbitrary input', () => {
    const num = fc.oneof(fc.double(), fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, 0, -0, 1e-9, 1e12));
    const text = fc.string({ unit: fc.constantFrom('a', 'b', ' ', '<', '>', '&', '"', "'", 'é', '…', '\u0001', '\uD800', '😀'), maxLength: 40 });
    const cats = fc.array(text, { maxLength: 5 });
    fc.assert(
      fc.property(
        cats,
        fc.array(fc.record({ name: text, values: fc.array(num, { maxLength: 6 }), spread: fc.option(fc.array(num, { maxLength: 6 }), { nil: undefined }) }), { maxLength: 6 }),
        fc.option(num, { nil: undefined }),
        text,
        (categories, series, yMax, title) => {
          const spec: BarChartSpec = { title, xLabel: 'x', yLabel: 'y', categories, series: series.map((s) => (s.spread ? s : { name: s.name, values: s.values })) };
          if (yMax !== undefined) spec.yMax = yMax;
          const svg = barChart(spec);
          expectSane(svg);
          const finiteBars = series.reduce((n, s) => n + categories.filter((_, j) => Number.isFinite(s.values[j])).length, 0);
          expect(byClass(svg, 'rect', 'bar')).toHaveLength(finiteBars);
          expect(elements(svg, 'rect')).toHaveLength(finiteBars + series.length + 1);
        },
      ),
      { numRuns: 200 },
    );
  });
});

const JOBS: LineChartSpec = {
  title: 'Progress',
  xLabel: 'time (Mcycles)',
  yLabel: 'iterations',
  series: [
    { name: 'job 1', points: [[0, 0], [10, 100], [20, 180], [30, 300]] },
    { name: 'job 2', points: [[0, 0], [15, 50], [35, 120]] },
    { name: 'empty', points: [] },
    { name: 'single', points: [[5, 200]] },
  ],
};

function polyPoints(p: Attrs): [number, number][] {
  return (p.points as string).split(' ').map((xy) => xy.split(',').map(Number) as [number, number]);
}

describe('lineChart', () => {
  it('draws one polyline per non-empty series, a legend entry per series, and both axes', () => {
    const svg = lineChart(JOBS);
    expectSane(svg);
    const lines = byClass(svg, 'polyline', 'line');
    expect(lines.map((l) => l['data-series'])).toEqual(['0', '1', '3']);
    expect(lines.map((l) => l.stroke)).toEqual([PALETTE[0], PALETTE[1], PALETTE[3]]);
    expect(byClass(svg, 'circle', 'point')).toHaveLength(1);
    expect(byClass(svg, 'rect', 'swatch')).toHaveLength(4);
    expect(elements(svg, 'rect')).toHaveLength(5);
    expect(byClass(svg, 'line', 'axis')).toHaveLength(2);
    const ticks = [...svg.matchAll(/class="tick-label"[^>]*>([^<]*)</g)].map((m) => m[1]);
    expect(ticks).toEqual(['0', '100', '200', '300', '0', '10', '20', '30', '40']);
    expect(svg).toContain('>time (Mcycles)</text>');
  });

  it('past the palette, lines repeat its colours dashed, with hollow swatches, so no two series look alike', () => {
    const series = Array.from({ length: PALETTE.length + 1 }, (_, i) => ({ name: `job ${i}`, points: [[0, 0], [1, i + 1]] as [number, number][] }));
    const svg = lineChart({ ...JOBS, series });
    const lines = byClass(svg, 'polyline', 'line');
    const swatches = byClass(svg, 'rect', 'swatch');
    const look = (i: number): string => `${lines[i]!.stroke} ${lines[i]!['stroke-dasharray'] ?? 'solid'}`;
    expect(new Set(series.map((_, i) => look(i))).size).toBe(series.length);
    expect(lines[PALETTE.length]!['stroke-dasharray']).toBe('6 3');
    expect(lines[0]!['stroke-dasharray']).toBeUndefined();
    expect([swatches[0]!.fill, swatches[PALETTE.length]!.fill, swatches[PALETTE.length]!.stroke]).toEqual([PALETTE[0], '#ffffff', PALETTE[0]]);
  });

  it('maps points monotonically and proportionally', () => {
    const svg = lineChart(JOBS);
    const [one] = byClass(svg, 'polyline', 'line') as [Attrs];
    const pts = polyPoints(one);
    expect(pts).toHaveLength(4);
    for (let i = 1; i < pts.length; i++) {
      expect((pts[i] as [number, number])[0]).toBeGreaterThan((pts[i - 1] as [number, number])[0]);
      expect((pts[i] as [number, number])[1]).toBeLessThan((pts[i - 1] as [number, number])[1]);
    }
    const [x0, y0] = pts[0] as [number, number];
    const [x1, y1] = pts[1] as [number, number];
    const [x3, y3] = pts[3] as [number, number];
    expect((x3 - x0) / (x1 - x0)).toBeCloseTo(3, 1);
    expect((y0 - y3) / (y0 - y1)).toBeCloseTo(3, 1);
  });

  it('skips non-finite points and handles no data', () => {
    const svg = lineChart({
      ...JOBS,
      series: [
        { name: 'a', points: [[0, 1], [Number.NaN, 2], [2, Number.POSITIVE_INFINITY], [3, 4]] },
        { name: 'b', points: [[Number.NaN, Number.NaN]] },
      ],
    });
    expectSane(svg);
    const lines = byClass(svg, 'polyline', 'line');
    expect(lines).toHaveLength(1);
    expect(polyPoints(lines[0] as Attrs)).toHaveLength(2);

    for (const series of [[], [{ name: 'x', points: [] }], [{ name: 'zero', points: [[0, 0]] as [number, number][] }]]) {
      const s = lineChart({ ...JOBS, series });
      expectSane(s);
    }
    expect(byClass(lineChart({ ...JOBS, series: [] }), 'text', 'no-data')).toHaveLength(1);
  });

  it('respects xMax and yMax', () => {
    const svg = lineChart({ ...JOBS, xMax: 100, yMax: 1000 });
    const ticks = [...svg.matchAll(/class="tick-label"[^>]*>([^<]*)</g)].map((m) => m[1]);
    expect(ticks).toEqual(['0', '250', '500', '750', '1k', '0', '25', '50', '75', '100']);
  });

  it('is deterministic', () => {
    expect(lineChart(JOBS)).toBe(lineChart(structuredClone(JOBS)));
  });

  it('stays well formed and free of NaN on arbitrary input', () => {
    const num = fc.oneof(fc.double(), fc.constantFrom(Number.NaN, Number.NEGATIVE_INFINITY, 0, 1e-9, 1e12));
    const point = fc.tuple(num, num) as fc.Arbitrary<[number, number]>;
    fc.assert(
      fc.property(
        fc.array(fc.record({ name: fc.string({ maxLength: 30 }), points: fc.array(point, { maxLength: 8 }) }), { maxLength: 6 }),
        fc.option(num, { nil: undefined }),
        fc.option(num, { nil: undefined }),
        (series, xMax, yMax) => {
          const spec: LineChartSpec = { title: 't', xLabel: 'x', yLabel: 'y', series };
          if (xMax !== undefined) spec.xMax = xMax;
          if (yMax !== undefined) spec.yMax = yMax;
          const svg = lineChart(spec);
          expectSane(svg.replace(/>[^<]*</g, '><')); // names may spell "NaN"; text is checked by the bar-chart property
          expect(structuralProblem(svg)).toBe('');
          const nonEmpty = series.filter((s) => s.points.some(([x, y]) => Number.isFinite(x) && Number.isFinite(y))).length;
          expect(byClass(svg, 'polyline', 'line')).toHaveLength(nonEmpty);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('niceMax', () => {
  it('rounds up to a multiple of a 1, 2, 2.5 or 5 x 10^k step', () => {
    expect(niceMax(0)).toBe(1);
    expect(niceMax(37)).toBe(40);
    expect(niceMax(0.83)).toBe(1);
    expect([1500, 2000]).toContain(niceMax(1234));
    expect(niceMax(1)).toBe(1);
    expect(niceMax(100)).toBe(100);
    expect(niceMax(0.07)).toBe(0.08);
    expect(niceMax(-3)).toBe(1);
    expect(niceMax(Number.NaN)).toBe(1);
    expect(niceMax(Number.POSITIVE_INFINITY)).toBe(1);
  });

  it('is never below its input and at most twice it', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 1e12, noNaN: true }), (v) => {
        const m = niceMax(v);
        expect(m).toBeGreaterThanOrEqual(v);
        expect(m).toBeLessThanOrEqual(2 * v);
      }),
    );
  });
});

describe('escapeXml and formatNumber', () => {
  it('escapes the five XML specials', () => {
    expect(escapeXml(`<a href="x">Tom & 'Jerry'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;Tom &amp; &apos;Jerry&apos;&lt;/a&gt;');
    expect(escapeXml('plain…😀')).toBe('plain…😀');
    expect(escapeXml('a\u0000b\u001Fc\td')).toBe('abc\td');
  });

  it('formats numbers compactly', () => {
    expect([0, 12.5, 1234, 1500, 2_000_000, 0.25, 999.99, -42, 0.1 + 0.2, 1e-5].map(formatNumber)).toEqual([
      '0', '12.5', '1.23k', '1.5k', '2M', '0.25', '1k', '-42', '0.3', '1e-5',
    ]);
    expect(formatNumber(Number.NaN)).toBe('');
  });
});
