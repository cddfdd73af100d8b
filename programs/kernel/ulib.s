# ulib.s: a small user-mode library for programs that run under the guest
# kernel (system calls only, no hypercalls). Include it at the end of .text.
# Calling convention as in programs/lib/io.s: arguments in a0.., result in
# a0; a0-a5 and t0-t2 may be clobbered, s0-s3 are preserved.

# puts(a0 = NUL-terminated string)
puts:
        mv      a1, a0
        mv      t1, a0
1:      lbu     t0, 0(t1)
        beqz    t0, 2f
        addi    t1, t1, 1
        j       1b
2:      sub     a2, t1, a1
        li      a0, SYS_WRITE
        syscall
        ret

# putint(a0 = unsigned integer), decimal
putint:
        addi    sp, sp, -16
        addi    a2, sp, 16
        li      t2, 10
1:      remu    t1, a0, t2
        divu    a0, a0, t2
        addi    t1, t1, '0'
        addi    a2, a2, -1
        sb      t1, 0(a2)
        bnez    a0, 1b
        mv      a1, a2
        addi    t0, sp, 16
        sub     a2, t0, a2
        li      a0, SYS_WRITE
        syscall
        addi    sp, sp, 16
        ret

# exit(a0 = code)
exit:
        mv      a1, a0
        li      a0, SYS_EXIT
        syscall
