# count.s: the simplest hot loop: count down from 20,000,000.
        .text
_start:
        li      t0, 20000000
1:      addi    t0, t0, -1
        bnez    t0, 1b
        li      a0, HC_SHUTDOWN
        li      a1, 0
        hcall
