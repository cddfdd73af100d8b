/**
 * A small dependency-free SVG chart writer for the experiment figures
 * (`paravm experiment lhp`, `paravm experiment balloon`): grouped bar charts
 * (one group per category, one bar per series, optional error bars) and line
 * charts (one polyline per series). Pure functions returning standalone SVG
 * documents as strings, no I/O.
 *
 * Output is deterministic (same input, same string; coordinates rounded to
 * 0.1) and never contains NaN or Infinity: non-finite values are skipped.
 * Both axes start at 0; values outside [0, max] are clamped to the plot edge.
 * All text is escaped.
 *
 * Element classes, for styling and for tests:
 *   background  the one full-size <rect>
 *   title, axis-label, tick-label, category-label, legend-label, no-data  <text>
 *   axis, tick, grid  <line>
 *   bar         <rect>, one per finite value, with data-series/data-category indices
 *   errorbar    <path>, one per bar whose spread is finite and non-zero
 *   line        <polyline>, one per series with at least one finite point (data-series)
 *   point       <circle>, for a series with exactly one finite point
 *   legend-item <g> holding a swatch <rect> and a legend-label
 * So a bar chart has 1 + bars + series.length <rect>s, a line chart 1 + series.length.
 */

/** One series of a bar chart: a value per category (missing or non-finite values draw no bar). */
export interface Series {
  name: string;
  values: number[];
  /** ± half-width per value (e.g. a standard deviation), drawn as an error bar. */
  spread?: number[];
}

/** A grouped bar chart: one group per category, one bar per series within each group. */
export interface BarChartSpec {
  title: string;
  /** e.g. 'CPUs' */
  xLabel: string;
  /** e.g. 'spin time (% of execution time)' */
  yLabel: string;
  /** Groups along x, e.g. ['2', '3', '4']. */
  categories: string[];
  /** One bar per series within each group, e.g. strategies. */
  series: Series[];
  /** Top of the y axis; default: niceMax of the largest value + spread. */
  yMax?: number;
  /** Default 640; a given width or height is kept within 120..100000. */
  width?: number;
  /** Default 400. */
  height?: number;
}

/** One line of a line chart: [x, y] points, drawn in the order given (non-finite points skipped). */
export interface LineSeries {
  name: string;
  points: [number, number][];
}

/** A line chart: one polyline per series over [0, xMax] x [0, yMax]. */
export interface LineChartSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  series: LineSeries[];
  /** Default: niceMax of the largest x. */
  xMax?: number;
  /** Default: niceMax of the largest y. */
  yMax?: number;
  /** Default 640; a given width or height is kept within 120..100000. */
  width?: number;
  /** Default 400. */
  height?: number;
}

/** The Okabe–Ito colour-blind-friendly palette; series i gets PALETTE[i % PALETTE.length]. */
export const PALETTE: readonly string[] = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#F0E442', '#000000'];

const DEFAULT_WIDTH = 640;
const DEFAULT_HEIGHT = 400;
const MIN_SIZE = 120;
const MAX_SIZE = 100_000;
/** Legend labels longer than this are cut, ending in an ellipsis. */
const LEGEND_MAX_CHARS = 24;
/** Rough advance of one 11px sans-serif character, for layout. */
const CHAR_W = 6.5;
const FONT = 'font-family="sans-serif" font-size="11"';

