# 32-qspinlock.s: queued spinlocks (BO_LOCK_KIND = LOCK_QUEUED), as Linux's
# qspinlock (kernel/locking/qspinlock.c) and, with BO_PVSPIN, its
# paravirtual variant (kernel/locking/qspinlock_paravirt.h). Entered from
# spin_lock/spin_unlock (30-spinlock.s), which keep the statistics, the
# lock-hold count and the owner; lock order is theirs (kernel.inc).
#
# - One steal: an arriving CPU tries the lock word once, even past a queue
#   (queued_spin_trylock on the way in; Linux pv allows one such steal).
# - MCS queue: each CPU has one node (C_QNODE; interrupts are off, so a CPU
#   waits for one lock at a time). It swaps itself into the tail (L_SERVING)
#   and spins on its own node until its predecessor hands the head over.
# - The head spins on the lock word; once it holds it, it leaves the queue
#   (clears the tail if it is the last, else hands over to the next node).
# - pv: a queued node spins at most BO_PV_SPINS (SPIN_THRESHOLD) times, and
#   every 256 spins (PV_PREV_CHECK_MASK) stops early when its predecessor is
#   halted or its VCPU preempted (pv_wait_early: vcpu_is_preempted); it then
#   halts in HC_PV_WAIT on its node's state (pv_wait_node). The head spins
#   BO_PV_SPINS times, then hashes itself (pv_hash: lock -> node), marks the
#   lock word Q_SLOW and halts on it (pv_wait_head_or_lock). Handing the
#   head over to a halted node does not wake it: the hand-over hashes it and
#   marks the word Q_SLOW (pv_kick_node), so that the unlocker, finding
#   Q_SLOW, unhashes the head and kicks it (__pv_queued_spin_unlock_slowpath).
#   Only the queue head, marked halted (QS_HASHED), is ever kicked (checked:
#   the kernel panics otherwise); a kick that comes before its HC_PV_WAIT
#   makes the wait return at once.

# queued_lock (a0 = lock, a2 = attempt start, a3 = 0; from spin_lock): ends in
# got_lock with a0, a2, a3 as it expects.
queued_lock:
        li      t0, 0                           # the one steal (and the uncontended path)
        li      t1, 1
        cas     t0, t1, (a0)
        beqz    t0, got_lock
        li      a3, 1
        call    spin_begin
        percpu  t2, t1
        addi    t2, t2, C_QNODE                 # t2 = my node
        sw      zero, QN_NEXT(t2)
        sw      zero, QN_LOCKED(t2)
        sw      zero, QN_STATE(t2)              # QS_RUNNING
        fence
        mv      t1, t2
        addi    t0, a0, L_SERVING
        xchg    t1, t1, (t0)                    # t1 = predecessor (0: I am the head)
        beqz    t1, q_head
        sw      t2, QN_NEXT(t1)                 # link behind it
        li      a1, 0                           # spins
1:      lw      t0, QN_LOCKED(t2)               # pv_wait_node: spin on my own node
        bnez    t0, q_head
        pause
        addi    a1, a1, 1
        la      t0, bootopts
        lw      t0, BO_PVSPIN(t0)
        beqz    t0, 1b
        andi    t0, a1, PV_PREV_CHECK_MASK
        bnez    t0, 2f
        call    q_prev_stalled                  # (t1 = predecessor) -> t0 != 0: halt now
        bnez    t0, 3f
2:      la      t0, bootopts
        lw      t0, BO_PV_SPINS(t0)
        blt     a1, t0, 1b
        j       4f
3:      percpu  t0, a1                          # halting before the threshold
        lw      a1, C_PV_EARLY(t0)
        addi    a1, a1, 1
        sw      a1, C_PV_EARLY(t0)
