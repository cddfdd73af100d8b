# sieve.s: sieve of Eratosthenes over 65,536 byte flags, 8 rounds; a0 = primes.
        .equ    N, 65536
        .text
_start:
        li      s3, 8
.round:
        la      a1, flags
        li      t0, 0                   # clear the flags, a word at a time
        li      t1, N
1:      add     t2, a1, t0
        sw      zero, 0(t2)
        addi    t0, t0, 4
        blt     t0, t1, 1b
        li      a2, N
        li      a3, 2
        li      s0, 0
        li      a4, 1
2:      bge     a3, a2, 5f
        add     t0, a1, a3
        lbu     t1, 0(t0)
        bnez    t1, 4f
        addi    s0, s0, 1
        add     t2, a3, a3
3:      bge     t2, a2, 4f
        add     t0, a1, t2
        sb      a4, 0(t0)
        add     t2, t2, a3
        j       3b
4:      addi    a3, a3, 1
        j       2b
5:      addi    s3, s3, -1
        bnez    s3, .round
        mv      a1, s0
        li      a0, HC_SHUTDOWN
        hcall
        .data
        .balign 4096
flags:
