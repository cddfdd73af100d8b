# sieve.s: the sieve of Eratosthenes over N bytes of flags placed after the
# image (memory beyond the image reads as zero).
#
# expect: primes below 100000: 9592
# expect: largest: 99991
        .equ    N, 100000
        .text
        .global _start
_start:
        la      s0, flags
        li      s1, N
        li      s2, 2                   # i
        li      s3, 0                   # count
        li      a5, 0                   # largest prime so far
.next_i:
        bge     s2, s1, .done
        add     t0, s0, s2
        lbu     t1, 0(t0)
        bnez    t1, .composite
        addi    s3, s3, 1
        mv      a5, s2
        add     t2, s2, s2              # j = 2i
        li      a4, 1
.mark:
        bge     t2, s1, .composite
        add     t0, s0, t2
        sb      a4, 0(t0)
        add     t2, t2, s2
        j       .mark
.composite:
        addi    s2, s2, 1
        j       .next_i
.done:
        mv      s2, a5
        la      a0, msg
        call    puts
        mv      a0, s3
        call    putint
        call    newline
        la      a0, msg2
        call    puts
        mv      a0, s2
        call    putint
        call    newline
        li      a0, 0
        j       exit

        .include "lib/io.s"

        .data
msg:    .asciz  "primes below 100000: "
msg2:   .asciz  "largest: "
        .balign 4
flags:                                  # N bytes of zeroed memory from here on
