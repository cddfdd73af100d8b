# hello.s: the smallest process: print a line and exit.
# expect: hello from user mode
        .include "../../guest-kernel/abi.inc"
        .org    0x00400000
        .text
_start:
        la      a0, msg
        call    puts
        li      a0, 0
        call    exit
        .include "ulib.inc"
        .data
msg:    .asciz  "hello from user mode\n"
