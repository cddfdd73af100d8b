# 60-thread.s: threads and processes. A thread is a TCB (threads[i]) with
# kernel stack kstacks[i]; TCBs 0..ncpus-1 are the CPUs' idle threads. A
# new thread's kernel stack is built so that the first switch to it
# "returns" into thread_start_user (which drops to user mode through a
# prepared trap frame) or thread_start_kernel (which calls its function).
# A process is an address space, a module it was loaded from, and threads.

# switch_to(a0 = prev, a1 = next): save prev's callee-saved registers on its
# stack, continue on next's. Returns (as next) where next last left off.
switch_to:
        addi    sp, sp, -20
        sw      ra, 0(sp)
        sw      s0, 4(sp)
        sw      s1, 8(sp)
        sw      s2, 12(sp)
        sw      s3, 16(sp)
        sw      sp, T_SP(a0)
        lw      sp, T_SP(a1)
        lw      ra, 0(sp)
        lw      s0, 4(sp)
        lw      s1, 8(sp)
        lw      s2, 12(sp)
        lw      s3, 16(sp)
        addi    sp, sp, 20
        ret

# thread_alloc(a0 = kind) -> a0 = a TCB in state BLOCKED with a fresh tid, or 0.
thread_alloc:
        push    ra
        push    s0
        mv      s0, a0
        lock    LK_PROC
        la      t0, ncpus
        lw      t0, 0(t0)
        slli    a1, t0, T_SHIFT
        la      t1, threads
        add     a1, a1, t1                      # first non-idle TCB
        li      t2, MAX_THREADS
        slli    t2, t2, T_SHIFT
        add     t2, t2, t1                      # end
1:      bgeu    a1, t2, 3f
        lw      t0, T_STATE(a1)
        beqz    t0, 2f                          # TS_FREE
        addi    a1, a1, T_SIZE
        j       1b
2:      li      t0, TS_BLOCKED
        sw      t0, T_STATE(a1)
        sw      s0, T_KIND(a1)
        la      t0, next_tid
        lw      t1, 0(t0)
        sw      t1, T_TID(a1)
        addi    t1, t1, 1
        sw      t1, 0(t0)
        li      t0, -1
        sw      t0, T_PIN(a1)
        sw      zero, T_PROC(a1)
        sw      zero, T_RUNS(a1)
        sw      zero, T_MIGRATIONS(a1)
        sw      zero, T_ONRQ(a1)
        sw      zero, T_NEXT(a1)
        sw      zero, T_VALUE(a1)
        la      t0, threads                     # kernel stack: same index
        sub     t0, a1, t0
        srli    t0, t0, T_SHIFT
        addi    t0, t0, 1
        slli    t0, t0, 12
        la      t1, kstacks
        add     t0, t0, t1
        sw      t0, T_KSTACK(a1)
        csrr    t0, CSR_VCPUID
        sw      t0, T_CPU(a1)
        mv      s0, a1
        j       4f
3:      li      s0, 0
4:      unlock  LK_PROC
        mv      a0, s0
        pop     s0
        pop     ra
        ret

# make_runnable(a0 = thread): put a new or woken thread on its CPU's run queue (T_CPU).
make_runnable:
        push    ra
        push    s0
        push    s1
        mv      s0, a0
        lw      t0, T_CPU(s0)
        slli    s1, t0, C_SHIFT
        la      t1, percpu
        add     s1, s1, t1
        lw      a0, C_LOCK(s1)
        call    spin_lock
        lw      t0, T_STATE(s0)
        li      t1, TS_RUNNABLE
        beq     t0, t1, 2f                      # already runnable: nothing to do
        sw      t1, T_STATE(s0)
        mv      a0, s1
        mv      a1, s0
        call    rq_push
        lw      t0, C_NR(s1)
        addi    t0, t0, 1
        sw      t0, C_NR(s1)
        lw      t0, C_CURRENT(s1)               # an idle CPU elsewhere: wake it
        lw      t1, C_IDLE(s1)
        bne     t0, t1, 2f
        lw      a1, C_ID(s1)
        csrr    t0, CSR_VCPUID
        beq     a1, t0, 2f
        hc      HC_IPI
2:      lw      a0, C_LOCK(s1)
        call    spin_unlock
        pop     s1
        pop     s0
        pop     ra
        ret

