# workers.s: parallel workers. The main thread starts WORKERS threads; each
# sums the squares of its own range and sends the result to mailbox 0; the
# main thread adds up the WORKERS results and prints the total.
# expect: workers: 4 threads, sum of squares below 40000 = 21332533340000 mod 2^32 = 3725748064
        .include "../../guest-kernel/abi.inc"
        .equ    WORKERS, 4
        .equ    N, 40000
        .equ    BOX, 0
        .org    0x00400000
        .text
_start:
        la      a0, worker
        li      a1, WORKERS
        call    start_threads
        li      a0, BOX                         # collect the partial sums
        li      a1, WORKERS
        call    collect
        mv      s1, a0
        la      a0, msg
        mv      a1, s1
        call    putline
        li      a0, 0
        call    exit

# worker(a0 = index): squares of [index * N/WORKERS, (index+1) * N/WORKERS)
worker:
        li      t0, N / WORKERS
        mul     s0, a0, t0                      # i
        add     s1, s0, t0                      # end
        li      s2, 0
1:      mul     t1, s0, s0
        add     s2, s2, t1
        addi    s0, s0, 1
        bne     s0, s1, 1b
        li      a0, SYS_SEND
        li      a1, BOX
        mv      a2, s2
        syscall
        li      a0, 0
        call    exit

        .include "ulib.inc"
        .data
msg:    .asciz  "workers: 4 threads, sum of squares below 40000 = 21332533340000 mod 2^32 = "
