# 85-syscall.s: system calls. syscall_dispatch reads the number and up to
# four arguments from the trap frame (the user's a0..a4), calls the handler
# from syscall_table with a0..a3 = arguments and s0 = frame, and stores the
# result in the frame's a0. To add a system call: give it a number in
# abi.inc (NSYSCALLS grows), write `sys_name` here, add it to syscall_table.

syscall_dispatch:
        push    ra
        push    s0
        mv      s0, a0
        lw      t0, F_REGS + 4 * 3(s0)          # number
        li      t1, NSYSCALLS
        bgeu    t0, t1, 1f
        slli    t0, t0, 2
        la      t1, syscall_table
        add     t0, t0, t1
        lw      t0, 0(t0)
        lw      a0, F_REGS + 4 * 4(s0)
        lw      a1, F_REGS + 4 * 5(s0)
        lw      a2, F_REGS + 4 * 6(s0)
        lw      a3, F_REGS + 4 * 7(s0)
        jalr    ra, 0(t0)
        j       2f
1:      li      a0, ERR_INVAL
2:      sw      a0, F_REGS + 4 * 3(s0)
        pop     s0
        pop     ra
        ret

# exit(code): end this thread (the process ends with its last thread).
sys_exit:
        j       thread_exit

# write(buf, len) -> len, or ERR_FAULT for a buffer outside user memory or not mapped.
sys_write:
        push    ra
        push    s1
        mv      s1, a0
        push    a1
        mv      a0, s1
        call    user_range_ok
        pop     a2
        beqz    a0, 1f
        mv      a1, s1
        hc      HC_CONSOLE_WRITE                # the hypervisor reads through our page table
        bgez    a0, 2f
1:      li      a0, ERR_FAULT
2:      pop     s1
        pop     ra
        ret

# yield(): to the back of this CPU's run queue.
sys_yield:
        percpu  t0, t1
        li      t1, 1
        sw      t1, C_RESCHED(t0)
        li      a0, 0
        ret

# spawn(module, arg) -> pid
sys_spawn:
        j       proc_spawn

# thread(entry, arg) -> tid: a new thread in this process, on this CPU.
sys_thread:
        mv      a2, a1
        mv      a1, a0
        current a0, t0
        lw      a0, T_PROC(a0)
        j       thread_create_user

# sleep(us): block at least that long (woken by the tick).
sys_sleep:
        push    ra
        push    s1
        li      t0, CYCLES_PER_US
        mul     s1, a0, t0
        call    lock_my_rq
        current t0, t1
        rdtime  t1
        add     t1, t1, s1
        sw      t1, T_WAKE(t0)
        percpu  t1, t2
        lw      t2, C_SLEEPERS(t1)
        sw      t2, T_NEXT(t0)
        sw      t0, C_SLEEPERS(t1)
        call    block_current
        li      a0, 0
        pop     s1
        pop     ra
        ret

# wait(pid) -> its exit code, or ERR_CHILD if there is no such process.
sys_wait:
        push    ra
        push    s1
        mv      s1, a0
        lock    LK_PROC
        la      a1, procs
        li      t0, MAX_PROCS * P_SIZE
        add     t0, t0, a1
1:      bgeu    a1, t0, 5f
        lw      t1, P_STATE(a1)
        beqz    t1, 2f
        lw      t1, P_PID(a1)
        beq     t1, s1, 3f
2:      addi    a1, a1, P_SIZE
        j       1b
3:      mv      s1, a1                          # the process
        lw      t1, P_STATE(s1)
        li      t2, PS_ZOMBIE
        beq     t1, t2, 4f
        current t0, t1                          # not yet: wait for its last thread
        sw      t0, P_WAITER(s1)
        call    lock_my_rq
        unlock  LK_PROC
        call    block_current
        lock    LK_PROC
4:      lw      a0, P_EXIT(s1)
        sw      zero, P_STATE(s1)               # reaped
        push    a0
        unlock  LK_PROC
        pop     a0
        j       6f
5:      unlock  LK_PROC
        li      a0, ERR_CHILD
6:      pop     s1
        pop     ra
        ret

sys_getcpu:
        csrr    a0, CSR_VCPUID
        ret

# time() -> a0 = low, a1 = high word of virtual time (cycles)
sys_time:
        rdtime  a0
        rdtimeh t0
        sw      t0, F_REGS + 4 * 4(s0)
        ret

sys_getpid:
        current a0, t0
        lw      a0, T_PROC(a0)
        lw      a0, P_PID(a0)
        ret

# count(n) -> the shared counter after adding n, under LK_COUNTER. The
# critical section also records who added what in a small history ring, so
# it has a realistic length (a few hundred cycles).
sys_count:
        push    ra
        push    s1
        mv      s1, a0
        lock    LK_COUNTER
        la      t0, counter
        lw      a1, 0(t0)
        add     a1, a1, s1
        sw      a1, 0(t0)
        lw      t1, 4(t0)                       # history index
        addi    t2, t1, 1
        andi    t2, t2, 15
        sw      t2, 4(t0)
        slli    t1, t1, 3
        add     t1, t1, t0
        csrr    t2, CSR_VCPUID
        sw      t2, 8(t1)
        sw      s1, 12(t1)
        li      t1, 16                          # recompute the history's checksum
        li      t2, 0
        addi    a2, t0, 8
1:      lw      a3, 0(a2)
        add     t2, t2, a3
        lw      a3, 4(a2)
        xor     t2, t2, a3
        addi    a2, a2, 8
        addi    t1, t1, -1
        bnez    t1, 1b
        sw      t2, 136(t0)
        push    a1
        unlock  LK_COUNTER
        pop     a0
        pop     s1
        pop     ra
        ret

syscall_table:
        .word   sys_exit, sys_write, sys_yield, sys_spawn, sys_thread, sys_sleep, sys_wait
        .word   sys_getcpu, sys_time, sys_send, sys_recv, sys_count, sys_getpid
        .word   sys_accept, sys_open, sys_fread, sys_net_send, sys_close, sys_sendfile