4:      li      t0, QS_HALTED
        sw      t0, QN_STATE(t2)
        fence
        lw      t0, QN_LOCKED(t2)               # handed over meanwhile: do not halt
        bnez    t0, 5f
        push    t1
        push    t2
        addi    a1, t2, QN_STATE
        li      t0, QS_HALTED
        call    q_pv_wait                       # until kicked (as head) or a spurious return
        pop     t2
        pop     t1
5:      li      t0, QS_HALTED                   # back to running, unless the hand-over hashed me
        li      a1, QS_RUNNING
        addi    t2, t2, QN_STATE
        cas     t0, a1, (t2)
        addi    t2, t2, -QN_STATE
        li      a1, 0
        j       1b

# The queue head: spin on the lock word (pv: then hash, mark Q_SLOW, halt).
q_head: percpu  t2, t1
        addi    t2, t2, C_QNODE
        li      t1, 1
        sw      t1, QN_LOCKED(t2)               # (a head that had no predecessor marks itself: the unlocker checks)
        lw      t1, QN_STATE(t2)                # hashed by the hand-over already (lp = 1)
        addi    t1, t1, -QS_HASHED
        seqz    t1, t1
6:      li      a1, 0
7:      li      t0, 0
        cas     t0, a3, (a0)                    # (a3 = 1: this attempt is contended)
        beqz    t0, q_got
        pause
        addi    a1, a1, 1
        la      t0, bootopts
        lw      t0, BO_PVSPIN(t0)
        beqz    t0, 7b
        la      t0, bootopts
        lw      t0, BO_PV_SPINS(t0)
        blt     a1, t0, 7b
        bnez    t1, 8f                          # hashed once: do not hash again
        mv      a1, t2
        call    pv_hash                         # (a0 = lock, a1 = node)
        li      t0, QS_HASHED                   # (Linux sets it after the exchange; before it, an unlocker
        sw      t0, QN_STATE(t2)                # that finds Q_SLOW always finds the head marked halted)
        fence
        li      t1, 1
        li      t0, Q_SLOW
        xchg    t0, t0, (a0)
        bnez    t0, 8f                          # still held: it is Q_SLOW now
        li      t0, 1                           # it came free: mine (the word is Q_SLOW: make it 1), unhash
        sw      t0, L_WORD(a0)
        sw      zero, QN_STATE(t2)
        call    pv_unhash
        j       q_got
8:      push    t1
        push    t2
        addi    a1, a0, L_WORD
        li      t0, Q_SLOW
        call    q_pv_wait                       # while the word is Q_SLOW
        pop     t2
        pop     t1
        j       6b

# The lock is mine: leave the queue (t2 = my node).
q_got:  mv      t0, t2
        li      t1, 0
        addi    a1, a0, L_SERVING
        cas     t0, t1, (a1)                    # the last in the queue: empty it
        beq     t0, t2, got_lock
9:      lw      t1, QN_NEXT(t2)                 # else wait until the next one has linked itself
        beqz    t1, 9b
        li      t0, 1
        sw      t0, QN_LOCKED(t1)               # hand the head over
        la      t0, bootopts
        lw      t0, BO_PVSPIN(t0)
        beqz    t0, got_lock
        li      t0, QS_HALTED                   # pv_kick_node: a halted successor is hashed, not kicked
        li      a1, QS_HASHED
        addi    t1, t1, QN_STATE
        cas     t0, a1, (t1)
        addi    t1, t1, -QN_STATE
        li      a1, QS_HALTED
        bne     t0, a1, got_lock
        li      t0, Q_SLOW                      # the unlocker (this CPU) will kick it
        sw      t0, L_WORD(a0)
        mv      a1, t1
        call    pv_hash
        j       got_lock

