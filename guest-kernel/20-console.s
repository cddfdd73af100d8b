# 20-console.s: kernel console output and panic. Messages are built in a
# per-CPU line buffer and written with one hypercall, so lines from different
# CPUs never interleave within a line.
        .equ    LINE_MAX, 124

# lb_reset: empty this CPU's line buffer. Returns a0 = buffer (length word first).
lb_buf:
        csrr    a0, CSR_VCPUID
        slli    a0, a0, 7
        la      t0, linebufs
        add     a0, a0, t0
        ret

# lb_str(a0 = NUL-terminated string): append.
lb_str:
        mv      t2, a0
        csrr    a0, CSR_VCPUID
        slli    a0, a0, 7
        la      t0, linebufs
        add     a0, a0, t0
        lw      t1, 0(a0)
1:      lbu     t0, 0(t2)
        beqz    t0, 2f
        li      a1, LINE_MAX
        bge     t1, a1, 2f
        add     a1, a0, t1
        sb      t0, 4(a1)
        addi    t1, t1, 1
        addi    t2, t2, 1
        j       1b
2:      sw      t1, 0(a0)
        ret

# lb_char(a0 = byte)
lb_char:
        addi    sp, sp, -8
        sb      a0, 0(sp)
        sb      zero, 1(sp)
        mv      a0, sp
        push    ra
        call    lb_str
        pop     ra
        addi    sp, sp, 8
        ret

# lb_int(a0 = unsigned integer): decimal.
lb_int:
        addi    sp, sp, -16
        sb      zero, 15(sp)
        addi    a1, sp, 15
        li      t2, 10
1:      remu    t0, a0, t2
        divu    a0, a0, t2
        addi    t0, t0, '0'
        addi    a1, a1, -1
        sb      t0, 0(a1)
        bnez    a0, 1b
        mv      a0, a1
        push    ra
        call    lb_str
        pop     ra
        addi    sp, sp, 16
        ret

# lb_hex(a0): 0x and 8 digits.
lb_hex:
        addi    sp, sp, -12
        li      t0, '0'
        sb      t0, 0(sp)
        li      t0, 'x'
        sb      t0, 1(sp)
        sb      zero, 10(sp)
        li      t1, 9
1:      andi    t0, a0, 15
        li      t2, 10
        blt     t0, t2, 2f
        addi    t0, t0, 'a' - 10 - '0'
2:      addi    t0, t0, '0'
        add     t2, sp, t1
        sb      t0, 0(t2)
        srli    a0, a0, 4
        addi    t1, t1, -1
        li      t2, 2
        bge     t1, t2, 1b
        mv      a0, sp
        push    ra
        call    lb_str
        pop     ra
        addi    sp, sp, 12
        ret

# lb_flush: write the line buffer to the console and empty it.
lb_flush:
        push    ra
        call    lb_buf
        lw      a2, 0(a0)
        sw      zero, 0(a0)
        addi    a1, a0, 4
        hc      HC_CONSOLE_WRITE
        pop     ra
        ret

# kputs(a0 = string): one whole message.
kputs:
        push    ra
        call    lb_str
        call    lb_flush
        pop     ra
        ret

# panic(a0 = message, a1 = pc or 0): print "kernel panic: MSG (cpu N, pc X)" and stop the VM.
panic:
        mv      s0, a0
        mv      s1, a1
        bnez    s1, 1f
        mv      s1, ra                          # the caller
1:        la      a0, msg_panic
        call    lb_str
        mv      a0, s0
        call    lb_str
        la      a0, msg_cpu
        call    lb_str
        csrr    a0, CSR_VCPUID
        call    lb_int
        la      a0, msg_pc
        call    lb_str
        mv      a0, s1
        call    lb_hex
        la      a0, msg_close
        call    lb_str
        call    lb_flush
        li      a1, PANIC_EXIT
        hc      HC_SHUTDOWN
