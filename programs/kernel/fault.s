# fault.s: a process that loads from address 0 (never mapped). The kernel
# kills it with a message naming the process, the pc and the cause, and goes
# on: run it together with other programs to see them finish.
# expect-re: ^kernel: process \d+ \(fault\.s\) killed: LOAD_PAGE_FAULT at pc 0x0040000c, address 0x00000000, cpu \d+$
        .include "../../guest-kernel/abi.inc"
        .org    0x00400000
        .text
_start:
        la      a0, msg
        call    puts
        lw      t0, 0(zero)                     # the fault
        li      a0, 0
        call    exit
        .include "ulib.inc"
        .data
msg:    .asciz  "fault: about to load from address 0\n"
