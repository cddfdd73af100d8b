# 90-mailbox.s: mailboxes, a kernel service with shared state behind
# spinlocks (LK_BOX0 + box). A mailbox holds up to BOX_SLOTS words; send
# blocks while it is full, receive while it is empty. A sleeper queues itself
# and takes its run-queue lock before dropping the mailbox lock (lock order:
# mailbox, then run queue), so a waker cannot miss it.

# box_addr(a0 = box) -> a0 = mailbox, a1 = its lock (a0 = 0 if out of range)
box_addr:
        li      t0, NBOXES
        bgeu    a0, t0, 1f
        li      t0, LK_BOX0
        add     t0, t0, a0
        li      t1, L_SIZE
        mul     t0, t0, t1
        la      a1, locks
        add     a1, a1, t0
        li      t0, B_SIZE
        mul     a0, a0, t0
        la      t0, boxes
        add     a0, a0, t0
        ret
1:      li      a0, 0
        ret

# wl_push(a0 = list head address, a1 = thread): append to a wait list (by T_NEXT).
wl_push:
        sw      zero, T_NEXT(a1)
1:      lw      t0, 0(a0)
        beqz    t0, 2f
        addi    a0, t0, T_NEXT
        j       1b
2:      sw      a1, 0(a0)
        ret

# wl_pop(a0 = list head address) -> a0 = first thread, or 0
wl_pop:
        lw      t0, 0(a0)
        beqz    t0, 1f
        lw      t1, T_NEXT(t0)
        sw      t1, 0(a0)
1:      mv      a0, t0
        ret

# box_wait(a0 = wait list head address, a1 = the mailbox's lock, held): queue the
# current thread on the list and block. The run-queue lock is taken before the
# mailbox lock is dropped (lock order: mailbox, then run queue), so a waker,
# which needs the run-queue lock, cannot wake it before it is off its CPU.
box_wait:
        push    ra
        push    a1
        current a1, t0
        call    wl_push
        call    lock_my_rq
        pop     a0
        call    spin_unlock
        call    block_current
        pop     ra
        ret

# box_append(a0 = mailbox, a1 = value): store at slot (head + count) % BOX_SLOTS (lock held, room checked).
box_append:
        lw      t0, B_COUNT(a0)
        lw      t1, B_HEAD(a0)
        add     t1, t1, t0
        andi    t1, t1, BOX_SLOTS - 1
        slli    t1, t1, 2
        add     t1, t1, a0
        sw      a1, B_SLOTS(t1)
        addi    t0, t0, 1
        sw      t0, B_COUNT(a0)
        ret

# send(box, value) -> 0, or ERR_INVAL
sys_send:
        push    ra
        push    s1
        push    s2
        push    s3
        mv      s3, a1                          # value
        call    box_addr
        beqz    a0, 8f
        mv      s1, a0
        mv      s2, a1
        mv      a0, s2
        call    spin_lock
        addi    a0, s1, B_RECEIVERS             # someone waiting: hand it over directly
        call    wl_pop
        beqz    a0, 1f
        sw      s3, T_VALUE(a0)
        mv      s3, a0
        mv      a0, s2
        call    spin_unlock
        mv      a0, s3
        call    make_runnable
        j       9f
1:      lw      t0, B_COUNT(s1)
        li      t1, BOX_SLOTS
        bge     t0, t1, 2f
        mv      a0, s1                          # room
        mv      a1, s3
        call    box_append
        mv      a0, s2
        call    spin_unlock
        j       9f
2:      current a1, t0                          # full: wait for a receiver to take our value
        sw      s3, T_VALUE(a1)
        addi    a0, s1, B_SENDERS
        mv      a1, s2
        call    box_wait
9:      li      a0, 0
        j       10f
8:      li      a0, ERR_INVAL
10:     pop     s3
        pop     s2
        pop     s1
        pop     ra
        ret

# recv(box) -> the oldest value (blocks while the mailbox is empty), or ERR_INVAL
sys_recv:
        push    ra
        push    s1
        push    s2
        push    s3
        call    box_addr
        beqz    a0, 8f
        mv      s1, a0
        mv      s2, a1
        mv      a0, s2
        call    spin_lock
        lw      t0, B_COUNT(s1)
        beqz    t0, 3f
        lw      t1, B_HEAD(s1)
        slli    t2, t1, 2
        add     t2, t2, s1
        lw      s3, B_SLOTS(t2)                 # the value
        addi    t1, t1, 1
        andi    t1, t1, BOX_SLOTS - 1
        sw      t1, B_HEAD(s1)
        addi    t0, t0, -1
        sw      t0, B_COUNT(s1)
        addi    a0, s1, B_SENDERS               # a blocked sender's value takes the freed slot
        call    wl_pop
        beqz    a0, 2f
        push    a0
        lw      a1, T_VALUE(a0)
        mv      a0, s1
        call    box_append
        mv      a0, s2
        call    spin_unlock
        pop     a0
        call    make_runnable
        j       9f
2:      mv      a0, s2
        call    spin_unlock
        j       9f
3:      addi    a0, s1, B_RECEIVERS             # empty: wait; the sender hands the value over
        mv      a1, s2
        call    box_wait
        current t0, t1
        lw      s3, T_VALUE(t0)
9:      mv      a0, s3
        j       10f
8:      li      a0, ERR_INVAL
10:     pop     s3
        pop     s2
        pop     s1
        pop     ra
        ret