# q_prev_stalled (t1 = predecessor node; preserves a0-a3, t1, t2): t0 = 1 if
# the predecessor is halted or its VCPU preempted (INFO_PREEMPTED), else 0.
q_prev_stalled:
        lw      t0, QN_STATE(t1)
        bnez    t0, 1f
        push    t2
        push    a1
        la      t0, percpu + C_QNODE
        sub     t0, t1, t0
        srli    t0, t0, C_SHIFT                 # its CPU
        percpu  t2, a1
        lw      t2, C_INFO(t2)
        add     t2, t2, t0
        lbu     t0, INFO_PREEMPTED(t2)
        pop     a1
        pop     t2
        ret
1:      li      t0, 1
        ret

# q_pv_wait (a0 = lock, a1 = address, t0 = value; preserves a0, a2, a3): block
# in HC_PV_WAIT while the word at a1 is t0; the time blocked goes to
# L_PVWAIT (waiting, not spinning), as pv_wait does for the byte lock.
q_pv_wait:
        push    ra
        push    a0
        push    a2
        push    a3
        mv      a3, t0                          # the value
        mv      a2, a1                          # the address
        pvwait_begin
        mv      a1, a2
        mv      a2, a3
        hc      HC_PV_WAIT
        pvwait_end
        lw      a0, 8(sp)                       # the lock again
        add64   a0, L_PVWAIT, a1
        pop     a3
        pop     a2
        pop     a0
        pop     ra
        ret

# pv_hash (a0 = lock, a1 = node; preserves a0-a3, t1, t2): record the halted
# head of a0, at the first free entry from the lock's hash (linear probe).
pv_hash:
        push    t1
        push    t2
        percpu  t2, t1
        lw      t1, C_PV_HASHED(t2)
        addi    t1, t1, 1
        sw      t1, C_PV_HASHED(t2)
        srli    t2, a0, 6                       # locks are L_SIZE (64) bytes apart
1:      andi    t2, t2, PV_HASH_SIZE - 1
        slli    t1, t2, 3
        la      t0, pvhash
        add     t1, t1, t0
        li      t0, 0
        cas     t0, a0, (t1)                    # claim a free entry
        beqz    t0, 2f
        addi    t2, t2, 1
        j       1b
2:      sw      a1, 4(t1)
        pop     t2
        pop     t1
        ret

# pv_unhash (a0 = lock; preserves a0, a2, a3, t2): a1 = the hashed head's
# node, its entry freed. The kernel panics if there is none.
pv_unhash:
        push    t2
        li      t2, PV_HASH_SIZE                # entries left to probe
        srli    t1, a0, 6
3:      kassert nez, t2, msg_qhash
        addi    t2, t2, -1
        andi    t1, t1, PV_HASH_SIZE - 1
        slli    t0, t1, 3
        push    t1
        la      t1, pvhash
        add     t0, t0, t1
        pop     t1
        lw      a1, 0(t0)
        beq     a1, a0, 4f
        addi    t1, t1, 1
        j       3b
4:      lw      a1, 4(t0)
        sw      zero, 0(t0)
        pop     t2
        ret

# queued_unlock (a0 = lock; from spin_unlock, clobbers a1, a2, t0-t2): release;
# a Q_SLOW word means a hashed, halted head to kick.
queued_unlock:
        li      t0, 1
        li      t1, 0
        cas     t0, t1, (a0)
        li      t1, 1
        beq     t0, t1, 7f
        push    ra
        call    pv_unhash                       # a1 = the head's node
        lw      t0, QN_STATE(a1)                # only a halted queue head is ever kicked
        addi    t0, t0, -QS_HASHED
        kassert eqz, t0, msg_qkick
        lw      t0, QN_LOCKED(a1)
        kassert nez, t0, msg_qkick
        fence
        sw      zero, L_WORD(a0)
        la      t0, percpu + C_QNODE
        sub     t0, a1, t0
        srli    a1, t0, C_SHIFT                 # its CPU
        percpu  t1, t2
        lw      t2, C_PV_KICKS(t1)
        addi    t2, t2, 1
        sw      t2, C_PV_KICKS(t1)
        push    a0
        hc      HC_PV_KICK
        pop     a0
        pop     ra
7:      ret
