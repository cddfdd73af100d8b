# fib.s: recursive fib(25): calls, returns and stack traffic.
        .text
_start:
        li      a0, 25
        call    fib
        mv      a1, a0
        li      a0, HC_SHUTDOWN
        hcall
        .include "../../programs/lib/fib.s"
