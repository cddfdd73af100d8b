# 70-sched.s: the guest scheduler. Per-CPU run queues (FIFO) behind per-CPU
# locks; a timer tick every BO_TICK cycles drives time slices, sleeps and
# periodic load balancing. A context switch happens with the run-queue lock
# held; the thread switched to releases it (finish_switch), so a thread is
# never visible to another CPU before it is off its stack. Idle CPUs block
# in the hypervisor (HC_BLOCK) until an interrupt; an IPI wakes them when
# work arrives. The balancer is commodity-style on purpose: it compares
# run-queue lengths (every runnable thread counts, balloon threads too) and
# knows nothing of CPU speeds.

# rq_push(a0 = per-CPU area, a1 = thread): append (lock held).
rq_push:
        lw      t0, T_ONRQ(a1)
        kassert eqz, t0, msg_twice_queued
        sw      zero, T_NEXT(a1)
        li      t0, 1
        sw      t0, T_ONRQ(a1)
        lw      t0, C_RQ_TAIL(a0)
        beqz    t0, 1f
        sw      a1, T_NEXT(t0)
        j       2f
1:      sw      a1, C_RQ_HEAD(a0)
2:      sw      a1, C_RQ_TAIL(a0)
        ret

# rq_pop(a0 = per-CPU area) -> a0 = the first thread, or 0 (lock held).
rq_pop:
        lw      t0, C_RQ_HEAD(a0)
        beqz    t0, 2f
        lw      t1, T_NEXT(t0)
        sw      t1, C_RQ_HEAD(a0)
        bnez    t1, 1f
        sw      zero, C_RQ_TAIL(a0)
1:      sw      zero, T_ONRQ(t0)
2:      mv      a0, t0
        ret

# rq_remove(a0 = per-CPU area, a1 = thread) -> a0 = 1 if it was there (lock held).
rq_remove:
        li      t0, 0                           # previous
        lw      t1, C_RQ_HEAD(a0)
1:      beqz    t1, 4f
        beq     t1, a1, 2f
        mv      t0, t1
        lw      t1, T_NEXT(t1)
        j       1b
2:      lw      t2, T_NEXT(t1)
        beqz    t0, 3f
        sw      t2, T_NEXT(t0)
        j       5f
3:      sw      t2, C_RQ_HEAD(a0)
5:      lw      t1, C_RQ_TAIL(a0)
        bne     t1, a1, 6f
        sw      t0, C_RQ_TAIL(a0)
6:      sw      zero, T_ONRQ(a1)
        li      a0, 1
        ret
4:      li      a0, 0
        ret

# schedule: give the CPU to the next runnable thread (the current one goes to the tail if still runnable).
schedule:
        push    ra
        percpu  t0, t1
        lw      a0, C_LOCK(t0)
        call    spin_lock
        call    __schedule
        pop     ra
        ret

# __schedule: the same, entered with this CPU's run-queue lock held (and the
# current thread's state already changed if it is blocking or exiting).
__schedule:
        push    ra
        push    s0
        push    s1
        csrr    t0, CSR_STATUS                  # the kernel never runs with interrupts on
        andi    t0, t0, STATUS_IE
        kassert eqz, t0, msg_ie_on
        percpu  s0, t0
        lw      s1, C_CURRENT(s0)
        sw      zero, C_RESCHED(s0)
        sw      zero, C_SLICE(s0)
        lw      t0, T_KIND(s1)
        li      t1, TK_IDLE
        beq     t0, t1, 2f
        lw      t0, T_STATE(s1)
        li      t1, TS_RUNNING
        bne     t0, t1, 1f
        li      t1, TS_RUNNABLE                 # preempted or yielding: back of the queue
        sw      t1, T_STATE(s1)
        lw      t0, C_PUSH_TO(s0)               # unless an idle, faster CPU asked for it (72-steal.s)
        bnez    t0, 7f
8:      mv      a0, s0
        mv      a1, s1
        call    rq_push
        j       2f
1:      lw      t0, C_NR(s0)                    # blocking, parking or exiting: it leaves this CPU
        addi    t0, t0, -1
        sw      t0, C_NR(s0)
2:      mv      a0, s0
        call    rq_pop
        bnez    a0, 3f
        lw      a0, C_IDLE(s0)
3:      li      t0, TS_RUNNING
        sw      t0, T_STATE(a0)
        bne     a0, s1, 4f
        lw      a0, C_LOCK(s0)                  # the same thread again
        call    spin_unlock
        j       6f
