# 30-spinlock.s: spinlocks. Three kinds, chosen at boot (BO_LOCK_KIND):
# test-and-test-and-set with `pause`, ticket locks (FIFO), and queued (MCS)
# locks as Linux's qspinlock (32-qspinlock.s). Every lock
# counts acquisitions, contended acquisitions, hold time and spin time with
# the global virtual clock (rdtime), so time a preempted holder spends off
# its PCPU counts as hold time; a spinner's own time off its PCPU (steal
# time, from the info page) does not count as spin time. Every VCPU keeps
# the number of spinlocks it holds or is acquiring in its shared info page
# (INFO_LOCK_COUNT, incremented before the attempt, so that no preemption
# falls between taking a lock and counting it) and marks the time it spins
# for one (INFO_LOCK_WAIT): the hypervisor's intrusive strategy reads the
# count, and its statistics count a VCPU as a lock holder when the count
# exceeds the one lock it may be spinning for. With BO_HINTS, when the count
# drops to zero and the hypervisor has set PREEMPT_PENDING, the kernel
# yields to the hypervisor (memory operations only on the fast path).
# With BO_DEBUG_LOCKS, a double acquire or a release by a non-owner panics.
# The kernel never takes a lock with interrupts enabled (it runs with IE off).

# rd = this CPU's shared info page (tmp is clobbered)
.macro myinfo rd, tmp
        percpu  \rd, \tmp
        lw      \rd, C_INFO(\rd)
.endm

# The accounting around a pv wait (both pv locks): pvwait_begin counts the
# wait and pushes its start (wall time minus this VCPU's steal time);
# pvwait_end pops it and leaves the time blocked in a1, never below 0 (PCPU
# clocks differ by up to a quantum). Clobber t0, t1.
.macro pvwait_begin
        percpu  t1, t0
        lw      t0, C_PV_WAITS(t1)
        addi    t0, t0, 1
        sw      t0, C_PV_WAITS(t1)
        myinfo  t1, t0                          # the time blocked: wall time minus steal time
        lw      t1, INFO_STEAL_LO(t1)
        rdtime  t0
        sub     t0, t0, t1
        push    t0
.endm

.macro pvwait_end
        myinfo  t1, t0
        lw      t1, INFO_STEAL_LO(t1)
        pop     t0
        rdtime  a1
        sub     a1, a1, t1
        sub     a1, a1, t0
        bgez    a1, 1f
        li      a1, 0
1:
.endm

# spin_lock(a0 = lock). Clobbers a1-a3, t0-t2.
spin_lock:
        push    ra
        myinfo  t2, t1                          # count it before trying: a preemption right after the
        lw      t1, INFO_LOCK_COUNT(t2)         # atomic exchange must already see a holder
        addi    t1, t1, 1
        sw      t1, INFO_LOCK_COUNT(t2)
        la      t0, bootopts
        lw      t1, BO_DEBUG_LOCKS(t0)
        beqz    t1, 2f
        csrr    t2, CSR_VCPUID
        addi    t2, t2, 1
        lw      t1, L_OWNER(a0)
        bne     t1, t2, 2f
        mv      a1, ra
        la      a0, msg_double
        j       panic
2:      rdtime  a2                              # when we started to want it
        li      a3, 0                           # contended?
        lw      t1, BO_LOCK_KIND(t0)
        li      t2, LOCK_QUEUED
        beq     t1, t2, queued_lock             # 32-qspinlock.s
        bnez    t1, ticket_lock
        li      t1, 1                           # test-and-set first: the uncontended path
        xchg    t1, t1, (a0)
        beqz    t1, got_lock
        li      a3, 1
        call    spin_begin
        li      a1, 0                           # spins since the last pv wait
3:      pause                                   # test until it looks free, then test-and-set
        call    holder_check
        lw      t1, L_WORD(a0)
        bnez    t1, 6f
        li      t1, 1
        xchg    t1, t1, (a0)
        beqz    t1, got_lock
