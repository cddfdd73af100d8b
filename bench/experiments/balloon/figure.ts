/**
 * The time-ballooning sweep's main figure: each variant's makespan relative
 * to the non-rotating optimum, per cell, as a point with its 95% confidence
 * interval, on a y axis fitted to the data (the values sit between 1.0 and
 * about 2, where bars from 0 would hide every difference), with the
 * optimum (1.0) and the acceptance bound (1.10) drawn as lines. The shared
 * chart module (../svg.ts) starts every axis at 0, hence this small one.
 */
import { escapeXml, formatNumber, PALETTE } from '../svg.ts';

export interface IntervalSeries { name: string; values: number[]; ci: number[] }

export interface IntervalChart {
  title: string; xLabel: string; yLabel: string; categories: string[]; series: IntervalSeries[];
  /** Horizontal reference lines: [y, label]. */
  refs: [number, string][];
}

const W = 820;
const H = 420;
const L = 60;
const R = 190;
const T = 40;
const B = 60;
const f1 = (x: number): string => x.toFixed(1);

/** The y range: the data with their intervals and the reference lines, out to the next 0.05. */
function range(c: IntervalChart): [number, number] {
  const ys = c.series.flatMap((s) => s.values.flatMap((v, j) => (Number.isFinite(v) ? [v - (s.ci[j] || 0), v + (s.ci[j] || 0)] : [])));
  ys.push(...c.refs.map(([y]) => y));
  const lo = Math.floor(Math.min(...ys) * 20 - 1e-9) / 20;
  const hi = Math.ceil(Math.max(...ys) * 20 + 1e-9) / 20;
  return [lo, hi > lo ? hi : lo + 0.05];
}

/** A point-and-interval chart as a standalone SVG document. */
export function intervalChart(c: IntervalChart): string {
  const [lo, hi] = range(c);
  const y = (v: number): number => T + ((hi - v) / (hi - lo)) * (H - T - B);
  const group = (W - L - R) / Math.max(1, c.categories.length);
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
    `<rect class="background" width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text class="title" x="${W / 2}" y="20" text-anchor="middle" font-size="13">${escapeXml(c.title)}</text>`];
  const step = (hi - lo) / 5 <= 0.05 ? 0.05 : (hi - lo) / 5 <= 0.1 ? 0.1 : 0.25;
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + 1e-9; v += step) {
    out.push(`<line class="grid" x1="${L}" x2="${W - R}" y1="${f1(y(v))}" y2="${f1(y(v))}" stroke="#e0e0e0"/>`,
      `<text class="tick-label" x="${L - 6}" y="${f1(y(v) + 4)}" text-anchor="end">${escapeXml(formatNumber(Number(v.toFixed(2))))}</text>`);
  }
  for (const [v, label] of c.refs) {
    out.push(`<line class="ref" x1="${L}" x2="${W - R}" y1="${f1(y(v))}" y2="${f1(y(v))}" stroke="#000000" stroke-dasharray="4 3"/>`,
      `<text class="ref-label" x="${W - R + 4}" y="${f1(y(v) + 4)}">${escapeXml(label)}</text>`);
  }
  c.categories.forEach((cat, j) => {
    const cx = L + (j + 0.5) * group;
    out.push(`<text class="category-label" x="${f1(cx)}" y="${H - B + 16}" text-anchor="middle">${escapeXml(cat)}</text>`);
    c.series.forEach((s, i) => {
      const v = s.values[j];
      if (v === undefined || !Number.isFinite(v)) return;
      const x = cx + (i - (c.series.length - 1) / 2) * Math.min(14, (group * 0.8) / c.series.length);
      const e = s.ci[j] ?? NaN;
      if (Number.isFinite(e) && e > 0) {
        out.push(`<path class="errorbar" d="M${f1(x)} ${f1(y(v + e))}V${f1(y(v - e))}M${f1(x - 3)} ${f1(y(v + e))}H${f1(x + 3)}M${f1(x - 3)} ${f1(y(v - e))}H${f1(x + 3)}" stroke="${PALETTE[i % PALETTE.length]}" fill="none"/>`);
      }
      out.push(`<circle class="point" cx="${f1(x)}" cy="${f1(y(v))}" r="3.5" fill="${PALETTE[i % PALETTE.length]}"><title>${escapeXml(`${s.name}, ${cat}: ${v.toFixed(3)}${Number.isFinite(e) ? ` ± ${e.toFixed(3)}` : ''}`)}</title></circle>`);
    });
  });
  // The legend sits in the right margin under the reference labels that would fall within it.
  const clash = c.refs.map(([v]) => y(v)).filter((ly) => ly < T + 10 + c.series.length * 18 + 8);
  const top = clash.length > 0 ? Math.round(Math.max(...clash) + 20) : T + 10;
  c.series.forEach((s, i) => out.push(`<circle cx="${W - R + 12}" cy="${top + i * 18}" r="4" fill="${PALETTE[i % PALETTE.length]}"/>`,
    `<text class="legend-label" x="${W - R + 22}" y="${top + 4 + i * 18}">${escapeXml(s.name)}</text>`));
  out.push(`<line class="axis" x1="${L}" x2="${L}" y1="${T}" y2="${H - B}" stroke="#000000"/>`,
    `<line class="axis" x1="${L}" x2="${W - R}" y1="${H - B}" y2="${H - B}" stroke="#000000"/>`,
    `<text class="axis-label" x="${(L + W - R) / 2}" y="${H - 22}" text-anchor="middle">${escapeXml(c.xLabel)}</text>`,
    `<text class="axis-label" transform="translate(16 ${(T + H - B) / 2}) rotate(-90)" text-anchor="middle">${escapeXml(c.yLabel)}</text>`, '</svg>');
  return `${out.join('\n')}\n`;
}
