# lockstress.s: THREADS threads (spread over every VCPU by the balancer)
# each add 1 to the kernel's shared counter ROUNDS times through SYS_COUNT,
# which takes a kernel spinlock; then the main thread reads the counter. The
# count is exact with either lock kind however the VCPUs interleave.
# expect: lockstress: 8 threads, counter = 2000
        .include "../../guest-kernel/abi.inc"
        .equ    THREADS, 8
        .ifndef ROUNDS                          # -D ROUNDS=N for a longer run
        .equ    ROUNDS, 250
        .endif
        .equ    BOX, 1
        .org    0x00400000
        .text
_start:
        la      a0, worker
        li      a1, THREADS
        call    start_threads
        li      a0, BOX                         # wait for every worker
        li      a1, THREADS
        call    collect
        li      a0, SYS_COUNT                   # add 0: read it
        li      a1, 0
        syscall
        mv      s1, a0
        la      a0, msg
        mv      a1, s1
        call    putline
        li      a0, 0
        call    exit

worker:
        li      s0, ROUNDS
1:      li      a0, SYS_COUNT
        li      a1, 1
        syscall
        li      t0, 20                          # some user work between the critical sections
2:      addi    t0, t0, -1
        bnez    t0, 2b
        addi    s0, s0, -1
        bnez    s0, 1b
        li      a0, SYS_SEND
        li      a1, BOX
        li      a2, 1
        syscall
        li      a0, 0
        call    exit

        .include "ulib.inc"
        .data
msg:    .asciz  "lockstress: 8 threads, counter = "