4:      sw      s1, C_PREV(s0)
        sw      a0, C_CURRENT(s0)
        lw      t0, C_SWITCHES(s0)
        addi    t0, t0, 1
        sw      t0, C_SWITCHES(s0)
        lw      t0, T_RUNS(a0)
        addi    t0, t0, 1
        sw      t0, T_RUNS(a0)
        lw      t0, T_KIND(a0)
        li      t1, TK_IDLE
        beq     t0, t1, 5f
        lw      t0, C_THREADS_RUN(s0)
        addi    t0, t0, 1
        sw      t0, C_THREADS_RUN(s0)
        lw      t0, T_PROC(a0)                  # a user thread: its address space (writing PTBR flushes the TLB)
        beqz    t0, 5f
        lw      t0, P_PTBR(t0)
        csrw    CSR_PTBR, t0
5:      mv      a1, a0
        mv      a0, s1
        call    switch_to
        call    finish_switch
6:      pop     s1
        pop     s0
        pop     ra
        ret
7:      call    push_current                    # (72-steal.s) a0 = 1: it leaves this CPU
        beqz    a0, 8b
        j       1b

# finish_switch: first thing a thread does on a CPU after a switch to it:
# the thread switched away from is off its stack now (an exiting one's TCB
# can be reused), and the run-queue lock taken before the switch is released.
finish_switch:
        push    ra
        percpu  a1, t0
        lw      t0, C_PREV(a1)
        beqz    t0, 1f
        lw      t1, T_STATE(t0)
        li      t2, TS_EXITING
        bne     t1, t2, 1f
        sw      zero, T_STATE(t0)               # TS_FREE
1:      lw      a0, C_LOCK(a1)
        call    spin_unlock
        percpu  a1, t0
        lw      a0, C_MIGRATE(a1)               # a thread pushed away (72-steal.s): it is off its stack now
        beqz    a0, 2f
        sw      zero, C_MIGRATE(a1)
        call    make_runnable                   # onto the idle CPU's queue, waking it
2:      pop     ra
        ret

# block_current: the current thread leaves the CPU until make_runnable. Entered
# with this CPU's run-queue lock held (so a waker cannot enqueue it early).
block_current:
        push    ra
        current t0, t1
        li      t1, TS_BLOCKED
        sw      t1, T_STATE(t0)
        call    __schedule
        pop     ra
        ret

# lock_my_rq: take this CPU's run-queue lock.
lock_my_rq:
        push    ra
        percpu  t0, t1
        lw      a0, C_LOCK(t0)
        call    spin_lock
        pop     ra
        ret

# ---- time -------------------------------------------------------------------------

# tick_arm: the one-shot timer, BO_TICK cycles from now.
tick_arm:
        push    ra
        la      t0, bootopts
        lw      t0, BO_TICK(t0)
        rdtime  a1
        rdtimeh a2
        add     t1, a1, t0
        sltu    t2, t1, a1
        add     a2, a2, t2
        mv      a1, t1
        hc      HC_SET_TIMER
        pop     ra
        ret

# tick: a timer interrupt. Re-arm, wake sleepers that are due, charge the
# current thread's slice, balance every BO_BALANCE_TICKS ticks.
tick:
        push    ra
        push    s0
        push    s1
        call    tick_arm
        percpu  s0, t0
        lw      t0, C_TICKS(s0)
        addi    t0, t0, 1
        sw      t0, C_TICKS(s0)
        lw      a0, C_LOCK(s0)
        call    spin_lock
        rdtime  s1
        li      t2, 0                           # previous in the sleep list
        lw      a1, C_SLEEPERS(s0)
1:      beqz    a1, 4f
        lw      t0, T_WAKE(a1)
        sub     t0, s1, t0
        lw      t1, T_NEXT(a1)
        bltz    t0, 3f                          # not yet
        beqz    t2, 2f                          # unlink
        sw      t1, T_NEXT(t2)
        j       5f
2:      sw      t1, C_SLEEPERS(s0)
5:      push    t1
        push    t2
        li      t0, TS_RUNNABLE
        sw      t0, T_STATE(a1)
        mv      a0, s0
        call    rq_push
        lw      t0, C_NR(s0)
        addi    t0, t0, 1
        sw      t0, C_NR(s0)
        pop     t2
        pop     a1
        j       1b
3:      mv      t2, a1
        mv      a1, t1
        j       1b
4:      lw      a0, C_LOCK(s0)
        call    spin_unlock
        lw      t0, C_NR(s0)                    # tell the hypervisor how much real work is here
        lw      t1, C_BALLOON_ACTIVE(s0)
        sub     t0, t0, t1
        lw      t1, C_INFO(s0)
        sw      t0, INFO_WORK_THREADS(t1)
        lw      t0, C_CURRENT(s0)
        lw      t1, C_IDLE(s0)
        beq     t0, t1, 6f
        lw      t0, C_SLICE(s0)
        addi    t0, t0, 1
        sw      t0, C_SLICE(s0)
        la      t1, bootopts
        lw      t1, BO_SLICE_TICKS(t1)
        blt     t0, t1, 6f
        li      t0, 1
        sw      t0, C_RESCHED(s0)
