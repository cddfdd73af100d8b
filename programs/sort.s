# sort.s: insertion sort of a word array, printed before and after.
#
# expect: before: 42 -7 19 0 2147483647 3 -2147483648 19 88 1
# expect: after: -2147483648 -7 0 1 3 19 19 42 88 2147483647
        .text
        .global _start
_start:
        la      a0, s_before
        call    puts
        call    print_array
        la      a0, array
        li      a1, (array_end - array) / 4
        call    isort
        la      a0, s_after
        call    puts
        call    print_array
        li      a0, 0
        j       exit

# isort(a0 = array, a1 = count): ascending, signed.
isort:
        li      t0, 1                   # i
1:      bge     t0, a1, 4f
        slli    t1, t0, 2
        add     t1, a0, t1
        lw      a2, 0(t1)               # key
        addi    t2, t0, -1              # j
2:      bltz    t2, 3f
        slli    t1, t2, 2
        add     t1, a0, t1
        lw      a3, 0(t1)
        ble     a3, a2, 3f
        sw      a3, 4(t1)
        addi    t2, t2, -1
        j       2b
3:      addi    t1, t2, 1
        slli    t1, t1, 2
        add     t1, a0, t1
        sw      a2, 0(t1)
        addi    t0, t0, 1
        j       1b
4:      ret

# print_array(): the array, space-separated, then a newline.
print_array:
        addi    sp, sp, -12
        sw      ra, 0(sp)
        sw      s0, 4(sp)
        sw      s1, 8(sp)
        la      s0, array
        la      s1, array_end
1:      lw      a0, 0(s0)
        call    putint
        addi    s0, s0, 4
        beq     s0, s1, 2f
        li      a0, ' '
        call    putc
        j       1b
2:      call    newline
        lw      ra, 0(sp)
        lw      s0, 4(sp)
        lw      s1, 8(sp)
        addi    sp, sp, 12
        ret

        .include "lib/io.s"

        .data
array:  .word   42, -7, 19, 0, 0x7fffffff, 3, 0x80000000, 19, 88, 1
array_end:
s_before: .asciz "before: "
s_after:  .asciz "after: "
