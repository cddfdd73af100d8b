/**
 * A generated assembly file of a given number of lines for timing the
 * assembler: functions with labels, local labels, branches, loads and
 * stores, pseudo-instructions, expressions and data, in a repeating mix.
 */
export function generateAsm(lines: number): string {
  const out: string[] = ['        .text', '        .global _start', '_start:'];
  let f = 0;
  const DATA_LINES = 65;
  while (out.length + 14 + DATA_LINES <= lines) {
    out.push(
      `func${f}:`,
      `        addi    sp, sp, -8`,
      `        sw      ra, 0(sp)`,
      `        li      t0, ${(f * 7919) % 100000}`,
      `1:      addi    t0, t0, -1`,
      `        lw      t1, 4(sp)`,
      `        add     t2, t1, t0`,
      `        andi    t2, t2, 0xff`,
      `        bnez    t0, 1b`,
      `        la      a0, data${f % 64}`,
      `        sb      t2, (${f} % 4)(a0)`,
      `        lw      ra, 0(sp)`,
      `        addi    sp, sp, 8`,
      `        ret`,
    );
    f++;
  }
  while (out.length + DATA_LINES < lines) out.push('        nop');
  out.push('        .data');
  for (let d = 0; d < 64; d++) out.push(`data${d}: .word ${d}, ${d} * 2, 'a' + ${d % 26}`);
  return `${out.join('\n')}\n`;
}
