# fib.s: naive recursive Fibonacci, to exercise calls and the stack.
#
# expect: fib(0) = 0
# expect: fib(1) = 1
# expect: fib(5) = 5
# expect: fib(10) = 55
# expect: fib(15) = 610
# expect: fib(20) = 6765
        .text
        .global _start
_start:
        la      s2, args
        la      s3, args_end
1:      lw      s0, 0(s2)
        mv      a0, s0
        call    fib
        mv      s1, a0
        la      a0, open
        call    puts
        mv      a0, s0
        call    putint
        la      a0, equals
        call    puts
        mv      a0, s1
        call    putint
        call    newline
        addi    s2, s2, 4
        bltu    s2, s3, 1b
        li      a0, 0
        j       exit

        .include "lib/fib.s"

        .include "lib/io.s"

        .data
args:   .word   0, 1, 5, 10, 15, 20
args_end:
open:   .asciz  "fib("
equals: .asciz  ") = "
