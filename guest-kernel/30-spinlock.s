# 30-spinlock.s: spinlocks. Two kinds, chosen at boot (BO_LOCK_KIND):
# test-and-test-and-set with `pause`, and ticket locks (FIFO). Every lock
# counts acquisitions, contended acquisitions, hold time and spin time with
# the global virtual clock (rdtime), so time a preempted holder spends off
# its PCPU counts as hold time. With BO_HINTS, acquiring increments this
# VCPU's lock-hold count in the shared info page and releasing decrements
# it; when it drops to zero and the hypervisor has set PREEMPT_PENDING, the
# kernel yields to the hypervisor (memory operations only on the fast path).
# With BO_DEBUG_LOCKS, a double acquire or a release by a non-owner panics.
# The kernel never takes a lock with interrupts enabled (it runs with IE off).

# spin_lock(a0 = lock). Clobbers a1-a3, t0-t2.
spin_lock:
        la      t0, bootopts
        lw      t1, BO_HINTS(t0)
        beqz    t1, 1f
        percpu  t2, t1
        lw      t2, C_INFO(t2)
        lw      t1, INFO_LOCK_COUNT(t2)
        addi    t1, t1, 1
        sw      t1, INFO_LOCK_COUNT(t2)
1:      lw      t1, BO_DEBUG_LOCKS(t0)
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
        bnez    t1, ticket_lock
        li      t1, 1                           # test-and-set first: the uncontended path
        xchg    t1, t1, (a0)
        beqz    t1, got_lock
        li      a3, 1
3:      pause                                   # test until it looks free, then test-and-set
        lw      t1, L_WORD(a0)
        bnez    t1, 3b
        li      t1, 1
        xchg    t1, t1, (a0)
        bnez    t1, 3b
        j       got_lock
ticket_lock:
        li      t1, 1
        xadd    t1, t1, (a0)                    # my ticket
        lw      t2, L_SERVING(a0)
        beq     t1, t2, got_lock
        li      a3, 1
4:      pause
        lw      t2, L_SERVING(a0)
        bne     t1, t2, 4b
got_lock:
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
        sub     a2, t0, a2
        add64   a0, L_SPIN, a2
5:      ret

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
        add64   a0, L_HOLD, a1
        sw      zero, L_OWNER(a0)
        la      t0, bootopts
        lw      t1, BO_LOCK_KIND(t0)
        bnez    t1, 2f
        fence
        sw      zero, L_WORD(a0)
        j       3f
2:      lw      t1, L_SERVING(a0)               # only the holder writes it
        addi    t1, t1, 1
        fence
        sw      t1, L_SERVING(a0)
3:      lw      t1, BO_HINTS(t0)
        beqz    t1, 4f
        percpu  a2, t1
        lw      t2, C_INFO(a2)
        lw      t1, INFO_LOCK_COUNT(t2)
        addi    t1, t1, -1
        sw      t1, INFO_LOCK_COUNT(t2)
        bnez    t1, 4f
        lw      t1, INFO_PREEMPT_PENDING(t2)
        beqz    t1, 4f
        lw      t1, C_HINT_YIELDS(a2)           # the hypervisor delayed our preemption: give the PCPU back
        addi    t1, t1, 1
        sw      t1, C_HINT_YIELDS(a2)
        li      a1, -1
        hc      HC_YIELD
4:      ret
