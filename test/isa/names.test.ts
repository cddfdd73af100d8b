/**
 * The ISA's name maps are keyed by the tables' literal names: a misspelt
 * name does not compile. `npx tsc --noEmit` (run by CI before the tests)
 * fails if any `@ts-expect-error` below stops being an error.
 */
import { describe, expect, it } from 'vitest';
import { CSR } from '../../isa/csrs.ts';
import { INFO } from '../../isa/infopage.ts';
import { NET, RXD, TXD } from '../../isa/net.ts';
import { OP } from '../../isa/opcodes.ts';
import { REG } from '../../isa/registers.ts';
import { CAUSE, IRQ } from '../../isa/traps.ts';

describe('ISA name maps', () => {
  it('give a number for every real name, and a misspelt name is a type error', () => {
    expect(typeof CAUSE.ILLEGAL_INSTRUCTION + typeof IRQ.TIMER + typeof REG.a0 + typeof CSR.STATUS).toBe('numbernumbernumbernumber');
    expect(typeof INFO.LOCK_COUNT + typeof NET.RX_PROD + typeof RXD.CONN + typeof TXD.LEN + typeof OP.add).toBe('numbernumbernumbernumbernumber');
    // @ts-expect-error -- no such cause
    expect(CAUSE.NO_SUCH_CAUSE).toBeUndefined();
    // @ts-expect-error -- registers are spelt a0..a5
    expect(REG.a9).toBeUndefined();
    // @ts-expect-error -- no such info-page field
    expect(INFO.LOCK_CNT).toBeUndefined();
  });
});