6:      lw      t0, C_TICKS(s0)
        la      t1, bootopts
        lw      t1, BO_BALANCE_TICKS(t1)
        remu    t0, t0, t1
        bnez    t0, 7f
        call    balance
7:      pop     s1
        pop     s0
        pop     ra
        ret

# handle_irqs(a0 = mask of lines): what each interrupt line means to the kernel.
handle_irqs:
        push    ra
        push    s0
        mv      s0, a0
        andi    t0, s0, 1 << IRQ_TIMER
        beqz    t0, 1f
        call    tick
1:      andi    t0, s0, 1 << IRQ_HV
        beqz    t0, 2f
        call    balloon_update
2:      andi    t0, s0, 1 << IRQ_NET
        beqz    t0, 3f
        call    net_irq
3:      pop     s0                              # IRQ_IPI: waking up was the point
        pop     ra
        ret

# poll_interrupts: take every pending enabled line without a trap (the kernel runs with IE off).
poll_interrupts:
        push    ra
        csrr    a0, CSR_IPEND
        csrr    t0, CSR_IMASK
        and     a0, a0, t0
        beqz    a0, 1f
        csrw    CSR_IPEND, a0                   # write 1 to clear
        call    handle_irqs
1:      pop     ra
        ret

# ---- idle and balancing ---------------------------------------------------------

idle_loop:
        call    poll_interrupts
        percpu  s0, t0
        lw      t0, C_RQ_HEAD(s0)
        bnez    t0, 1f
        call    balance                         # idle balancing: pull work if some CPU has plenty
        lw      t0, C_RQ_HEAD(s0)
        bnez    t0, 1f
        hc      HC_BLOCK                        # nothing to do: give the PCPU back until an interrupt
        j       idle_loop
1:      call    schedule
        j       idle_loop

# balance: if the busiest CPU has BO_BALANCE_THRESHOLD more runnable threads
# than this one, pull one unpinned waiting thread from it. With
# BO_STEAL_BALANCE the comparison is Linux's: run-queue lengths weighted by
# each CPU's capacity (steal_balance).
balance:
        push    ra
        push    s0
        push    s1
        push    s2
        percpu  s0, t0
        lw      t0, C_BALANCES(s0)
        addi    t0, t0, 1
        sw      t0, C_BALANCES(s0)
        la      t0, bootopts
        lw      t0, BO_STEAL_BALANCE(t0)
        beqz    t0, 10f
        call    steal_balance
        j       9f
10:
        li      s1, 0                           # busiest
        li      t2, -1                          # its length
        la      t0, ncpus
        lw      a2, 0(t0)
        la      a1, percpu
        li      a3, 0
1:      bge     a3, a2, 2f
        beq     a1, s0, 3f
        lw      t0, C_NR(a1)
        ble     t0, t2, 3f
        mv      t2, t0
        mv      s1, a1
3:      addi    a1, a1, C_SIZE
        addi    a3, a3, 1
        j       1b
2:      beqz    s1, 9f
        lw      t0, C_NR(s0)
        sub     t0, t2, t0
        la      t1, bootopts
        lw      t1, BO_BALANCE_THRESHOLD(t1)
        blt     t0, t1, 9f
        mv      a0, s0
        mv      a1, s1
        call    pull_one
9:      pop     s2
        pop     s1
        pop     s0
        pop     ra
        ret

# lock_pair(a0, a1 = per-CPU areas): both run-queue locks, lower address (= lower CPU) first.
lock_pair:
        push    ra
        push    s0
        push    s1
        mv      s0, a0
        mv      s1, a1
        bltu    s0, s1, 1f
        mv      s0, a1
        mv      s1, a0
1:      lw      a0, C_LOCK(s0)
        call    spin_lock
        lw      a0, C_LOCK(s1)
        call    spin_lock
        pop     s1
        pop     s0
        pop     ra
        ret

unlock_pair:
        push    ra
        push    s0
        mv      s0, a1
        lw      a0, C_LOCK(a0)
        call    spin_unlock
        lw      a0, C_LOCK(s0)
        call    spin_unlock
        pop     s0
        pop     ra
        ret

# ---- steal-time-aware balancing (BO_STEAL_BALANCE): Linux's approach ---------------