/** Escapes text for XML content and attribute values; drops characters XML 1.0 cannot represent. */
export function escapeXml(s: string): string {
  return String(s)
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Removes floating-point noise (0.1 * 3 -> 0.3). */
function tidy(n: number): number {
  return Number(n.toPrecision(12));
}

/** The smallest of 1, 2, 2.5, 5 x 10^k that is >= v; v itself where that is not representable. */
function niceStep(v: number): number {
  const base = 10 ** Math.floor(Math.log10(v));
  if (!(base > 0) || !Number.isFinite(base)) return v;
  for (const m of [1, 2, 2.5, 5]) {
    const s = tidy(m * base);
    if (s >= v) return s;
  }
  return tidy(10 * base);
}

/**
 * A round axis maximum >= v: a multiple (3 or 4 of them) of a 1, 2, 2.5 or
 * 5 x 10^k tick step. 0 -> 1, 37 -> 40, 0.83 -> 1, 1234 -> 1500; 1 for
 * anything not finite and positive.
 */
export function niceMax(v: number): number {
  if (!Number.isFinite(v) || v <= 0) return 1;
  const step = niceStep(v / 4);
  if (!(step > 0)) return v;
  let max = tidy(Math.ceil(v / step - 1e-9) * step);
  if (max < v) max = tidy(max + step);
  return Number.isFinite(max) ? max : v;
}

/** Tick values 0, step, ... up to max (a 1, 2, 2.5, 5 x 10^k step giving about 5 ticks). */
function ticks(max: number): number[] {
  const step = niceStep(max / 4);
  const n = Math.floor(max / step + 1e-9);
  if (!(step > 0) || !(n >= 1 && n <= 10)) return [0, max]; // only for extreme (subnormal) maxima
  const out: number[] = [];
  for (let i = 0; i <= n; i++) out.push(tidy(i * step));
  return out;
}

/** A number in at most 3 significant digits with a k/M/G/T suffix: 12.5, 1.23k, 2M, 0.25. */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return '';
  if (n === 0) return '0';
  const sign = n < 0 ? '-' : '';
  const a = Number(Math.abs(n).toPrecision(3)); // Infinity for values near Number.MAX_VALUE
  if (!Number.isFinite(a) || a >= 1e15 || a < 1e-3) {
    const [mantissa, exponent] = Math.abs(n).toExponential(2).split('e');
    return `${sign}${Number(mantissa)}e${exponent}`;
  }
  for (const [unit, suffix] of [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']] as const) {
    if (a >= unit) return `${sign}${Number((a / unit).toPrecision(3))}${suffix}`;
  }
  return `${sign}${a}`;
}

/** A coordinate rounded to 0.1 (0 for anything non-finite, so NaN never reaches the output). */
function r(x: number): string {
  const v = Math.round(x * 10) / 10;
  return Number.isFinite(v) && v !== 0 ? String(v) : '0';
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

/** At most max characters (code points), the last replaced by an ellipsis when cut. */
function truncate(s: string, max: number): string {
  const chars = Array.from(s);
  return chars.length <= max ? s : `${chars.slice(0, Math.max(1, max - 1)).join('')}…`;
}

/** A width or height: the fallback unless finite and positive, then kept within MIN_SIZE..MAX_SIZE. */
function size(v: number | undefined, fallback: number): number {
  return v !== undefined && Number.isFinite(v) && v > 0 ? clamp(v, MIN_SIZE, MAX_SIZE) : fallback;
}

/** Line series past the palette repeat its colours dashed (with a hollow legend swatch), so no two look alike. */
function dash(i: number): string {
  return i >= PALETTE.length ? ' stroke-dasharray="6 3"' : '';
}

function swatchPaint(i: number): string {
  return i >= PALETTE.length ? `fill="#ffffff" stroke="${colour(i)}" stroke-width="2"` : `fill="${colour(i)}"`;
}

function colour(i: number): string {
  return PALETTE[i % PALETTE.length] as string;
}

/** The plot area inside the margins. */
interface Frame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

const TITLE_Y = 22;
const LEGEND_TOP = 34;
const LEGEND_ROW = 16;

/** Legend items laid out in rows from x = left, wrapping before xEnd. */
function legend(names: string[], left: number, xEnd: number, lines: boolean): { parts: string[]; rows: number } {
  const parts: string[] = [];
  let x = left;
  let row = 0;
  names.forEach((name, i) => {
    const label = truncate(name, LEGEND_MAX_CHARS);
    const w = 14 + Array.from(label).length * CHAR_W + 16;
    if (x > left && x + w - 16 > xEnd) {
      x = left;
      row++;
    }
    const y = LEGEND_TOP + row * LEGEND_ROW;
    const tip = label === name ? '' : `<title>${escapeXml(name)}</title>`;
    parts.push(
      `<g class="legend-item">${tip}<rect class="swatch" x="${r(x)}" y="${r(y)}" width="10" height="10" ${lines ? swatchPaint(i) : `fill="${colour(i)}"`}/>` +
        `<text class="legend-label" x="${r(x + 14)}" y="${r(y + 9)}">${escapeXml(label)}</text></g>`,
    );
    x += w;
  });
  return { parts, rows: names.length === 0 ? 0 : row + 1 };
}

/** Header, background, title and legend; computes the plot frame. */
function scaffold(title: string, names: string[], yTicks: number[], w: number | undefined, h: number | undefined, lines = false): { parts: string[]; f: Frame } {
  const width = size(w, DEFAULT_WIDTH);
  const height = size(h, DEFAULT_HEIGHT);
  const labelChars = Math.max(1, ...yTicks.map((t) => formatNumber(t).length));
  const left = Math.max(48, 28 + labelChars * CHAR_W + 8);
  const rightEdge = width - 16;
  const lg = legend(names, left, rightEdge, lines);
  const top = LEGEND_TOP + lg.rows * LEGEND_ROW + 10;
  const bottomEdge = height - 48;
  const f: Frame = { width, height, left, right: Math.max(left + 1, rightEdge), top, bottom: Math.max(top + 1, bottomEdge) };
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${r(width)}" height="${r(height)}" viewBox="0 0 ${r(width)} ${r(height)}" ${FONT}>`,
    `<rect class="background" x="0" y="0" width="${r(width)}" height="${r(height)}" fill="#ffffff"/>`,
    `<text class="title" x="${r(width / 2)}" y="${TITLE_Y}" text-anchor="middle" font-size="14" font-weight="bold">${escapeXml(title)}</text>`,
    ...lg.parts,
  ];
  return { parts, f };
}

/** Horizontal grid lines, y ticks and their labels, the y axis line and its label. */
function yAxis(f: Frame, yTicks: number[], yMax: number, label: string): string[] {
  const parts: string[] = [];
  for (const t of yTicks) {
    const y = f.bottom - (t / yMax) * (f.bottom - f.top);
    if (t > 0) parts.push(`<line class="grid" x1="${r(f.left)}" y1="${r(y)}" x2="${r(f.right)}" y2="${r(y)}" stroke="#e0e0e0"/>`);
    parts.push(`<line class="tick" x1="${r(f.left - 5)}" y1="${r(y)}" x2="${r(f.left)}" y2="${r(y)}" stroke="#000000"/>`);
    parts.push(`<text class="tick-label" x="${r(f.left - 8)}" y="${r(y)}" dy="0.35em" text-anchor="end">${escapeXml(formatNumber(t))}</text>`);
  }
  parts.push(`<line class="axis" x1="${r(f.left)}" y1="${r(f.top)}" x2="${r(f.left)}" y2="${r(f.bottom)}" stroke="#000000"/>`);
  const cy = (f.top + f.bottom) / 2;
  parts.push(`<text class="axis-label" x="14" y="${r(cy)}" dy="0.35em" text-anchor="middle" transform="rotate(-90 14 ${r(cy)})">${escapeXml(label)}</text>`);
  return parts;
}

/** The x axis line and its label. */
function xAxis(f: Frame, label: string): string[] {
  return [
    `<line class="axis" x1="${r(f.left)}" y1="${r(f.bottom)}" x2="${r(f.right)}" y2="${r(f.bottom)}" stroke="#000000"/>`,
    `<text class="axis-label" x="${r((f.left + f.right) / 2)}" y="${r(f.height - 10)}" text-anchor="middle">${escapeXml(label)}</text>`,
  ];
}

function noData(f: Frame): string {
  return `<text class="no-data" x="${r((f.left + f.right) / 2)}" y="${r((f.top + f.bottom) / 2)}" text-anchor="middle" fill="#808080">no data</text>`;
}

function finite(v: number | undefined): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** A grouped bar chart as a standalone SVG document. */
export function barChart(spec: BarChartSpec): string {
  const categories = spec.categories ?? [];
  const series = spec.series ?? [];
  let dataMax = 0;
  for (const s of series) {
    categories.forEach((_, j) => {
      const v = s.values?.[j];
      if (!finite(v)) return;
      const sp = s.spread?.[j];
      const top = v + (finite(sp) ? Math.abs(sp) : 0);
      dataMax = Math.max(dataMax, v, Number.isFinite(top) ? top : v);
    });
  }
  const yMax = finite(spec.yMax) && spec.yMax > 0 ? spec.yMax : niceMax(dataMax);
  const yTicks = ticks(yMax);
  const { parts, f } = scaffold(spec.title, series.map((s) => s.name), yTicks, spec.width, spec.height);
  parts.push(...yAxis(f, yTicks, yMax, spec.yLabel));

  const plotH = f.bottom - f.top;
  const yOf = (v: number): number => f.bottom - (clamp(v, 0, yMax) / yMax) * plotH;
  const groupW = categories.length > 0 ? (f.right - f.left) / categories.length : 0;
  const slot = series.length > 0 ? (groupW * 0.8) / series.length : 0;
  const gap = Math.min(2, slot * 0.15);
  const barW = slot - gap;
  const cap = Math.min(4, barW / 3);
  const maxCatChars = Math.max(3, Math.floor(groupW / CHAR_W));
  let bars = 0;

  categories.forEach((cat, j) => {
    const cx = f.left + (j + 0.5) * groupW;
    parts.push(`<line class="tick" x1="${r(cx)}" y1="${r(f.bottom)}" x2="${r(cx)}" y2="${r(f.bottom + 5)}" stroke="#000000"/>`);
    parts.push(`<text class="category-label" x="${r(cx)}" y="${r(f.bottom + 18)}" text-anchor="middle">${escapeXml(truncate(cat, maxCatChars))}</text>`);
    series.forEach((s, i) => {
      const v = s.values?.[j];
      if (!finite(v)) return;
      bars++;
      const x = f.left + j * groupW + groupW * 0.1 + i * slot + gap / 2;
      const y = yOf(v);
      const sp = s.spread?.[j];
      const hasSpread = finite(sp) && sp !== 0;
      const tip = `${s.name}, ${spec.xLabel} ${cat}: ${formatNumber(v)}${hasSpread ? ` ± ${formatNumber(Math.abs(sp))}` : ''}`;
      parts.push(
        `<rect class="bar" data-series="${i}" data-category="${j}" x="${r(x)}" y="${r(y)}" width="${r(barW)}" height="${r(f.bottom - y)}" fill="${colour(i)}">` +
          `<title>${escapeXml(tip)}</title></rect>`,
      );
      if (hasSpread) {
        const mx = x + barW / 2;
        const hi = yOf(v + Math.abs(sp));
        const lo = yOf(v - Math.abs(sp));
        parts.push(
          `<path class="errorbar" data-series="${i}" data-category="${j}" d="M${r(mx)} ${r(hi)}V${r(lo)}M${r(mx - cap)} ${r(hi)}H${r(mx + cap)}M${r(mx - cap)} ${r(lo)}H${r(mx + cap)}" stroke="#000000" fill="none"/>`,
        );
      }
    });
  });
  parts.push(...xAxis(f, spec.xLabel));
  if (bars === 0) parts.push(noData(f));
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

/** A line chart as a standalone SVG document. */
export function lineChart(spec: LineChartSpec): string {
  const series = spec.series ?? [];
  const clean = series.map((s) => (s.points ?? []).filter((p) => Array.isArray(p) && finite(p[0]) && finite(p[1])));
  let xData = 0;
  let yData = 0;
  for (const pts of clean) {
    for (const [x, y] of pts) {
      xData = Math.max(xData, x);
      yData = Math.max(yData, y);
    }
  }
  const xMax = finite(spec.xMax) && spec.xMax > 0 ? spec.xMax : niceMax(xData);
  const yMax = finite(spec.yMax) && spec.yMax > 0 ? spec.yMax : niceMax(yData);
  const yTicks = ticks(yMax);
  const { parts, f } = scaffold(spec.title, series.map((s) => s.name), yTicks, spec.width, spec.height, true);
  parts.push(...yAxis(f, yTicks, yMax, spec.yLabel));

  const xOf = (x: number): number => f.left + (clamp(x, 0, xMax) / xMax) * (f.right - f.left);
  const yOf = (y: number): number => f.bottom - (clamp(y, 0, yMax) / yMax) * (f.bottom - f.top);
  for (const t of ticks(xMax)) {
    const x = xOf(t);
    if (t > 0) parts.push(`<line class="grid" x1="${r(x)}" y1="${r(f.top)}" x2="${r(x)}" y2="${r(f.bottom)}" stroke="#e0e0e0"/>`);
    parts.push(`<line class="tick" x1="${r(x)}" y1="${r(f.bottom)}" x2="${r(x)}" y2="${r(f.bottom + 5)}" stroke="#000000"/>`);
    parts.push(`<text class="tick-label" x="${r(x)}" y="${r(f.bottom + 18)}" text-anchor="middle">${escapeXml(formatNumber(t))}</text>`);
  }
  let lines = 0;
  clean.forEach((pts, i) => {
    if (pts.length === 0) return;
    lines++;
    const coords = pts.map(([x, y]) => `${r(xOf(x))},${r(yOf(y))}`).join(' ');
    parts.push(
      `<polyline class="line" data-series="${i}" points="${coords}" fill="none" stroke="${colour(i)}" stroke-width="1.5" stroke-linejoin="round"${dash(i)}/>`,
    );
    if (pts.length === 1) {
      const [x, y] = pts[0] as [number, number];
      parts.push(`<circle class="point" data-series="${i}" cx="${r(xOf(x))}" cy="${r(yOf(y))}" r="2.5" fill="${colour(i)}"/>`);
    }
  });
  parts.push(...xAxis(f, spec.xLabel));
  if (lines === 0) parts.push(noData(f));
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
