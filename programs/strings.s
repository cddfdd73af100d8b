# strings.s: strlen, memcpy, itoa and strcmp, each a leaf routine.
#
# expect: strlen("paravm") = 6
# expect: memcpy: hello, world
# expect: itoa(-12345) = -12345
# expect: itoa(2147483647) = 2147483647
# expect: itoa(-2147483648) = -2147483648
# expect: strcmp(abc, abd) < 0
# expect: strcmp(abc, abc) = 0
        .text
        .global _start
_start:
        la      a0, s_strlen
        call    puts
        la      a0, word
        call    strlen
        call    putint
        call    newline

        la      a0, s_memcpy
        call    puts
        la      a0, buffer
        la      a1, greeting
        li      a2, greeting_end - greeting
        call    memcpy
        la      a0, buffer
        call    puts
        call    newline

        li      a0, -12345
        call    show_itoa
        li      a0, 0x7fffffff
        call    show_itoa
        li      a0, 0x80000000
        call    show_itoa

        la      a0, s_cmp1
        call    puts
        la      a0, abc
        la      a1, abd
        call    strcmp
        bltz    a0, 1f
        la      a0, s_bad
        j       2f
1:      la      a0, s_lt
2:      call    puts
        la      a0, s_cmp2
        call    puts
        la      a0, abc
        la      a1, abc
        call    strcmp
        bnez    a0, 3f
        la      a0, s_eq
        j       4f
3:      la      a0, s_bad
4:      call    puts
        li      a0, 0
        j       exit

# show_itoa(a0): prints "itoa(<a0>) = <itoa result>" using putint for the argument.
show_itoa:
        addi    sp, sp, -8
        sw      ra, 0(sp)
        sw      s0, 4(sp)
        mv      s0, a0
        la      a0, s_itoa
        call    puts
        mv      a0, s0
        call    putint
        la      a0, s_close
        call    puts
        mv      a0, s0
        la      a1, buffer
        call    itoa
        la      a0, buffer
        call    puts
        call    newline
        lw      ra, 0(sp)
        lw      s0, 4(sp)
        addi    sp, sp, 8
        ret

# strlen(a0 = string) -> a0 = length
strlen:
        mv      t0, a0
1:      lbu     t1, 0(t0)
        beqz    t1, 2f
        addi    t0, t0, 1
        j       1b
2:      sub     a0, t0, a0
        ret

# memcpy(a0 = dst, a1 = src, a2 = n) -> a0 = dst; copies words while it can.
memcpy:
        mv      t0, a0
        or      t1, a0, a1
        andi    t1, t1, 3
        bnez    t1, 2f                  # unaligned: bytes only
1:      slti    t1, a2, 4
        bnez    t1, 2f
        lw      t2, 0(a1)
        sw      t2, 0(t0)
        addi    a1, a1, 4
        addi    t0, t0, 4
        addi    a2, a2, -4
        j       1b
2:      beqz    a2, 3f
        lbu     t2, 0(a1)
        sb      t2, 0(t0)
        addi    a1, a1, 1
        addi    t0, t0, 1
        addi    a2, a2, -1
        j       2b
3:      ret

# itoa(a0 = value, a1 = buffer of 12 bytes): decimal, NUL-terminated.
itoa:
        mv      t0, a0
        bgez    t0, 1f
        li      t1, '-'
        sb      t1, 0(a1)
        addi    a1, a1, 1
        sub     t0, zero, t0
1:      mv      a2, a1                  # first digit
        li      t2, 10
2:      remu    t1, t0, t2
        divu    t0, t0, t2
        addi    t1, t1, '0'
        sb      t1, 0(a1)
        addi    a1, a1, 1
        bnez    t0, 2b
        sb      zero, 0(a1)
        addi    a1, a1, -1              # reverse digits in place
3:      bgeu    a2, a1, 4f
        lbu     t0, 0(a2)
        lbu     t1, 0(a1)
        sb      t1, 0(a2)
        sb      t0, 0(a1)
        addi    a2, a2, 1
        addi    a1, a1, -1
        j       3b
4:      ret

# strcmp(a0, a1) -> a0 < 0, 0 or > 0
strcmp:
1:      lbu     t0, 0(a0)
        lbu     t1, 0(a1)
        bne     t0, t1, 2f
        beqz    t0, 2f
        addi    a0, a0, 1
        addi    a1, a1, 1
        j       1b
2:      sub     a0, t0, t1
        ret

        .include "lib/io.s"

        .data
word:       .asciz "paravm"
greeting:   .asciz "hello, world"
greeting_end:
abc:        .asciz "abc"
abd:        .asciz "abd"
s_strlen:   .asciz "strlen(\"paravm\") = "
s_memcpy:   .asciz "memcpy: "
s_itoa:     .asciz "itoa("
s_close:    .asciz ") = "
s_cmp1:     .asciz "strcmp(abc, abd) "
s_cmp2:     .asciz "strcmp(abc, abc) "
s_lt:       .asciz "< 0\n"
s_eq:       .asciz "= 0\n"
s_bad:      .asciz "WRONG\n"
            .balign 4
buffer:     .space 32
