# lib/fib.s: naive recursive Fibonacci, shared by fib.s, demo.s and the bench.
# fib(a0 = n) -> a0 = fib(n). Frame: ra, s0, s1. Clobbers t0.
fib:
        li      t0, 2
        blt     a0, t0, 1f
        addi    sp, sp, -12
        sw      ra, 0(sp)
        sw      s0, 4(sp)
        sw      s1, 8(sp)
        mv      s0, a0
        addi    a0, a0, -1
        call    fib
        mv      s1, a0
        addi    a0, s0, -2
        call    fib
        add     a0, a0, s1
        lw      ra, 0(sp)
        lw      s0, 4(sp)
        lw      s1, 8(sp)
        addi    sp, sp, 12
1:      ret
