# lib/io.s: console output and shutdown for bare-metal programs.
# Include it once, in .text. Calling convention: arguments in a0.., result
# in a0; every routine may clobber a0-a5 and t0-t2 and preserves s0-s3.

# puts(a0 = NUL-terminated string): write it to the console.
puts:
        mv      a1, a0
        mv      a2, a0
1:      lbu     t0, 0(a2)
        beqz    t0, 2f
        addi    a2, a2, 1
        j       1b
2:      sub     a2, a2, a1              # length
        li      a0, HC_CONSOLE_WRITE
        hcall
        ret

# putc(a0 = character)
putc:
        mv      a1, a0
        li      a0, HC_CONSOLE_PUTC
        hcall
        ret

# newline()
newline:
        li      a0, '\n'
        j       putc

# putint(a0 = signed integer): decimal, with '-' for negatives.
putint:
        addi    sp, sp, -16
        mv      t0, a0
        addi    a2, sp, 16              # digits are written backwards from here
        bgez    t0, 1f
        sub     t0, zero, t0            # INT_MIN stays INT_MIN: divu/remu read it as 2^31
1:      li      t2, 10
        remu    t1, t0, t2
        divu    t0, t0, t2
        addi    t1, t1, '0'
        addi    a2, a2, -1
        sb      t1, 0(a2)
        bnez    t0, 1b
        bgez    a0, 2f
        li      t1, '-'
        addi    a2, a2, -1
        sb      t1, 0(a2)
2:      mv      a1, a2
        addi    t0, sp, 16
        sub     a2, t0, a2
        li      a0, HC_CONSOLE_WRITE
        hcall
        addi    sp, sp, 16
        ret

# puthex(a0 = value): "0x" and 8 hex digits.
puthex:
        addi    sp, sp, -12
        li      t0, '0'
        sb      t0, 0(sp)
        li      t0, 'x'
        sb      t0, 1(sp)
        addi    a2, sp, 9               # last digit goes here
1:      andi    t0, a0, 15
        slti    t1, t0, 10
        bnez    t1, 2f
        addi    t0, t0, 'a' - '0' - 10
2:      addi    t0, t0, '0'
        sb      t0, 0(a2)
        srli    a0, a0, 4
        addi    a2, a2, -1
        addi    t1, sp, 2
        bgeu    a2, t1, 1b
        mv      a1, sp
        li      a2, 10
        li      a0, HC_CONSOLE_WRITE
        hcall
        addi    sp, sp, 12
        ret

# exit(a0 = code): shut the VM down; does not return.
exit:
        mv      a1, a0
        li      a0, HC_SHUTDOWN
        hcall
1:      j       1b
