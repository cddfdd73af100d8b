/**
 * The event queue: fires in (time, insertion) order whatever is cancelled,
 * and holds live events only, so guests that re-arm timers or IPC timeouts
 * in a loop cannot grow host memory (the flood guests in test/fixtures/flood).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { EventQueue, type EventHandle } from '../../hypervisor/events.ts';
import { machine } from '../helpers/machine.ts';

const flood = (name: string): string => readFileSync(new URL(`../fixtures/flood/${name}`, import.meta.url), 'utf8');

type Op = { kind: 'at'; time: number } | { kind: 'cancel'; pick: number } | { kind: 'run'; upTo: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('at' as const), time: fc.integer({ min: 0, max: 50 }) }),
  fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('run' as const), upTo: fc.integer({ min: 0, max: 60 }) }),
);

describe('EventQueue', () => {
  it('fires exactly the live events, in (time, insertion) order, and its size is the live count', () => {
    fc.assert(fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
      const q = new EventQueue();
      const fired: number[] = [];
      const expected: number[] = [];
      let live: { id: number; time: number; h: EventHandle }[] = [];
      let id = 0;
      for (const o of ops) {
        if (o.kind === 'at') {
          const me = id++;
          live.push({ id: me, time: o.time, h: q.at(o.time, () => fired.push(me)) });
        } else if (o.kind === 'cancel' && live.length > 0) {
          const [gone] = live.splice(o.pick % live.length, 1);
          q.cancel(gone!.h);
          q.cancel(gone!.h); // twice is harmless
        } else if (o.kind === 'run') {
          const due = live.filter((e) => e.time <= o.upTo).sort((a, b) => a.time - b.time || a.id - b.id);
          expected.push(...due.map((e) => e.id));
          live = live.filter((e) => e.time > o.upTo);
          q.runDue(o.upTo);
        }
        expect(q.size).toBe(live.length);
        expect(q.nextTime()).toBe(live.length ? Math.min(...live.map((e) => e.time)) : Infinity);
      }
      expect(fired).toEqual(expected);
    }), { seed: 19, numRuns: 300 });
  });

  it('cancelling an event that already fired does nothing', () => {
    const q = new EventQueue();
    const a = q.at(1, () => {});
    const b = q.at(2, () => {});
    q.runDue(1);
    q.cancel(a);
    expect(q.size).toBe(1);
    expect(q.nextTime()).toBe(2);
    q.cancel(b);
    expect(q.size).toBe(0);
  });

  it('events scheduled by a firing event at the same time run in the same call', () => {
    const q = new EventQueue();
    const seen: string[] = [];
    q.at(5, () => { seen.push('a'); q.at(5, () => seen.push('c')); });
    q.at(5, () => seen.push('b'));
    expect(q.runDue(5)).toBe(3);
    expect(seen).toEqual(['a', 'b', 'c']);
  });
});

describe('flood guests keep the event queue at the live events', () => {
  it('kernel mode: re-arming the timer with ever earlier deadlines', () => {
    const hv = machine([{ source: flood('timer.s') }], { time: 200_000 });
    let max = 0;
    hv.at(0, function probe() { max = Math.max(max, hv.events.size); hv.at(hv.now() + 1_000, probe); });
    hv.run();
    expect(hv.vms[0]!.vcpus[0]!.hypercalls).toBeGreaterThan(10_000);
    expect(max).toBeLessThanOrEqual(3);
    expect(hv.events.size).toBeLessThanOrEqual(3);
  });

  it('user mode: IPC_CALL with long timeouts while a cap period is pending', () => {
    const hv = machine([
      { source: flood('ipc-server.s'), cap: 90 },
      { source: flood('ipc-client.s') },
    ], { pcpus: 2, time: 1_000_000 });
    let max = 0;
    hv.at(0, function probe() { max = Math.max(max, hv.events.size); hv.at(hv.now() + 1_000, probe); });
    hv.run();
    expect(hv.vms[1]!.vcpus[0]!.hypercalls).toBeGreaterThan(1_000);
    // The probe, the cap period, at most one timeout per VCPU.
    expect(max).toBeLessThanOrEqual(4);
  });
});
