/** The loop both the page and Node run for the MIPS comparison: 2 instructions an iteration. */
export const LOOP = (n: number): string => `        .text
        .global _start
_start: li      t0, 0
        li      t1, ${n}
1:      addi    t0, t0, 1
        blt     t0, t1, 1b
        li      a0, 0
        j       exit
        .include "lib/io.s"
`;