6:      addi    a1, a1, 1
        la      t0, bootopts
        lw      t1, BO_PVSPIN(t0)
        beqz    t1, 3b
        lw      t1, BO_PV_SPINS(t0)
        blt     a1, t1, 3b
        call    pv_wait                         # spun long enough: block until kicked
        li      a1, 0
        j       3b
ticket_lock:
        li      t1, 1
        xadd    t1, t1, (a0)                    # my ticket
        lw      t2, L_SERVING(a0)
        beq     t1, t2, got_lock
        li      a3, 1
        push    t1
        call    spin_begin
        pop     t1
4:      pause
        push    t1
        call    holder_check
        pop     t1
        lw      t2, L_SERVING(a0)
        bne     t1, t2, 4b
got_lock:
        myinfo  t2, t0
        sw      zero, INFO_LOCK_WAIT(t2)
        rdtime  t0
        sw      t0, L_T0(a0)
        csrr    t1, CSR_VCPUID
        addi    t1, t1, 1
        sw      t1, L_OWNER(a0)
        lw      t1, L_ACQ(a0)
        addi    t1, t1, 1
        sw      t1, L_ACQ(a0)
        beqz    a3, 5f
        lw      t1, L_CONTENDED(a0)
        addi    t1, t1, 1
        sw      t1, L_CONTENDED(a0)
        myinfo  t2, t1                          # spin time = wall time minus the steal time in between
        lw      t1, INFO_STEAL_LO(t2)
        sub     t0, t0, t1
        sub     a2, t0, a2
        bgez    a2, 7f                          # PCPU clocks differ by up to a quantum: never below 0
        li      a2, 0
7:      add64   a0, L_SPIN, a2
        percpu  t2, t1                          # and the wall-clock wait
        lw      t1, C_SPIN_T0(t2)
        rdtime  a2
        sub     a2, a2, t1
        add64   a0, L_WAITW, a2
5:      pop     ra
        ret

# spin_begin (a2 = when the attempt began; preserves a0, a1, a3): the attempt
# is contended: mark this VCPU as spinning (INFO_LOCK_WAIT), remember the
# start for the wall-clock wait (L_WAITW, as a guest reading its TSC would
# measure it), and make a2 the start time minus the steal time so far, so
# that the spin time (L_SPIN) counts only time this VCPU ran.
spin_begin:
        percpu  t0, t1
        sw      a2, C_SPIN_T0(t0)               # (wall-clock waiting: L_WAITW)
        lw      t2, C_INFO(t0)
        li      t1, 1
        sw      t1, INFO_LOCK_WAIT(t2)
        lw      t1, INFO_STEAL_LO(t2)
        sub     a2, a2, t1
        ret

# spin_unlock(a0 = lock). Clobbers a0-a2, t0-t2.
spin_unlock:
        la      t0, bootopts
        lw      t1, BO_DEBUG_LOCKS(t0)
        beqz    t1, 1f
        csrr    t2, CSR_VCPUID
        addi    t2, t2, 1
        lw      t1, L_OWNER(a0)
        beq     t1, t2, 1f
        mv      a1, ra
        la      a0, msg_nonowner
        j       panic
1:      rdtime  a1
        lw      t1, L_T0(a0)
        sub     a1, a1, t1
        bgez    a1, 7f                          # (a holder that moved PCPU: clocks differ by up to a quantum)
        li      a1, 0
7:      add64   a0, L_HOLD, a1
        sw      zero, L_OWNER(a0)
        la      t0, bootopts
        lw      t1, BO_LOCK_KIND(t0)
        li      t2, LOCK_QUEUED
        bne     t1, t2, 8f
        push    ra
        call    queued_unlock                   # 32-qspinlock.s (it calls too: ra saved)
        pop     ra
        la      t0, bootopts
        j       3f
8:      bnez    t1, 2f
        fence
        sw      zero, L_WORD(a0)
        lw      t1, L_WAITERS(a0)               # pv spinlocks: kick one blocked waiter
        beqz    t1, 3f
        li      t2, 0
