/**
 * The sensitivity sweep (`paravm experiment lhp --sensitivity`): each model
 * parameter the conclusions might depend on is moved on its own, every other
 * one at its default, and none and the paper's two remedies run at each
 * point. One figure per axis shows spin time and lock time of each strategy
 * against the parameter, and the remedies' bandwidth over none's, so a reader
 * sees which conclusions hold across the range and which do not.
 * docs/experiments.md gives each axis's range and the source of its default.
 */
import type { LockKind } from '../../../guest-kernel/loader/index.ts';
import { CYCLES_PER_MS } from '../../../isa/clock.ts';
import { COMPETITORS, type CompetitorKind, type LhpOptions } from './sweep.ts';

/** What a sensitivity point changes from the defaults (JSON-able: it travels to workers). */
export interface Knobs {
  /** PCPUs of the 4-VCPU guest (over-commit = 4 / pcpus). */
  pcpus?: number;
  /** The competitors' share of each PCPU; the guest's is 1 - share. */
  share?: number;
  sliceMs?: number;
  jitterMs?: number;
  /** httpd.s WORK: user-level iterations per request (2 cycles each). */
  work?: number;
  locks?: LockKind;
  /** httpd.s THREADS: server threads. */
  threads?: number;
  /** Closed-loop clients of the load generator. */
  clients?: number;
  competitor?: CompetitorKind;
  /** The remedies' bound: intrusive's longest extension and non-intrusive's longest deferral, together. */
  boundMs?: number;
}

export interface SensitivityAxis {
  name: string;
  /** What the axis varies, for the figure. */
  label: string;
  points: { label: string; knobs: Knobs }[];
}

const pts = <T>(values: readonly T[], label: (v: T) => string, knobs: (v: T) => Knobs): { label: string; knobs: Knobs }[] =>
  values.map((v) => ({ label: label(v), knobs: knobs(v) }));

/** The axes, each with its points (the default's point included, so each figure shows where the main sweep sits). */
export const SENSITIVITY: readonly SensitivityAxis[] = [
  { name: 'share', label: 'the competitor\'s share of each PCPU (guest: the rest)', points: pts([0.5, 0.67, 0.75], (s) => `${Math.round(100 * (1 - s))}%`, (share) => ({ share })) },
  { name: 'overcommit', label: 'VCPUs per PCPU (4 VCPUs on 4 or 2 PCPUs, each PCPU also running a competitor)', points: pts([4, 2], (p) => `${4 / p}:1`, (pcpus) => ({ pcpus })) },
  { name: 'slice', label: 'hypervisor slice (ms)', points: pts([5, 10, 30], (m) => `${m}`, (sliceMs) => ({ sliceMs })) },
  { name: 'jitter', label: 'slice jitter (ms, slice ± half)', points: pts([0, 1, 4, 8], (m) => `${m}`, (jitterMs) => ({ jitterMs })) },
  { name: 'work', label: 'user work per request (httpd.s WORK, iterations of 2 cycles)', points: pts([1000, 5000, 20000], (w) => `${w}`, (work) => ({ work })) },
  { name: 'locks', label: 'kernel spinlock', points: pts<LockKind>(['ttas', 'ticket', 'queued'], (l) => l, (locks) => ({ locks })) },
  { name: 'threads', label: 'server threads (16 clients)', points: pts([4, 8, 16], (t) => `${t}`, (threads) => ({ threads })) },
  { name: 'clients', label: 'closed-loop clients (8 server threads)', points: pts([8, 16, 32], (c) => `${c}`, (clients) => ({ clients })) },
  { name: 'competitor', label: 'competitor', points: pts(COMPETITORS, (c) => c, (competitor) => ({ competitor })) },
  { name: 'bound', label: 'delay bound and safe-point window (ms)', points: pts([0.5, 2, 8], (m) => `${m}`, (boundMs) => ({ boundMs })) },
];

/** The strategies each point runs: the baseline and the paper's two remedies (bandwidth is compared with none's). */
export const SENSITIVITY_STRATEGIES = ['none', 'intrusive', 'nonintrusive'] as const;

/** A run's options from its knobs (over the main sweep's defaults). */
export function knobOptions(k: Knobs = {}): Partial<LhpOptions> {
  const defines: Record<string, number> = {};
  if (k.work !== undefined) defines.WORK = k.work;
  if (k.threads !== undefined) defines.THREADS = k.threads;
  return {
    ...(k.pcpus !== undefined ? { pcpus: k.pcpus } : {}),
    ...(k.share !== undefined ? { competitorShare: k.share } : {}),
    ...(k.sliceMs !== undefined ? { slice: k.sliceMs * CYCLES_PER_MS } : {}),
    ...(k.jitterMs !== undefined ? { sliceJitter: Math.round(k.jitterMs * CYCLES_PER_MS) } : {}),
    ...(k.locks !== undefined ? { locks: k.locks } : {}),
    ...(k.clients !== undefined ? { net: { clients: k.clients } } : {}),
    ...(k.competitor !== undefined ? { competitor: k.competitor } : {}),
    ...(k.boundMs !== undefined ? { delayBound: k.boundMs * CYCLES_PER_MS, safePointWindow: k.boundMs * CYCLES_PER_MS } : {}),
    ...(Object.keys(defines).length > 0 ? { defines } : {}),
  };
}
