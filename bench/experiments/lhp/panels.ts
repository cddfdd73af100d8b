/**
 * Figures in the paper's layout: one panel per strategy, a bar per CPU
 * count, every panel on the same y axis (fitted to the largest bar with its
 * error bar, so the panels compare at a glance), and a caption that says
 * what the error bars are. Each panel is a bar chart of svg.ts nested in one
 * SVG document.
 */
import { barChart, escapeXml } from '../svg.ts';

export interface Panel {
  /** Short, to fit the panel's width (the strategy's name as the CLI spells it). */
  title: string;
  /** The legend's longer name (shortened on the panel, whole in its tooltip); default the title. */
  legend?: string;
  /** One bar per category (CPU counts). */
  categories: string[];
  values: number[];
  /** ± half-width per bar (a 95% confidence interval); 0 or absent: none drawn. */
  half?: number[];
}

export interface PanelFigure {
  title: string;
  /** Under the title: the base of the measure and what the error bars are. */
  caption: string;
  xLabel: string;
  yLabel: string;
  panels: Panel[];
  /** Panels per row (default 4). */
  columns?: number;
}

const PANEL_W = 230;
const PANEL_H = 230;
const HEAD = 56;
/** Caption line height, and the characters that fit a pixel of width at its 11 px font (measured on DejaVu Sans). */
const CAPTION_LINE = 14;
const CAPTION_CHARS_PER_PX = 1 / 6.2;

/** The caption broken at spaces into lines that fit the figure's width. */
function captionLines(text: string, width: number): string[] {
  const max = Math.floor((width - 20) * CAPTION_CHARS_PER_PX);
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > max) { lines.push(line); line = word; } else line = line ? `${line} ${word}` : word;
  }
  return line ? [...lines, line] : lines;
}

/** Largest bar top (value + half-width), rounded up to 2 significant steps: a y axis fitted to the data. */
function fittedMax(panels: readonly Panel[]): number {
  let m = 0;
  for (const p of panels) p.values.forEach((v, i) => { if (Number.isFinite(v)) m = Math.max(m, v + Math.abs(p.half?.[i] ?? 0)); });
  if (m <= 0) return 1;
  const step = 10 ** Math.floor(Math.log10(m)) / 2;
  return Math.ceil((m * 1.05) / step) * step;
}

export function panelFigure(f: PanelFigure): string {
  const cols = Math.min(f.columns ?? 4, Math.max(1, f.panels.length));
  const rows = Math.ceil(f.panels.length / cols);
  const width = cols * PANEL_W;
  const caption = captionLines(f.caption, width);
  const head = HEAD + (caption.length - 1) * CAPTION_LINE;
  const height = head + rows * PANEL_H;
  const yMax = fittedMax(f.panels);
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<rect class="background" x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text class="title" x="${width / 2}" y="20" text-anchor="middle" font-size="15">${escapeXml(f.title)}</text>`,
    ...caption.map((l, i) => `<text class="caption" x="${width / 2}" y="${40 + i * CAPTION_LINE}" text-anchor="middle" font-size="11">${escapeXml(l)}</text>`),
  ];
  f.panels.forEach((p, i) => {
    const x = (i % cols) * PANEL_W;
    const y = head + Math.floor(i / cols) * PANEL_H;
    const chart = barChart({
      title: p.title, xLabel: f.xLabel, yLabel: i % cols === 0 ? f.yLabel : '', categories: p.categories, yMax,
      series: [{ name: p.legend ?? p.title, values: p.values, spread: p.half }], width: PANEL_W, height: PANEL_H,
    });
    out.push(chart.replace('<svg ', `<svg class="panel" x="${x}" y="${y}" `).trimEnd());
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
