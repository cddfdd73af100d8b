# hello.s: the first paravm program. Prints a greeting, exits with 0.
#
# expect: Hello, paravm!
        .text
        .global _start
_start:
        la      a0, greeting
        call    puts
        li      a0, 0
        j       exit

        .include "lib/io.s"

        .data
greeting:
        .asciz  "Hello, paravm!\n"
