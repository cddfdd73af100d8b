# 34-mutex.s: a sleeping lock, as Linux's mutex (kernel/locking/mutex.c),
# for paths where a holder may block (with BO_MUTEX: request accounting,
# which a real kernel does under the log file's sleeping lock). Taking it:
# - fast path: swap the owner from 0 to the current thread;
# - optimistic spinning (mutex_optimistic_spin, mutex_spin_on_owner): spin
#   while the owner is running on its CPU (owner_on_cpu: it is that CPU's
#   current thread, and vcpu_is_preempted(that CPU) is false: the info
#   page's INFO_PREEMPTED); stop as soon as it is not, or this CPU must
#   reschedule. This is where Linux uses vcpu_is_preempted: a spinner never
#   yields to the owner, it goes to sleep;
# - slow path: under the wait lock, try once more, else queue and sleep
#   until the unlocker wakes the first waiter, then compete again.
# Linux also queues spinners on an MCS lock (osq_lock) so that one spins on
# the owner; here every spinner reads the owner (the same stop condition).
# Lock order: the wait lock, then this CPU's run queue (to sleep); holds no
# spinlock while it sleeps or spins.

# mutex_lock(a0 = mutex). Clobbers a0-a3, t0-t2; may sleep.
mutex_lock:
        push    ra
        push    s0
        push    s1
        mv      s0, a0
        current s1, t0
        li      t0, 0                           # the fast path
        cas     t0, s1, (s0)
        beqz    t0, 8f
1:      lw      t0, MX_OWNER(s0)                # optimistic spinning on the owner
        beqz    t0, 2f
        call    mx_owner_running                # (t0 = owner) -> a0: 0 running, 1 preempted VCPU, 2 off its CPU
        bnez    a0, 3f
        percpu  t0, t1
        lw      t0, C_RESCHED(t0)
        li      a0, 2
        bnez    t0, 3f                          # need_resched: stop spinning
        pause
        j       1b
2:      li      t0, 0
        cas     t0, s1, (s0)
        bnez    t0, 1b
        lw      t0, MX_SPUN(s0)
        addi    t0, t0, 1
        sw      t0, MX_SPUN(s0)
        j       8f
3:      li      t0, MX_STOP_PREEMPTED           # why spinning stopped
        li      t1, 1
        beq     a0, t1, 4f
        li      t0, MX_STOP_OFFCPU
4:      add     t0, t0, s0
        lw      t1, 0(t0)
        addi    t1, t1, 1
        sw      t1, 0(t0)
        lw      a0, MX_WAIT_LOCK(s0)            # the slow path
        call    spin_lock
        li      t0, 0
        cas     t0, s1, (s0)
        bnez    t0, 5f
        lw      a0, MX_WAIT_LOCK(s0)            # it came free meanwhile
        call    spin_unlock
        j       8f
5:      lw      t0, MX_SLEEPS(s0)
        addi    t0, t0, 1
        sw      t0, MX_SLEEPS(s0)
        addi    a0, s0, MX_WAITERS
        mv      a1, s1
        call    wl_push
        call    lock_my_rq                      # before the wait lock is dropped: no wake-up before we are off the CPU
        lw      a0, MX_WAIT_LOCK(s0)
        call    spin_unlock
        call    block_current
        j       1b                              # woken: compete again
8:      lw      t0, MX_ACQ(s0)
        addi    t0, t0, 1
        sw      t0, MX_ACQ(s0)
        pop     s1
        pop     s0
        pop     ra
        ret

# mx_owner_running (t0 = owner thread; preserves s0, s1) -> a0 = 0 if it is
# running on a VCPU that runs, 1 if its CPU's VCPU is preempted, 2 if it is
# not its CPU's current thread.
mx_owner_running:
        lw      t1, T_CPU(t0)
        slli    t2, t1, C_SHIFT
        la      a0, percpu
        add     t2, t2, a0
        lw      t2, C_CURRENT(t2)
        li      a0, 2
        bne     t2, t0, 1f                      # owner->on_cpu
        percpu  t2, a0
        lw      t2, C_INFO(t2)
        add     t2, t2, t1
        lbu     a0, INFO_PREEMPTED(t2)          # vcpu_is_preempted(task_cpu(owner))
1:      ret

# mutex_unlock(a0 = mutex). Clobbers a0-a3, t0-t2. Always takes the wait
# lock after releasing, so a waiter that decided to sleep under it is seen.
mutex_unlock:
        push    ra
        push    s0
        mv      s0, a0
        fence
        sw      zero, MX_OWNER(s0)
        lw      a0, MX_WAIT_LOCK(s0)
        call    spin_lock
        addi    a0, s0, MX_WAITERS
        call    wl_pop
        push    a0
        lw      a0, MX_WAIT_LOCK(s0)
        call    spin_unlock
        pop     a0
        beqz    a0, 1f
        call    make_runnable
1:      pop     s0
        pop     ra
        ret
