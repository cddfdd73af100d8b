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
# Spinners queue on an MCS lock first (osq_lock, kernel/locking/osq_lock.c),
# so that one at a time spins on the owner; a queued spinner leaves the
# queue when its predecessor's VCPU is preempted (vcpu_is_preempted) or it
# must reschedule, and sleeps.
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
7:      mv      a0, s0
        call    osq_lock                        # -> a0 = 0: the front spinner; else why it left the queue
        beqz    a0, 1f
        lw      t0, MX_OSQ_LEFT(s0)
        addi    t0, t0, 1
        sw      t0, MX_OSQ_LEFT(s0)
        j       3f
1:      lw      t0, MX_OWNER(s0)                # optimistic spinning on the owner
        beqz    t0, 2f
        call    mx_owner_running                # (t0 = owner) -> a0: 0 running, 1 preempted VCPU, 2 off its CPU
        bnez    a0, 6f
        percpu  t0, t1
        lw      t0, C_RESCHED(t0)
        li      a0, 2
        bnez    t0, 6f                          # need_resched: stop spinning
        pause
        j       1b
2:      li      t0, 0
        cas     t0, s1, (s0)
        bnez    t0, 1b
        mv      a0, s0
        call    osq_unlock
        lw      t0, MX_SPUN(s0)
        addi    t0, t0, 1
        sw      t0, MX_SPUN(s0)
        j       8f
6:      push    a0
        mv      a0, s0
        call    osq_unlock
        pop     a0
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
        j       7b                              # woken: compete again, through the spinner queue
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

# osq_lock (a0 = mutex; preserves s0, s1) -> a0 = 0 once this CPU's node is
# at the front of the mutex's spinner queue; 1 if it left the queue because
# its predecessor's VCPU is preempted, 2 because this CPU must reschedule.
# Leaving follows Linux's three steps: unlink from the predecessor, wait for
# the successor (or make the predecessor the tail), link the two.
osq_lock:
        push    ra
        push    s2
        push    s3
        percpu  s2, t0
        addi    s2, s2, C_OSQ                   # my node
        sw      zero, OSQ_NEXT(s2)
        sw      zero, OSQ_PREV(s2)
        sw      zero, OSQ_LOCKED(s2)
        fence
        addi    s3, a0, MX_OSQ                  # the tail word
        mv      t0, s2
        xchg    t0, t0, (s3)
        li      a0, 0
        beqz    t0, 9f                          # the queue was empty: front at once
        sw      t0, OSQ_PREV(s2)
        fence
        sw      s2, OSQ_NEXT(t0)
1:      lw      t0, OSQ_LOCKED(s2)
        li      a0, 0
        bnez    t0, 9f
        percpu  t1, t0
        lw      t0, C_RESCHED(t1)
        li      a0, 2
        bnez    t0, 2f
        lw      t0, OSQ_PREV(s2)                # vcpu_is_preempted(node_cpu(prev))
        la      t2, percpu + C_OSQ
        sub     t0, t0, t2
        srli    t0, t0, C_SHIFT
        lw      t1, C_INFO(t1)
        add     t1, t1, t0
        lbu     t0, INFO_PREEMPTED(t1)
        li      a0, 1
        bnez    t0, 2f
        pause
        j       1b
2:      push    a0                              # step A: unlink from the predecessor
3:      lw      t0, OSQ_PREV(s2)
        lw      t1, OSQ_NEXT(t0)
        bne     t1, s2, 4f
        mv      t1, s2
        li      t2, 0
        addi    t0, t0, OSQ_NEXT
        cas     t1, t2, (t0)
        beq     t1, s2, 5f
4:      lw      t1, OSQ_LOCKED(s2)
        beqz    t1, 6f
        pop     a0                              # handed the front meanwhile: spin after all
        li      a0, 0
        j       9f
6:      pause
        j       3b
5:      lw      a1, OSQ_PREV(s2)                # step B: the successor, or the predecessor becomes the tail
        call    osq_wait_next
        beqz    a0, 7f
        lw      t0, OSQ_PREV(s2)                # step C: link predecessor and successor
        sw      t0, OSQ_PREV(a0)
        fence
        sw      a0, OSQ_NEXT(t0)
7:      pop     a0
9:      pop     s3
        pop     s2
        pop     ra
        ret

# osq_wait_next (s2 = my node, s3 = the tail word, a1 = the tail if I am the
# last; preserves s2, s3) -> a0 = my successor's node, taken off my node, or 0
# if I was the last (the tail is then a1).
osq_wait_next:
1:      lw      t0, 0(s3)
        bne     t0, s2, 2f
        mv      t0, s2
        cas     t0, a1, (s3)
        beq     t0, s2, 3f
2:      lw      t0, OSQ_NEXT(s2)
        beqz    t0, 4f
        li      t1, 0
        addi    t2, s2, OSQ_NEXT
        xchg    t1, t1, (t2)
        mv      a0, t1
        bnez    a0, 5f
4:      pause
        j       1b
3:      li      a0, 0
5:      ret

# osq_unlock (a0 = mutex; preserves s0, s1): pass the front to the next spinner.
osq_unlock:
        push    ra
        push    s2
        push    s3
        percpu  s2, t0
        addi    s2, s2, C_OSQ
        addi    s3, a0, MX_OSQ
        mv      t0, s2                          # the last: the queue is empty now
        li      t1, 0
        cas     t0, t1, (s3)
        beq     t0, s2, 9f
        li      t1, 0
        addi    t2, s2, OSQ_NEXT
        xchg    t1, t1, (t2)
        bnez    t1, 8f
        li      a1, 0
        call    osq_wait_next
        beqz    a0, 9f
        mv      t1, a0
8:      li      t0, 1
        sw      t0, OSQ_LOCKED(t1)
9:      pop     s3
        pop     s2
        pop     ra
        ret

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