# measure_capacity(a0 = per-CPU area): this CPU's capacity from the running and
# steal time the hypervisor publishes in its info page since the last
# measurement: 1024 * run / (run + steal), averaged with the previous value
# (damping: a single noisy period cannot swing it).
measure_capacity:
        lw      t0, C_INFO(a0)
        lw      t1, INFO_RUNNING_LO(t0)
        lw      t2, INFO_STEAL_LO(t0)
        lw      a1, C_LAST_RUN(a0)
        sw      t1, C_LAST_RUN(a0)
        sub     t1, t1, a1                      # run delta (mod 2^32)
        lw      a1, C_LAST_STEAL(a0)
        sw      t2, C_LAST_STEAL(a0)
        sub     t2, t2, a1                      # steal delta
        add     a1, t1, t2
        beqz    a1, 2f                          # nothing new: keep the estimate
        srli    t1, t1, 4                       # 1024 * run / (run + steal), without overflow
        srli    a1, a1, 4
        beqz    a1, 2f
        slli    t1, t1, 10
        divu    t1, t1, a1
        lw      t2, C_CAPACITY(a0)
        bnez    t2, 1f
        mv      t2, t1                          # first estimate
1:      add     t1, t1, t2
        srli    t1, t1, 1
        li      t2, 64                          # never below 1/16: loads stay finite
        bgeu    t1, t2, 3f
        mv      t1, t2
3:      sw      t1, C_CAPACITY(a0)
2:      ret

# cap_of(a0 = per-CPU area) -> a0 = its capacity (a full PCPU until measured)
cap_of:
        lw      a0, C_CAPACITY(a0)
        bnez    a0, 1f
        li      a0, CAPACITY_ONE
1:      ret

# steal_balance: pull one unpinned waiting thread from the CPU with the highest
# capacity-weighted load nr * 1024 / capacity, if moving it lowers the larger
# of the two loads (so a thread never moves back and forth between two CPUs
# whose loads would just swap).
steal_balance:
        push    ra
        push    s0
        push    s1
        push    s2
        push    s3
        percpu  s0, t0
        mv      a0, s0
        call    measure_capacity
        li      s1, 0                           # busiest
        li      s2, 0                           # its load
        la      t0, ncpus
        lw      s3, 0(t0)
        la      a3, percpu
1:      beqz    s3, 2f
        beq     a3, s0, 3f
        lw      t1, C_NR(a3)
        slli    t1, t1, 10
        mv      a0, a3
        push    t1
        call    cap_of
        pop     t1
        divu    t1, t1, a0                      # its load
        bleu    t1, s2, 3f
        mv      s2, t1
        mv      s1, a3
3:      addi    a3, a3, C_SIZE
        addi    s3, s3, -1
        j       1b
2:      beqz    s1, 9f
        lw      t1, C_NR(s1)                    # after the move: (nr_b - 1) / cap_b and (nr_me + 1) / cap_me
        addi    t1, t1, -1
        slli    t1, t1, 10
        mv      a0, s1
        call    cap_of
        divu    s3, t1, a0
        lw      t1, C_NR(s0)
        addi    t1, t1, 1
        slli    t1, t1, 10
        mv      a0, s0
        call    cap_of
        divu    t1, t1, a0
        bgeu    s3, t1, 4f
        mv      s3, t1                          # s3 = the larger load after the move
4:      bgeu    s3, s2, 9f                      # no better: leave it
        mv      a0, s0
        mv      a1, s1
        call    pull_one
9:      mv      a0, s0
        call    active_balance                  # nothing to pull: a lone running thread on a slower CPU? (72-steal.s)
        pop     s3
        pop     s2
        pop     s1
        pop     s0
        pop     ra
        ret

# pull_one(a0 = this CPU's area, a1 = the busy CPU's area): lock both run
# queues (lower CPU first) and move the first unpinned waiting thread here.
pull_one:
        push    ra
        push    s0
        push    s1
        push    s2
        mv      s0, a0
        mv      s1, a1
        call    lock_pair                       # lower CPU first
        lw      a1, C_RQ_HEAD(s1)               # the first unpinned waiting thread
4:      beqz    a1, 8f
        lw      t0, T_PIN(a1)
        bltz    t0, 5f
        lw      a1, T_NEXT(a1)
        j       4b
5:      mv      s2, a1
        mv      a0, s1
        call    rq_remove
        lw      t0, C_NR(s1)
        addi    t0, t0, -1
        sw      t0, C_NR(s1)
        lw      t0, C_NR(s0)
        addi    t0, t0, 1
        sw      t0, C_NR(s0)
        lw      t0, C_ID(s0)
        sw      t0, T_CPU(s2)
        lw      t0, T_MIGRATIONS(s2)
        addi    t0, t0, 1
        sw      t0, T_MIGRATIONS(s2)
        lw      t0, C_MIGRATIONS(s0)
        addi    t0, t0, 1
        sw      t0, C_MIGRATIONS(s0)
        mv      a0, s0
        mv      a1, s2
        call    rq_push
8:      mv      a0, s0
        mv      a1, s1
        call    unlock_pair
        pop     s2
        pop     s1
        pop     s0
        pop     ra
        ret
