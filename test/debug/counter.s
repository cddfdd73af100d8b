# counter.s: a call, a store to a data word and a break instruction, for the debugger's tests.
        .text
        .global _start
_start:
        li      s0, 3
        la      s1, counter
1:      mv      a0, s0
        call    bump
        addi    s0, s0, -1
        bnez    s0, 1b
        break
        lw      a0, 0(s1)
        j       exit

# bump: counter += a0 (a leaf with a frame, so the backtrace has something to unwind).
bump:
        addi    sp, sp, -8
        sw      ra, 4(sp)
        lw      t0, 0(s1)
        add     t0, t0, a0
        sw      t0, 0(s1)
        lw      ra, 4(sp)
        addi    sp, sp, 8
        ret

        .include "lib/io.s"

        .data
counter: .word  0