# thread_create_user(a0 = process, a1 = entry, a2 = arg) -> a0 = tid, or ERR_NOMEM.
thread_create_user:
        push    ra
        push    s0
        push    s1
        push    s2
        push    s3
        mv      s0, a0
        mv      s1, a1
        mv      s2, a2
        li      a0, TK_USER
        call    thread_alloc
        beqz    a0, 9f
        mv      s3, a0
        sw      s0, T_PROC(s3)
        lock    LK_PROC
        lw      t0, P_THREADS(s0)
        addi    t0, t0, 1
        sw      t0, P_THREADS(s0)
        lw      t0, P_NEXT_STACK(s0)            # this thread's stack slot
        addi    t1, t0, 1
        sw      t1, P_NEXT_STACK(s0)
        push    t0
        unlock  LK_PROC
        pop     t0
        li      t1, THREAD_STACK_STRIDE
        mul     t0, t0, t1
        li      t1, USER_STACK_TOP
        sub     t0, t1, t0
        sw      t0, T_USTACK(s3)
        li      t2, USER_STACK_PAGES            # map the stack pages below the top
1:      beqz    t2, 2f
        push    t2
        lw      t0, T_USTACK(s3)
        slli    t1, t2, 12
        sub     a1, t0, t1
        lw      a0, P_PTBR(s0)
        li      a2, PTE_R | PTE_W
        call    as_map
        pop     t2
        beqz    a0, 9f
        addi    t2, t2, -1
        j       1b
2:      lw      t0, T_KSTACK(s3)                # the trap frame it will "return" through
        addi    t0, t0, -F_SIZE
        mv      t1, t0
        addi    t2, t0, F_SIZE
3:      sw      zero, 0(t1)
        addi    t1, t1, 4
        bne     t1, t2, 3b
        lw      t1, T_USTACK(s3)
        sw      t1, F_REGS + 4 * 2(t0)          # sp
        sw      s2, F_REGS + 4 * 3(t0)          # a0 = arg
        sw      s1, F_EPC(t0)
        li      t1, STATUS_KERNEL | STATUS_PIE  # eret: user mode, interrupts on
        sw      t1, F_STATUS(t0)
        addi    t0, t0, -20                     # the switch frame switch_to pops
        la      t1, thread_start_user
        sw      t1, 0(t0)
        sw      t0, T_SP(s3)
        mv      a0, s3
        call    make_runnable
        lw      a0, T_TID(s3)
        j       10f
9:      li      a0, ERR_NOMEM
10:     pop     s3
        pop     s2
        pop     s1
        pop     s0
        pop     ra
        ret

# thread_create_kernel(a0 = function, a1 = cpu to pin to, a2 = kind) -> a0 = thread (not yet runnable), or 0.
thread_create_kernel:
        push    ra
        push    s0
        push    s1
        mv      s0, a0
        mv      s1, a1
        mv      a0, a2
        call    thread_alloc
        beqz    a0, 1f
        sw      s1, T_PIN(a0)
        sw      s1, T_CPU(a0)
        lw      t0, T_KSTACK(a0)
        addi    t0, t0, -20
        la      t1, thread_start_kernel
        sw      t1, 0(t0)
        sw      s0, 4(t0)                       # s0 = the function
        sw      t0, T_SP(a0)
1:      pop     s1
        pop     s0
        pop     ra
        ret

thread_start_user:
        call    finish_switch
        j       trap_return                     # sp = the prepared trap frame

thread_start_kernel:
        call    finish_switch
        jr      s0

# proc_spawn(a0 = module index, a1 = arg) -> a0 = pid, or a negative error.
proc_spawn:
        push    ra
        push    s0
        push    s1
        push    s2
        push    s3
        mv      s1, a0
        mv      s2, a1
        la      t0, bootopts
        lw      t0, BO_NMODULES(t0)
        bgeu    s1, t0, 8f
        lock    LK_PROC
        la      s0, procs
        li      t0, MAX_PROCS * P_SIZE
        add     t0, t0, s0
1:      bgeu    s0, t0, 7f
        lw      t1, P_STATE(s0)
        beqz    t1, 2f
        addi    s0, s0, P_SIZE
        j       1b
