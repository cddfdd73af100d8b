# 80-trap.s: trap entry and return. The kernel runs with interrupts off, so
# traps come from user mode only: CSR_SCRATCH holds the current thread's
# kernel stack top while it runs in user mode and 0 while in the kernel; a
# trap with SCRATCH = 0 came from the kernel itself and is a kernel bug
# (panic). Entry saves the user registers in a trap frame on the kernel
# stack; trap_dispatch handles the cause; trap_return restores and erets.

trap_entry:
        csrrw   sp, CSR_SCRATCH, sp             # sp = kernel stack top, SCRATCH = user sp
        beqz    sp, kernel_trap
        addi    sp, sp, -F_SIZE
        sw      ra, F_REGS + 4 * 1(sp)
        sw      a0, F_REGS + 4 * 3(sp)
        sw      a1, F_REGS + 4 * 4(sp)
        sw      a2, F_REGS + 4 * 5(sp)
        sw      a3, F_REGS + 4 * 6(sp)
        sw      a4, F_REGS + 4 * 7(sp)
        sw      a5, F_REGS + 4 * 8(sp)
        sw      t0, F_REGS + 4 * 9(sp)
        sw      t1, F_REGS + 4 * 10(sp)
        sw      t2, F_REGS + 4 * 11(sp)
        sw      s0, F_REGS + 4 * 12(sp)
        sw      s1, F_REGS + 4 * 13(sp)
        sw      s2, F_REGS + 4 * 14(sp)
        sw      s3, F_REGS + 4 * 15(sp)
        csrr    t0, CSR_SCRATCH
        sw      t0, F_REGS + 4 * 2(sp)          # the user sp
        csrw    CSR_SCRATCH, zero               # in the kernel now
        csrr    t0, CSR_EPC
        sw      t0, F_EPC(sp)
        csrr    t0, CSR_STATUS
        sw      t0, F_STATUS(sp)
        mv      a0, sp
        call    trap_dispatch
        # fall through
trap_return:                                    # sp = the current thread's trap frame
        current t0, t1                          # a thread of a killed process goes no further
        lw      t0, T_PROC(t0)
        beqz    t0, 1f
        lw      t0, P_KILLED(t0)
        beqz    t0, 1f
        li      a0, -1
        call    thread_exit
1:      addi    t0, sp, F_SIZE
        csrw    CSR_SCRATCH, t0                 # the next trap from user mode lands here
        lw      t0, F_STATUS(sp)
        csrw    CSR_STATUS, t0
        lw      t0, F_EPC(sp)
        csrw    CSR_EPC, t0
        lw      ra, F_REGS + 4 * 1(sp)
        lw      a0, F_REGS + 4 * 3(sp)
        lw      a1, F_REGS + 4 * 4(sp)
        lw      a2, F_REGS + 4 * 5(sp)
        lw      a3, F_REGS + 4 * 6(sp)
        lw      a4, F_REGS + 4 * 7(sp)
        lw      a5, F_REGS + 4 * 8(sp)
        lw      t0, F_REGS + 4 * 9(sp)
        lw      t1, F_REGS + 4 * 10(sp)
        lw      t2, F_REGS + 4 * 11(sp)
        lw      s0, F_REGS + 4 * 12(sp)
        lw      s1, F_REGS + 4 * 13(sp)
        lw      s2, F_REGS + 4 * 14(sp)
        lw      s3, F_REGS + 4 * 15(sp)
        lw      sp, F_REGS + 4 * 2(sp)
        eret

kernel_trap:
        csrrw   sp, CSR_SCRATCH, sp             # back to the kernel stack, SCRATCH = 0
        la      a0, msg_ktrap
        csrr    a1, CSR_EPC
        j       panic

# trap_dispatch(a0 = frame): interrupts, system calls, user faults; then a
# reschedule if one is due.
trap_dispatch:
        push    ra
        push    s0
        mv      s0, a0
        csrr    t0, CSR_CAUSE
        bgez    t0, 1f
        andi    t0, t0, 31                      # an interrupt: its line, and whatever else is pending
        li      t1, 1
        sll     a0, t1, t0
        csrr    t1, CSR_IPEND
        csrr    t2, CSR_IMASK
        and     t1, t1, t2
        csrw    CSR_IPEND, t1
        or      a0, a0, t1
        call    handle_irqs
        j       3f
1:      li      t1, CAUSE_SYSCALL
        bne     t0, t1, 2f
        lw      t0, F_EPC(s0)                   # return past the syscall instruction
        addi    t0, t0, 4
        sw      t0, F_EPC(s0)
        mv      a0, s0
        call    syscall_dispatch
        j       3f
2:      mv      a0, s0
        call    user_fault
3:      percpu  t0, t1
        lw      t0, C_RESCHED(t0)
        beqz    t0, 4f
        call    schedule
4:      pop     s0
        pop     ra
        ret

# user_fault(a0 = frame): the process dies with a message naming it, the pc
# and the cause; the kernel and every other process go on.
user_fault:
        push    ra
        push    s0
        push    s1
        mv      s0, a0
        current s1, t0
        lw      s1, T_PROC(s1)
        la      a0, msg_killed
        call    lb_str
        lw      a0, P_PID(s1)
        call    lb_int
        la      a0, msg_open
        call    lb_str
        lw      t0, P_MODULE(s1)
        li      t1, M_SIZE
        mul     t0, t0, t1
        la      a0, modules + M_NAME
        add     a0, a0, t0
        call    lb_str
        la      a0, msg_killed2
        call    lb_str
        csrr    t0, CSR_CAUSE
        li      t1, 12
        bgtu    t0, t1, 1f
        slli    t0, t0, 2
        la      t1, cause_names
        add     t0, t0, t1
        lw      a0, 0(t0)
        call    lb_str
        j       2f
1:      csrr    a0, CSR_CAUSE
        call    lb_int
2:      la      a0, msg_atpc
        call    lb_str
        lw      a0, F_EPC(s0)
        call    lb_hex
        la      a0, msg_addr
        call    lb_str
        csrr    a0, CSR_BADADDR
        call    lb_hex
        la      a0, msg_oncpu
        call    lb_str
        csrr    a0, CSR_VCPUID
        call    lb_int
        li      a0, 10
        call    lb_char
        call    lb_flush
        li      t0, 1
        sw      t0, P_KILLED(s1)                # its other threads exit on their next kernel entry
        pop     s1
        pop     s0
        pop     ra
        ret                                     # trap_return ends this thread
