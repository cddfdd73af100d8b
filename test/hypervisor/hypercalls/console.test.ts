/**
 * The console rows: CONSOLE_PUTC and CONSOLE_WRITE, their results, the bytes
 * they write, and every error with its condition, from kernel and user mode.
 * Guests: guests/console/*.s (their expected results and lines are in the
 * files); byte-exact output a line cannot state is checked here.
 */
import { describe, expect, it } from 'vitest';
import { CONSOLE_WRITE_MAX } from '../../../isa/hypercalls.ts';
import { expectClean, expectPromisedWords, expectPromises, expectUserDone, run1 } from './run.ts';

describe('CONSOLE_PUTC', () => {
  it('writes the low 8 bits of ch and returns 0', () => {
    const r = run1('console/putc.s');
    expectPromisedWords(r);
    expect(r.out[0]).toBe('oK\xff\n');
    expectClean(r);
  });
});

describe('CONSOLE_WRITE', () => {
  it('writes len bytes at addr and returns len', () => {
    const r = run1('console/write.s');
    expectPromises(r);
    expect(r.out[0]).toBe('hello, world\nhello');
    expectClean(r);
  });

  it(`accepts exactly CONSOLE_WRITE_MAX (${CONSOLE_WRITE_MAX}) bytes and a buffer ending at the last byte of memory`, () => {
    const r = run1('console/write-max.s');
    expectPromisedWords(r);
    expect(r.out[0]!.length).toBe(CONSOLE_WRITE_MAX + 4);
    expect(r.out[0]!.endsWith('abcd')).toBe(true);
    expectClean(r);
  });

  it('E_INVAL: len < 0 or len > CONSOLE_WRITE_MAX (nothing written)', () => {
    const r = run1('console/write-inval.s');
    expectPromises(r);
    expect(r.out[0]).toBe('');
    expectClean(r);
  });

  it('E_FAULT in kernel mode: unmapped user address, beyond memory, straddling the end, empty grant window', () => {
    const r = run1('console/write-fault-kernel.s');
    expectPromises(r);
    expect(r.out[0]).toBe('');
    expectClean(r);
  });

  it('E_FAULT in user mode: kernel buffer, unmapped page, buffer running into an unmapped page', () => {
    const r = run1('console/write-fault-user.s');
    expectPromises(r);
    expect(r.out[0]).toBe('from user mode\n');
    expectUserDone(r);
  });
});