2:      li      t1, PS_LIVE
        sw      t1, P_STATE(s0)
        la      t0, next_pid
        lw      t1, 0(t0)
        sw      t1, P_PID(s0)
        addi    t1, t1, 1
        sw      t1, 0(t0)
        sw      s1, P_MODULE(s0)
        sw      zero, P_THREADS(s0)
        sw      zero, P_NEXT_STACK(s0)
        sw      zero, P_KILLED(s0)
        sw      zero, P_WAITER(s0)
        la      t0, live_procs
        lw      t1, 0(t0)
        addi    t1, t1, 1
        sw      t1, 0(t0)
        unlock  LK_PROC
        call    as_create
        beqz    a0, 9f
        sw      a0, P_PTBR(s0)
        li      t0, M_SIZE                      # s3 = the module descriptor
        mul     s3, s1, t0
        la      t0, modules
        add     s3, s3, t0
        mv      a0, s0
        mv      a1, s3
        call    load_segments
        bnez    a0, 9f
        mv      a0, s0
        lw      a1, M_ENTRY(s3)
        mv      a2, s2
        call    thread_create_user
        bltz    a0, 9f
        lw      a0, P_PID(s0)
        j       10f
7:      unlock  LK_PROC
9:      li      a0, ERR_NOMEM
        j       10f
8:      li      a0, ERR_INVAL
10:     pop     s3
        pop     s2
        pop     s1
        pop     s0
        pop     ra
        ret

# load_segments(a0 = process, a1 = module) -> a0 = 0, or ERR_NOMEM. Copies each
# segment page by page (the host page-aligned and padded them) into fresh pages.
load_segments:
        push    ra
        push    s0
        push    s1
        push    s2
        push    s3
        mv      s0, a0
        addi    s1, a1, M_SEGS                  # segment
        lw      s2, M_NSEGS(a1)                 # segments left
1:      beqz    s2, 5f
        li      s3, 0                           # offset within the segment
2:      lw      t0, MS_LEN(s1)
        bgeu    s3, t0, 4f
        lw      a0, P_PTBR(s0)
        lw      a1, MS_VA(s1)
        add     a1, a1, s3
        lw      a2, MS_FLAGS(s1)
        call    as_map
        beqz    a0, 6f
        lw      t0, MS_PA(s1)
        add     t0, t0, s3
        li      t1, KERNEL_BASE
        add     t0, t0, t1                      # source
        addi    t2, t0, 4096
3:      lw      t1, 0(t0)
        sw      t1, 0(a0)
        addi    t0, t0, 4
        addi    a0, a0, 4
        bne     t0, t2, 3b
        li      t0, 4096
        add     s3, s3, t0
        j       2b
4:      addi    s1, s1, MS_SIZE
        addi    s2, s2, -1
        j       1b
5:      li      a0, 0
        j       7f
6:      li      a0, ERR_NOMEM
7:      pop     s3
        pop     s2
        pop     s1
        pop     s0
        pop     ra
        ret

# thread_exit(a0 = code): the current thread ends; the last thread of a
# process makes it a zombie, frees its memory and wakes a waiter; when no
# process is left the kernel shuts the VM down. Does not return.
thread_exit:
        mv      s1, a0
        current s0, t0
        lw      s2, T_PROC(s0)
        kassert nez, s2, msg_exit_kthread
        lock    LK_PROC
        lw      t0, P_THREADS(s2)
        addi    t0, t0, -1
        sw      t0, P_THREADS(s2)
        li      s3, 0                           # a waiter to wake
        bnez    t0, 1f
        sw      s1, P_EXIT(s2)
        li      t0, PS_ZOMBIE
        sw      t0, P_STATE(s2)
        lw      s3, P_WAITER(s2)
        sw      zero, P_WAITER(s2)
        beqz    s3, 2f
        sw      s1, T_VALUE(s3)
2:      la      t0, live_procs
        lw      t1, 0(t0)
        addi    t1, t1, -1
        sw      t1, 0(t0)
        lw      s1, P_PTBR(s2)                  # under the lock: once it drops, the slot can be
        bnez    t1, 4f                          # reaped and reused by a new process
        unlock  LK_PROC
        la      a0, msg_alldone
        call    kputs
        li      a1, 0
        hc      HC_SHUTDOWN
4:      unlock  LK_PROC
        csrw    CSR_PTBR, zero                  # off the address space, then free it (nobody
        mv      a0, s1                          # else uses it: this was its last thread)
        call    as_destroy
        j       5f
1:      unlock  LK_PROC
5:      beqz    s3, 3f
        mv      a0, s3
        call    make_runnable
3:      percpu  s1, t0
        lw      a0, C_LOCK(s1)
        call    spin_lock
        li      t0, TS_EXITING
        sw      t0, T_STATE(s0)
        call    __schedule
