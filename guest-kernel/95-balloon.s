# 95-balloon.s: balloon threads, the guest half of time ballooning. When the
# hypervisor changes this VCPU's INFO_BALLOON_TARGET and raises IRQ_HV, the
# kernel makes that many balloon threads runnable on this CPU (creating them
# the first time, pinned here) and parks the rest. A balloon thread, when
# scheduled, gives its time back to the hypervisor (HC_BLOCK until the next
# interrupt, tick after tick, for its whole slice) instead of computing; but
# it counts as a runnable thread, so the load balancer moves real work away.

# balloon_update: follow the target of this CPU's info page.
balloon_update:
        push    ra
        push    s0
        push    s1
        percpu  s0, t0
        lw      t0, C_INFO(s0)
        lw      s1, INFO_BALLOON_TARGET(t0)
1:      lw      t0, C_BALLOON_ACTIVE(s0)
        bge     t0, s1, 4f
        lw      a0, C_BALLOONS(s0)              # one more: a parked one, or a new one
2:      beqz    a0, 3f
        lw      t0, T_STATE(a0)
        li      t1, TS_PARKED
        beq     t0, t1, 5f
        lw      a0, T_BNEXT(a0)
        j       2b
3:      la      a0, balloon_main
        lw      a1, C_ID(s0)
        li      a2, TK_BALLOON
        call    thread_create_kernel
        beqz    a0, 7f
        lw      t0, C_BALLOONS(s0)
        sw      t0, T_BNEXT(a0)
        sw      a0, C_BALLOONS(s0)
5:      sw      zero, T_VALUE(a0)               # no park request
        call    make_runnable
        lw      t0, C_BALLOON_ACTIVE(s0)
        addi    t0, t0, 1
        sw      t0, C_BALLOON_ACTIVE(s0)
        j       1b
4:      lw      t0, C_BALLOON_ACTIVE(s0)        # too many: ask runnable ones to park
        ble     t0, s1, 7f
        lw      a0, C_BALLOONS(s0)
6:      beqz    a0, 7f
        lw      t1, T_STATE(a0)
        li      t2, TS_PARKED
        beq     t1, t2, 8f
        lw      t1, T_VALUE(a0)
        bnez    t1, 8f                          # already asked
        li      t1, 1
        sw      t1, T_VALUE(a0)
        addi    t0, t0, -1
        sw      t0, C_BALLOON_ACTIVE(s0)
        ble     t0, s1, 7f
8:      lw      a0, T_BNEXT(a0)
        j       6b
7:      pop     s1
        pop     s0
        pop     ra
        ret

balloon_main:
        current s0, t0
        lw      t0, T_VALUE(s0)
        beqz    t0, 1f
        sw      zero, T_VALUE(s0)               # asked to park: leave the run queue
        call    lock_my_rq
        li      t0, TS_PARKED
        sw      t0, T_STATE(s0)
        call    __schedule
        j       balloon_main
1:      hc      HC_BLOCK                        # the time goes back to the hypervisor
        call    poll_interrupts                 # (the tick that woke us)
        percpu  t0, t1
        lw      t0, C_RESCHED(t0)
        beqz    t0, balloon_main
        call    schedule
        j       balloon_main