5:      andi    a1, t1, 1
        bnez    a1, 6f
        srli    t1, t1, 1
        addi    t2, t2, 1
        j       5b
6:      push    a0
        mv      a1, t2
        hc      HC_PV_KICK
        pop     a0
        la      t0, bootopts
        j       3f
2:      lw      t1, L_SERVING(a0)               # only the holder writes it
        addi    t1, t1, 1
        fence
        sw      t1, L_SERVING(a0)
3:      percpu  a2, t1
        lw      t2, C_INFO(a2)
        lw      t1, INFO_LOCK_COUNT(t2)
        addi    t1, t1, -1
        sw      t1, INFO_LOCK_COUNT(t2)
        bnez    t1, 4f
        lw      t1, BO_HINTS(t0)
        beqz    t1, 4f
        lw      t1, INFO_PREEMPT_PENDING(t2)
        beqz    t1, 4f
        lw      t1, C_HINT_YIELDS(a2)           # the hypervisor delayed our preemption: give the PCPU back
        addi    t1, t1, 1
        sw      t1, C_HINT_YIELDS(a2)
        li      a1, -1
        hc      HC_YIELD
4:      ret

# holder_check (a0 = lock, a3 = this attempt's flags; preserves a0-a2): with
# BO_PREEMPT_CHECK, if the hypervisor says the holder's VCPU is preempted
# (INFO_PREEMPTED), spinning is pointless: yield to the holder (a directed
# yield, once per acquisition attempt: bit 1 of a3).
holder_check:
        la      t0, bootopts
        lw      t1, BO_PREEMPT_CHECK(t0)
        beqz    t1, 1f
        andi    t1, a3, 2
        bnez    t1, 1f
        lw      t2, L_OWNER(a0)                 # holder cpu + 1, or 0
        beqz    t2, 1f
        percpu  t1, t0
        lw      t0, C_INFO(t1)
        add     t0, t0, t2
        lbu     t0, INFO_PREEMPTED - 1(t0)
        beqz    t0, 1f
        lw      t0, C_PREEMPT_YIELDS(t1)
        addi    t0, t0, 1
        sw      t0, C_PREEMPT_YIELDS(t1)
        push    a0
        push    a1
        push    a2
        push    a3
        addi    a1, t2, -1
        hc      HC_YIELD
        pop     a3
        ori     a3, a3, 2
        pop     a2
        pop     a1
        pop     a0
1:      ret

# pv_wait (a0 = ttas lock; preserves a0, a2, a3): announce this CPU in
# L_WAITERS, and unless the lock came free meanwhile, block in HC_PV_WAIT
# while its word is still 1 (the unlocker kicks a waiter). The time blocked
# is added to L_PVWAIT: waiting, but not spinning.
pv_wait:
        push    ra
        push    a0
        push    a2
        push    a3
        csrr    t2, CSR_VCPUID
        li      t1, 1
        sll     t2, t1, t2                      # my bit
        addi    a1, a0, L_WAITERS
1:      lw      t0, 0(a1)                       # waiters |= my bit (cas loop)
        or      t1, t0, t2
        mv      a3, t0
        cas     t0, t1, (a1)
        bne     t0, a3, 1b
        lw      t0, L_WORD(a0)
        beqz    t0, 2f                          # freed meanwhile: do not sleep
        pvwait_begin
        mv      a1, a0
        li      a2, 1
        hc      HC_PV_WAIT
        pvwait_end
        lw      a0, 8(sp)                       # the lock again
        add64   a0, L_PVWAIT, a1
2:      csrr    t2, CSR_VCPUID                  # waiters &= ~my bit
        li      t1, 1
        sll     t2, t1, t2
        not     t2, t2
        addi    a1, a0, L_WAITERS
3:      lw      t0, 0(a1)
        and     t1, t0, t2
        mv      a3, t0
        cas     t0, t1, (a1)
        bne     t0, a3, 3b
        pop     a3
        pop     a2
        pop     a0
        pop     ra
        ret
