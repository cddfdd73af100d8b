/**
 * The IPC rows: IPC_SEND, IPC_RECV and IPC_CALL between VMs: the message
 * and sender, queueing, RECV from one VM, timeouts (0, finite, none left
 * behind, not woken by interrupts) and every error, including a peer that
 * shuts down. Guests: guests/ipc/*.s; results that depend on which VM a
 * shared guest plays are here.
 */
import { describe, expect, it } from 'vitest';
import { E } from '../../../isa/hypercalls.ts';
import { expectClean, expectPromises, QUANTUM, run } from './run.ts';

const client = (server: number) => ({ file: 'ipc/client.s', defines: { SERVER: server } });
const send = (to: number, base: number) => ({ file: 'ipc/send.s', defines: { TO: to, BASE: base } });

describe('IPC_SEND / IPC_RECV / IPC_CALL', () => {
  for (const pcpus of [1, 2]) {
    it(`CALL and a server's RECV + SEND: message in a3..a5, sender in a1 (server first, ${pcpus} PCPU${pcpus > 1 ? 's' : ''})`, () => {
      const r = run(['ipc/server.s', client(0)], { pcpus });
      expect(r.resN(6, 0)).toEqual([0, 1, 10, 0x80000000 | 0, -1, 0]);
      expect(r.resN(5, 1)).toEqual([0, 0, 11, 0x80000001 | 0, 0]);
      expectClean(r, 0);
      expectClean(r, 1);
    });
  }

  it('CALL before the server receives: the caller queues, then gets the reply', () => {
    const r = run([client(1), 'ipc/server.s']);
    expect(r.resN(6, 1)).toEqual([0, 0, 10, 0x80000000 | 0, -1, 0]);
    expect(r.resN(5, 0)).toEqual([0, 1, 11, 0x80000001 | 0, 0]);
    expectClean(r, 0);
    expectClean(r, 1);
  });

  it('SEND blocks until received; RECV from a given VM takes only its messages', () => {
    const r = run(['ipc/recv-from.s', send(0, 1), send(0, 7)]);
    expectPromises(r);
    expect(r.res(0, 1)).toBe(0);
    expect(r.res(0, 2)).toBe(0);
    for (const vm of [0, 1, 2]) expectClean(r, vm);
  });

  it('E_TIMEOUT at once with timeout 0 when nobody waits', () => {
    const r = run(['ipc/timeout-zero.s', 'idle.s']); // VM 1: runnable, never receiving
    expectPromises(r);
    expect(r.res(4)).toBeLessThan(200);
    expectClean(r, 0);
    expectClean(r, 1);
  });

  it('a finite timeout expires with E_TIMEOUT at the right virtual time (RECV, SEND, CALL)', () => {
    const r = run(['ipc/timeouts.s', 'ipc/timeouts-peer.s'], { pcpus: 2, time: 3_000_000 });
    expectPromises(r, 0);
    for (const late of [r.res(1), r.res(3), r.res(5)]) {
      expect(late).toBeGreaterThanOrEqual(0);
      expect(late).toBeLessThan(50);
    }
    expectPromises(r, 1); // the CALL was received: it timed out waiting for the reply
    expectClean(r, 0);
    expectClean(r, 1);
  });

  it('a CALL taken at once by a waiting server times out from the call, waiting for the reply', () => {
    const r = run(['ipc/call-taken.s', 'ipc/call-taken-peer.s'], { pcpus: 2 });
    expectPromises(r, 0);
    expect(r.res(1)).toBeGreaterThanOrEqual(30_000);
    expect(r.res(1)).toBeLessThan(30_000 + QUANTUM);
    expectPromises(r, 1);
    expectClean(r, 0);
    expectClean(r, 1);
  });

  it('a completed IPC leaves no timeout behind: the next wait gets its full time', () => {
    const r = run(['ipc/no-leftover.s', 'ipc/no-leftover-peer.s'], { pcpus: 2 });
    expectPromises(r, 0);
    expect(r.res(4)).toBeGreaterThanOrEqual(100_000);
    expect(r.res(4)).toBeLessThan(100_000 + QUANTUM);
    expectPromises(r, 1);
    expectClean(r, 0);
    expectClean(r, 1);
  });

  it('an IPC wait is not woken by interrupts', () => {
    const r = run(['ipc/not-woken.s'], { pcpus: 2 });
    expectPromises(r);
    expect(r.res(1)).toBeGreaterThanOrEqual(20_000);
    expect(r.res(1)).toBeLessThan(20_100);
    expectClean(r);
  });

  it('E_NOENT for a VM that does not exist or has stopped; RECV(-1) still just times out', () => {
    const r = run(['ipc/noent.s', { file: 'vcpu/shutdown-code.s', defines: { CODE: 3 } }]);
    expectPromises(r);
    expectClean(r);
  });

  it('E_INVAL for timeout < -1', () => {
    const r = run(['ipc/inval.s', 'ipc/recv-now.s']);
    expectPromises(r, 0);
    expectPromises(r, 1); // nothing was sent to VM 1
    expectClean(r, 0);
    expectClean(r, 1);
  });

  it('a client CALLing a server that shuts down after receiving gets E_NOENT', () => {
    const r = run(['ipc/server-dies.s', client(0)]);
    expectPromises(r, 0);
    expect(r.hv.vms[0]!.exitCode).toBe(r.promised[0]!.exit);
    expect(r.res(0, 1)).toBe(E.NOENT);
    expectClean(r, 1);
  });

  it('a client CALLing (or SENDing to) a server that shuts down before receiving gets E_NOENT', () => {
    const r = run([client(2), send(2, 1), 'ipc/dies-early.s']);
    expect(r.res(0, 0)).toBe(E.NOENT);
    expect(r.res(0, 1)).toBe(E.NOENT);
    expect(r.hv.vms[2]!.exitCode).toBe(r.promised[2]!.exit);
    expectClean(r, 0);
    expectClean(r, 1);
  });
});
