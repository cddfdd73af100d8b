/**
 * The grant rows: GRANT, GRANT_MAP and GRANT_REVOKE between VMs: shared
 * reads and writes, multi-page grants, read-only grants, revocation and the
 * granter stopping (each seen by the receiver as a fault), and every error
 * with its condition. Guests: guests/grants/*.s; the faults a receiver
 * stops with are checked here.
 */
import { describe, expect, it } from 'vitest';
import { GRANT_WINDOW } from '../../../isa/memory.ts';
import { CAUSE } from '../../../isa/traps.ts';
import { MAX_GRANTS } from '../../../isa/hypercalls.ts';
import { expectClean, expectPromises, run } from './run.ts';

describe('GRANT / GRANT_MAP / GRANT_REVOKE', () => {
  it('a writable grant: each VM reads what the other wrote (and CONSOLE_WRITE reads through the window)', () => {
    const r = run(['grants/write-granter.s', 'grants/write-receiver.s']);
    expectPromises(r, 0);
    expectPromises(r, 1);
    expect(r.out[1]).toBe('DCBA');
    expectClean(r, 0);
    expectClean(r, 1);
  });

  it('a multi-page grant mapped inside the window reaches every page', () => {
    const r = run(['grants/multi-granter.s', 'grants/multi-receiver.s']);
    expectPromises(r, 1);
    expectClean(r, 0);
    expectClean(r, 1);
  });

  it('a read-only grant: the receiver reads, its write faults (STORE_PAGE_FAULT) and stops only VM 1', () => {
    const r = run(['grants/ro-granter.s', 'grants/ro-receiver.s']);
    expectPromises(r, 0);
    expectClean(r, 0);
    expectPromises(r, 1);
    const vm1 = r.hv.vms[1]!;
    expect(vm1.state).toBe('fault');
    expect(vm1.fault?.cause).toBe(CAUSE.STORE_PAGE_FAULT);
    expect(vm1.fault?.addr).toBe(GRANT_WINDOW + 4);
  });

  it('GRANT_REVOKE: the receiver\'s next access (even through a warm TLB) is a BUS_ERROR', () => {
    const r = run(['grants/revoke-granter.s', 'grants/revoke-receiver.s']);
    expectPromises(r, 0);
    expectClean(r, 0);
    expectPromises(r, 1);
    const vm1 = r.hv.vms[1]!;
    expect(vm1.state).toBe('fault');
    expect(vm1.fault?.cause).toBe(CAUSE.BUS_ERROR);
    expect(vm1.fault?.addr).toBe(GRANT_WINDOW);
    expect(vm1.mem.grants[0]).toBe(-1);
  });

  it('the grant goes away when the granter stops: the receiver gets a BUS_ERROR', () => {
    const r = run(['grants/stop-granter.s', 'grants/stop-receiver.s']);
    expect(r.hv.vms[0]!.exitCode).toBe(r.promised[0]!.exit);
    expectPromises(r, 1);
    expect(r.hv.vms[1]!.fault?.cause).toBe(CAUSE.BUS_ERROR);
  });

  it('GRANT: E_NOENT (bad, own or stopped VM), E_INVAL (address, pages, range, flags); failed calls allocate no id', () => {
    const r = run(['grants/grant-errors.s', 'grants/wait-vm0.s', { file: 'vcpu/shutdown-code.s', defines: { CODE: 0 } }]);
    expectPromises(r); // res[40]: VM 2 stopped
    expectClean(r, 0);
    expectClean(r, 1);
  });

  it(`GRANT: E_NOSPACE beyond MAX_GRANTS (${MAX_GRANTS}); a revoke frees a slot`, () => {
    const r = run(['grants/grant-nospace.s', 'grants/wait-vm0.s']);
    expectPromises(r);
    expectClean(r, 0);
    expectClean(r, 1);
  });

  it('GRANT_MAP: E_NOENT, E_STATE, E_INVAL, E_NOSPACE with their conditions', () => {
    const r = run(['grants/map-granter.s', 'grants/map-errors.s', 'grants/map-other.s']);
    for (const vm of [0, 1, 2]) expectPromises(r, vm);
    for (const vm of [0, 1, 2]) expectClean(r, vm);
  });

  it('GRANT_REVOKE: E_NOENT for an id the caller does not have (bad, already revoked, another VM\'s)', () => {
    const r = run(['grants/revoke-errors.s', 'grants/revoke-other.s']);
    expectPromises(r, 0);
    expectPromises(r, 1);
    expectClean(r, 0);
    expectClean(r, 1);
  });
});
