# 72-steal.s: active balancing for steal-time-aware balancing
# (BO_STEAL_BALANCE), as Linux does it. steal_balance (70-sched.s) weighs
# run queues by capacity from steal time (Linux folds steal time into a
# CPU's capacity: update_irq_load_avg(rq, irq_delta + steal) under
# NONTASK_CAPACITY, kernel/sched/core.c update_rq_clock_task) and pulls
# waiting threads. A thread running alone is never waiting, so pulling alone
# leaves it on a slow CPU however fast another one is. Linux then migrates
# it actively (kernel/sched/fair.c need_active_balance: the destination is
# idle, the source runs one task and its capacity is reduced relative to the
# destination's by more than imbalance_pct; check_cpu_capacity); the source
# CPU's stopper thread (active_load_balance_cpu_stop) takes the task off and
# moves it. Here the idle CPU asks (C_PUSH_TO, C_RESCHED, an IPI), and the
# slow CPU's next schedule hands the thread over (push_current), enqueued
# on the idle CPU once it is off its stack (finish_switch).
# Locks: none held across; make_runnable takes the destination's run queue.

# active_balance (a0 = this CPU's area; after a steal_balance that pulled
# nothing): if this CPU is idle, find a CPU running one thread alone, not
# pinned, whose capacity is reduced (cap * IMBALANCE_PCT < 1024 * 100) and
# below this CPU's (cap * IMBALANCE_PCT < mine * 100), and ask it to push
# that thread here.
active_balance:
        push    ra
        push    s0
        push    s1
        push    s2
        push    s3
        mv      s0, a0
        lw      t0, C_NR(s0)                    # only an idle CPU
        bnez    t0, 9f
        lw      t0, C_RQ_HEAD(s0)
        bnez    t0, 9f
        mv      a0, s0
        call    cap_of
        li      t0, 100
        mul     s2, a0, t0                      # my capacity * 100
        la      t0, ncpus
        lw      s3, 0(t0)
        la      s1, percpu
1:      beqz    s3, 9f
        beq     s1, s0, 3f
        lw      t0, C_NR(s1)                    # one runnable thread, the running one, nothing waiting
        li      t1, 1
        bne     t0, t1, 3f
        lw      t0, C_RQ_HEAD(s1)
        bnez    t0, 3f
        lw      t0, C_CURRENT(s1)
        lw      t1, C_IDLE(s1)
        beq     t0, t1, 3f
        lw      t0, T_PIN(t0)
        bgez    t0, 3f                          # pinned there
        mv      a0, s1
        call    cap_of
        li      t0, IMBALANCE_PCT
        mul     a0, a0, t0
        li      t0, CAPACITY_ONE * 100
        bgeu    a0, t0, 3f                      # its capacity is not reduced (check_cpu_capacity)
        bgeu    a0, s2, 3f                      # not slower than this CPU
        lw      t0, C_PUSH_TO(s1)
        bnez    t0, 9f                          # already asked
        lw      t0, C_ID(s0)
        addi    t0, t0, 1
        sw      t0, C_PUSH_TO(s1)
        li      t0, 1
        sw      t0, C_RESCHED(s1)
        lw      a1, C_ID(s1)
        hc      HC_IPI                          # it reschedules at once (its stopper, in Linux)
        j       9f
3:      addi    s1, s1, C_SIZE
        addi    s3, s3, -1
        j       1b
9:      pop     s3
        pop     s2
        pop     s1
        pop     s0
        pop     ra
        ret

# push_current (s0 = this CPU's area, s1 = the current thread, preempted;
# from __schedule, run-queue lock held; preserves s0, s1) -> a0 = 1 if the
# thread leaves for the CPU in C_PUSH_TO: it is still alone here, not
# pinned, and that CPU is still idle. It is marked off every queue and
# parked in C_MIGRATE; finish_switch enqueues it there. The request is
# consumed either way.
push_current:
        lw      t0, C_PUSH_TO(s0)
        sw      zero, C_PUSH_TO(s0)
        li      a0, 0
        lw      t1, T_PIN(s1)
        bgez    t1, 9f
        lw      t1, C_RQ_HEAD(s0)
        bnez    t1, 9f                          # no longer alone
        addi    t0, t0, -1                      # the idle CPU
        slli    t1, t0, C_SHIFT
        la      t2, percpu
        add     t1, t1, t2
        lw      t2, C_NR(t1)
        bnez    t2, 9f                          # not idle any more
        sw      t0, T_CPU(s1)
        li      t0, TS_BLOCKED                  # make_runnable puts it on its new CPU's queue
        sw      t0, T_STATE(s1)
        sw      s1, C_MIGRATE(s0)
        lw      t0, T_MIGRATIONS(s1)
        addi    t0, t0, 1
        sw      t0, T_MIGRATIONS(s1)
        lw      t0, C_ACTIVE_MIGRATIONS(s0)
        addi    t0, t0, 1
        sw      t0, C_ACTIVE_MIGRATIONS(s0)
        li      a0, 1
9:      ret
