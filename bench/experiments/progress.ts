/**
 * How a running sweep shows its progress: on a terminal one bar redrawn in
 * place (runs done of all, elapsed time, ETA); elsewhere (CI, batch logs)
 * one line per finished run. The ETA counts only runs finished by this
 * process, so resumed runs do not make it optimistic. Caller: the command
 * line, from the engine's onProgress.
 */

export interface Progress {
  /** Runs finished, including those found done (--resume). */
  done: number;
  total: number;
  /** Of `done`, the runs found done at the start. */
  resumed: number;
  /** Milliseconds since this process started the sweep. */
  elapsedMs: number;
  /** The run that just finished (absent for the first call, before any run). */
  key?: string;
}

/** 75 s -> "1:15"; 3725 s -> "1:02:05". */
export function clock(ms: number): string {
  const s = Math.round(ms / 1000);
  const [h, m, sec] = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
  const two = (n: number): string => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(sec)}` : `${m}:${two(sec)}`;
}

/** Milliseconds still to go at the rate of the runs this process finished, or undefined before the first. */
export function eta(p: Progress): number | undefined {
  const ran = p.done - p.resumed;
  return ran > 0 ? (p.elapsedMs / ran) * (p.total - p.done) : undefined;
}

const etaText = (p: Progress): string => {
  const e = eta(p);
  return e === undefined ? 'ETA -' : `ETA ${clock(e)}`;
};

/** The terminal's bar, redrawn with \r. */
export function progressBar(p: Progress, width = 30): string {
  const fill = p.total === 0 ? width : Math.round((p.done / p.total) * width);
  return `\r  [${'='.repeat(fill)}${' '.repeat(width - fill)}] ${p.done}/${p.total}  ${clock(p.elapsedMs)} elapsed, ${etaText(p)}  `;
}

/** The log line for a run that finished. */
export function progressLine(p: Progress): string {
  return `paravm: ${String(p.done).padStart(String(p.total).length)}/${p.total} ${p.key ?? ''} (${clock(p.elapsedMs)} elapsed, ${etaText(p)})`;
}
