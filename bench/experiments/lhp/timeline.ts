/**
 * The timeline figure (timeline.svg): the paper's "locked/unlocked versus
 * execution time" strip, around one lock-holder preemption. The 4-VCPU
 * guest runs under none; every SAMPLE of virtual time each VCPU's state is
 * read (running, spinning for a spinlock, holding one, preempted, blocked)
 * from the hypervisor and the guest's lock counters in its info page (the
 * ones the hypervisor counts lock-holder preemptions by). The first moment
 * a VCPU is preempted holding a lock while a sibling spins is the event;
 * the strip shows the time around it, and the same span of the same seed
 * under intrusive delayed preemption below it.
 */
import { INFO } from '../../../isa/infopage.ts';
import { CYCLES_PER_MS, CYCLES_PER_US } from '../../../isa/clock.ts';
import { VS, type Vcpu } from '../../../hypervisor/index.ts';
import { escapeXml } from '../svg.ts';
import { setup, strategy } from './sweep.ts';

const SAMPLE = 20 * CYCLES_PER_US;
const BEFORE = 2 * CYCLES_PER_MS;
const AFTER = 13 * CYCLES_PER_MS;

/** A VCPU's state in one sample. */
const St = { Blocked: 0, Running: 1, Spinning: 2, Holding: 3, Preempted: 4, PreemptedHolding: 5 } as const;
type St = (typeof St)[keyof typeof St];

const STATES: [St, string, string][] = [
  [St.Running, 'running', '#a6dba0'],
  [St.Spinning, 'spinning for a spinlock', '#E69F00'],
  [St.Holding, 'holding a spinlock', '#0072B2'],
  [St.Preempted, 'preempted (runnable, off its PCPU)', '#bbbbbb'],
  [St.PreemptedHolding, 'preempted holding a spinlock', '#D55E00'],
  [St.Blocked, 'blocked (idle)', '#ffffff'],
];

function stateOf(v: Vcpu): St {
  if (v.state !== VS.RUNNING && v.state !== VS.RUNNABLE) return St.Blocked;
  const mem = v.vm.mem;
  const waiting = v.info >= 0 && mem.readWord(v.info + INFO.LOCK_WAIT) !== 0;
  const holding = v.info >= 0 && mem.readWord(v.info + INFO.LOCK_COUNT) > (waiting ? 1 : 0);
  if (v.state === VS.RUNNABLE) return holding ? St.PreemptedHolding : St.Preempted;
  return holding ? St.Holding : waiting ? St.Spinning : St.Running;
}

/** Samples of each guest VCPU's state from `from` for `span` cycles of one run. */
function sample(name: string, seed: number, from: number, span: number): St[][] {
  const { hv, vm } = setup({ cpus: 4, strategy: strategy(name), seed, warmup: from, duration: span });
  const rows: St[][] = vm.vcpus.map(() => []);
  const tick = (t: number): void => {
    vm.vcpus.forEach((v, i) => rows[i]!.push(stateOf(v)));
    if (t + SAMPLE < from + span) hv.at(t + SAMPLE, () => tick(t + SAMPLE));
  };
  hv.at(from, () => tick(from));
  hv.run();
  return rows;
}

/** The first sample where a VCPU is preempted holding a lock while a sibling spins. */
function firstEvent(rows: St[][]): number {
  const n = rows[0]!.length;
  for (let i = 0; i < n; i++) {
    if (rows.some((r) => r[i] === St.PreemptedHolding) && rows.some((r) => r[i] === St.Spinning)) return i;
  }
  return -1;
}

/** Four VCPU rows from y, and a time axis under them (ms from `t0`, every ms). */
function strip(rows: St[][], y: number, x0: number, width: number, title: string, t0: number): string[] {
  const out = [`<text x="${x0}" y="${y - 8}" font-size="13">${escapeXml(title)}</text>`];
  const span = rows[0]!.length * SAMPLE;
  const axisY = y + rows.length * 22 + 2;
  for (let c = 0; c <= span; c += CYCLES_PER_MS) {
    const x = (x0 + (c / span) * width).toFixed(1);
    out.push(`<line x1="${x}" x2="${x}" y1="${axisY}" y2="${axisY + 4}" stroke="#666666"/>`,
      `<text x="${x}" y="${axisY + 15}" font-size="9" text-anchor="middle">${((t0 + c) / CYCLES_PER_MS).toFixed(0)}</text>`);
  }
  const w = width / rows[0]!.length;
  rows.forEach((r, vi) => {
    const ry = y + vi * 22;
    out.push(`<text x="${x0 - 8}" y="${ry + 14}" font-size="11" text-anchor="end">VCPU ${vi}</text>`);
    let i = 0;
    while (i < r.length) {
      let j = i;
      while (j < r.length && r[j] === r[i]) j++;
      const colour = STATES.find((s) => s[0] === r[i])![2];
      out.push(`<rect x="${(x0 + i * w).toFixed(1)}" y="${ry}" width="${((j - i) * w).toFixed(1)}" height="18" fill="${colour}" stroke="none"/>`);
      i = j;
    }
    out.push(`<rect x="${x0}" y="${ry}" width="${width}" height="18" fill="none" stroke="#666666"/>`);
  });
  return out;
}

/** The figure, or undefined if no lock-holder preemption with a spinning sibling happened in the searched span. */
export function timelineFigure(seed = 1, warmup = 50 * CYCLES_PER_MS, search = 300 * CYCLES_PER_MS): string | undefined {
  const none = sample('none', seed, warmup, search);
  const at = firstEvent(none);
  if (at < 0) return undefined;
  const t = warmup + at * SAMPLE;
  const from = Math.max(warmup, t - BEFORE);
  const a = Math.round((from - warmup) / SAMPLE);
  const span = BEFORE + AFTER;
  const rowsNone = none.map((r) => r.slice(a, a + span / SAMPLE));
  const rowsIntr = sample('intrusive', seed, from, span);
  const x0 = 80;
  const width = 900;
  const h = 380;
  const ms = (c: number): string => (c / CYCLES_PER_MS).toFixed(1);
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${x0 + width + 20}" height="${h}" viewBox="0 0 ${x0 + width + 20} ${h}" font-family="sans-serif">`,
    `<rect x="0" y="0" width="${x0 + width + 20}" height="${h}" fill="#ffffff"/>`,
    `<text x="${(x0 + width) / 2}" y="20" text-anchor="middle" font-size="15">A lock-holder preemption: 4-VCPU web server, seed ${seed}, ${ms(from)}-${ms(from + span)} ms of virtual time</text>`,
    `<text x="${(x0 + width) / 2}" y="38" text-anchor="middle" font-size="11">Each VCPU's state sampled every ${SAMPLE / CYCLES_PER_US} us (shorter lock holds may fall between samples); each PCPU also runs a competing guest.</text>`,
    ...strip(rowsNone, 75, x0, width, 'none: the holder is preempted, its siblings spin for the lock until their own slices end (time in ms)', from),
    ...strip(rowsIntr, 205, x0, width, 'intrusive (delayed preemption): the same span of the same seed (time in ms)', from),
  ];
  STATES.forEach(([, label, colour], i) => {
    const lx = x0 + (i % 3) * 300;
    const ly = 335 + Math.floor(i / 3) * 20;
    out.push(`<rect x="${lx}" y="${ly}" width="14" height="12" fill="${colour}" stroke="#666666"/>`, `<text x="${lx + 20}" y="${ly + 11}" font-size="11">${escapeXml(label)}</text>`);
  });
  out.push('</svg>', '');
  return out.join('\n');
}
