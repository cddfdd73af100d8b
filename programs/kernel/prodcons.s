# prodcons.s: a producer thread sends 1..COUNT through mailbox BOX (16 slots,
# so it blocks when the consumer falls behind); the main thread receives and
# adds them up, and checks that they arrive in order.
# expect: prodcons: 500 values received in order, sum = 125250
        .include "../../guest-kernel/abi.inc"
        .equ    COUNT, 500
        .equ    BOX, 2
        .org    0x00400000
        .text
_start:
        li      a0, SYS_THREAD
        la      a1, producer
        li      a2, 0
        syscall
        bltz    a0, fail
        li      s0, 1                           # next expected
        li      s1, 0                           # sum
1:      li      a0, SYS_RECV
        li      a1, BOX
        syscall
        bne     a0, s0, fail
        add     s1, s1, a0
        addi    s0, s0, 1
        li      t0, COUNT + 1
        bne     s0, t0, 1b
        la      a0, msg
        mv      a1, s1
        call    putline
        li      a0, 0
        call    exit
fail:   la      a0, bad
        call    puts
        li      a0, 1
        call    exit

producer:
        li      s0, 1
1:      li      a0, SYS_SEND
        li      a1, BOX
        mv      a2, s0
        syscall
        addi    s0, s0, 1
        li      t0, COUNT + 1
        bne     s0, t0, 1b
        li      a0, 0
        call    exit

        .include "ulib.inc"
        .data
msg:    .asciz  "prodcons: 500 values received in order, sum = "
bad:    .asciz  "prodcons: a value arrived out of order\n"
