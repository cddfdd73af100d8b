# demo.s: what `npm start` runs. A tour in one program: console output
# through hypercalls, recursion on the stack, a memory-heavy loop, and the
# virtual clock (rdtime) to time each part in virtual cycles.
#
# expect: paravm demo: a guest program on the paravm ISA, bare metal
# expect: fib(27) = 196418
# expect-re: ^   \(\d+ virtual cycles\)$
# expect: primes below 1000000: 78498
# expect-re: ^   \(\d+ virtual cycles\)$
# expect: checksum of 256 KiB copied 16 times: 0xfffe0000
# expect-re: ^   \(\d+ virtual cycles\)$
        .equ    N, 1000000
        .equ    COPY_BYTES, 262144
        .text
        .global _start
# timed ROUTINE, TITLE, PRINT: call ROUTINE, print TITLE and its result
# (with PRINT), then the virtual cycles the call took, read with rdtime.
        .macro  timed routine, title, print
        rdtime  s0
        call    \routine
        mv      s1, a0
        la      a0, \title
        call    puts
        mv      a0, s1
        call    \print
        rdtime  a0
        sub     a0, a0, s0
        call    report_cycles
        .endm

_start:
        la      a0, banner
        call    puts
        timed   fib27, s_fib, putint
        timed   sieve, s_sieve, putint
        timed   copy_test, s_copy, puthex
        li      a0, 0
        j       exit

fib27:
        li      a0, 27
        j       fib

# report_cycles(a0 = cycles): "\n   (<n> virtual cycles)\n".
report_cycles:
        addi    sp, sp, -8
        sw      ra, 0(sp)
        sw      s0, 4(sp)
        mv      s0, a0
        la      a0, s_open
        call    puts
        mv      a0, s0
        call    putint
        la      a0, s_cycles
        call    puts
        lw      ra, 0(sp)
        lw      s0, 4(sp)
        addi    sp, sp, 8
        ret

        .include "lib/fib.s"

# sieve() -> a0 = number of primes below N, flags in the free memory at heap.
sieve:
        la      a1, heap
        li      a2, N
        li      a3, 2
        li      a0, 0
        li      a4, 1
1:      bge     a3, a2, 4f
        add     t0, a1, a3
        lbu     t1, 0(t0)
        bnez    t1, 3f
        addi    a0, a0, 1
        add     t2, a3, a3
2:      bge     t2, a2, 3f
        add     t0, a1, t2
        sb      a4, 0(t0)
        add     t2, t2, a3
        j       2b
3:      addi    a3, a3, 1
        j       1b
4:      ret

# copy_test() -> a0 = sum of the words of a 256 KiB buffer after copying it
# back and forth 16 times (word copies through lw/sw).
copy_test:
        la      a1, heap
        li      t0, COPY_BYTES / 4
        li      t1, 0
1:      sw      t1, 0(a1)               # fill: word i = i * 4
        addi    a1, a1, 4
        addi    t1, t1, 4
        addi    t0, t0, -1
        bnez    t0, 1b
        li      a5, 16
2:      la      a1, heap
        li      a2, COPY_BYTES
        add     a2, a1, a2              # destination: right after the source
        li      t0, COPY_BYTES / 4
3:      lw      t1, 0(a1)
        sw      t1, 0(a2)
        addi    a1, a1, 4
        addi    a2, a2, 4
        addi    t0, t0, -1
        bnez    t0, 3b
        addi    a5, a5, -1
        bnez    a5, 2b
        la      a1, heap
        li      t0, COPY_BYTES
        add     a1, a1, t0
        li      t0, COPY_BYTES / 4
        li      a0, 0
4:      lw      t1, 0(a1)
        add     a0, a0, t1
        addi    a1, a1, 4
        addi    t0, t0, -1
        bnez    t0, 4b
        ret

        .include "lib/io.s"

        .data
banner:     .asciz "paravm demo: a guest program on the paravm ISA, bare metal\n"
s_fib:      .asciz "fib(27) = "
s_sieve:    .asciz "primes below 1000000: "
s_copy:     .asciz "checksum of 256 KiB copied 16 times: "
s_open:     .asciz "\n   ("
s_cycles:   .asciz " virtual cycles)\n"
            .balign 4096
heap:
