/**
 * The network device's configuration (VmConfig.net): the load generator's
 * settings, their defaults and their checks, read from NET_FIELDS. The
 * device itself is hypervisor/devices/net.ts.
 */
import { NET_FIELDS } from './fields.ts';

/** The load generator's settings (VmConfig.net). */
export interface NetOptions {
  /** Simulated clients, 1..NET_MAX_CLIENTS (64); default 16. */
  clients?: number;
  /** Mean think time between a response and the client's next request, in microseconds of virtual time (exponential); default 0: at once. */
  thinkUs?: number;
  /** Files in the file set, 1..NET_MAX_FILES (192); default 64. */
  files?: number;
  /** Requests per client: a client stops after this many responses; default unlimited. */
  requests?: number;
  /** Seed of the file set and the client streams; default the machine seed. */
  seed?: number;
  /** Called once when every client has received its `requests` responses (programmatic only). */
  onComplete?: () => void;
}

export const NET_DEFAULTS = { clients: NET_FIELDS.clients.default, thinkUs: 0, files: NET_FIELDS.files.default } as const;

/** What is wrong with a NetOptions, as [field, problem] pairs (empty when it is valid). */
export function netOptionProblems(o: NetOptions): [string, string][] {
  const out: [string, string][] = [];
  for (const k of ['clients', 'files', 'requests', 'seed'] as const) {
    const p = o[k] === undefined ? undefined : NET_FIELDS[k].kind.problem(o[k]);
    if (p) out.push([k, p]);
  }
  if (o.thinkUs !== undefined && (typeof o.thinkUs !== 'number' || !Number.isFinite(o.thinkUs) || o.thinkUs < 0)) {
    out.push(['thinkUs', `must be a non-negative number of microseconds, got ${JSON.stringify(o.thinkUs) ?? String(o.thinkUs)}`]);
  }
  if (o.onComplete !== undefined && typeof o.onComplete !== 'function') out.push(['onComplete', 'must be a function']);
  return out;
}
