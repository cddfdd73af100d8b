/**
 * TLB_FLUSH: which masks it accepts (up to MAX_VCPUS VCPUs), and that it
 * drops stale translations from the caller's TLB and from exactly the
 * siblings in the mask. Guests: guests/tlb/*.s.
 */
import { describe, expect, it } from 'vitest';
import { MAX_VCPUS } from '../../../isa/hypercalls.ts';
import { expectClean, expectPromises, run1 } from './run.ts';

describe('TLB_FLUSH', () => {
  it('accepts masks of existing VCPUs; E_NOENT for a bit beyond vcpus', () => {
    const r = run1('tlb/masks.s', { vcpus: 2 });
    expectPromises(r);
    expectClean(r);
  });

  it('with 31 and 32 VCPUs: bit 31 is VCPU 31', () => {
    expectPromises(run1('tlb/mask31.s', { vcpus: 31 }));
    expectPromises(run1('tlb/mask32.s', { vcpus: MAX_VCPUS }));
  });

  it('flushes the caller\'s own TLB (bit 0): a stale translation goes away', () => {
    const r = run1('tlb/own.s');
    expectPromises(r);
    expectClean(r);
  });

  for (const [mask, seen] of [[2, 0x222], [1, 0x111]] as const) {
    it(`mask ${mask} ${mask === 2 ? 'flushes' : 'leaves'} VCPU 1's TLB`, () => {
      const r = run1({ file: 'tlb/sibling.s', defines: { MASK: mask } }, { vcpus: 2 }, { pcpus: 2 });
      expectPromises(r);
      expect(r.res(2)).toBe(seen);
      expectClean(r);
    });
  }
});
