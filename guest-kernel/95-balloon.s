# 95-balloon.s: balloon threads, the guest half of time ballooning. When the
# hypervisor changes this VCPU's INFO_BALLOON_TARGET and raises IRQ_HV, the
# kernel makes that many balloon threads runnable on this CPU (creating them
# the first time, pinned here) and parks the rest. A balloon thread counts
# as a runnable thread (C_NR), so the unchanged load balancer sees this CPU
# as busier and moves real work away; but it gives back only time that would
# otherwise be wasted:
#   - alone (no real work waiting on this CPU): it blocks the VCPU in the
#     hypervisor (HC_BLOCK) until the next interrupt, tick after tick, for
#     its whole slice, as the idle loop would; that time goes to the
#     hypervisor's other work;
#   - with real work waiting: it yields to it at once (schedule), so the
#     real work keeps the whole VCPU. One exception, the pull window: when
#     the only real thread here is waiting and another CPU's queue is short
#     enough that its balancer would pull from this one (pull_due), the
#     balloon blocks tick by tick while that lasts, for at most its slice.
#     A balancer moves only waiting threads, and a lone real thread whose
#     balloons yield to it at once would otherwise never be seen waiting;
#     a slice (BO_SLICE_TICKS) spans a periodic balance of every CPU
#     (BO_BALANCE_TICKS), so the pull happens within the window.
# The VCPU time balloon threads use themselves (a few hundred cycles per
# activation) is summed per CPU in balloon_cycles (HC_STAT RUNNING before
# and after each activation), so the host can check it stays negligible.

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
        lw      t1, T_VALUE(a0)                 # asked to park but still runnable: cancel that
        beqz    t1, 9f
        sw      zero, T_VALUE(a0)
        j       6f
9:      lw      a0, T_BNEXT(a0)
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
6:      lw      t0, C_BALLOON_ACTIVE(s0)
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
        call    balloon_mark
1:      current s0, t0
        lw      t0, T_VALUE(s0)
        beqz    t0, 2f
        sw      zero, T_VALUE(s0)               # asked to park: leave the run queue
        call    balloon_charge
        call    lock_my_rq
        li      t0, TS_PARKED
        sw      t0, T_STATE(s0)
        call    __schedule
        call    balloon_mark
        j       1b
2:      percpu  s1, t0                          # s2 = real threads waiting here (this balloon
        lw      s2, C_NR(s1)                    # and the other active ones are in both counts)
        lw      t0, C_BALLOON_ACTIVE(s1)
        sub     s2, s2, t0
        beqz    s2, 4f                          # alone: give the time back
        li      t0, 1
        bne     s2, t0, 3f                      # two or more: one always waits, pullable; yield
        call    pull_due
        beqz    a0, 3f                          # nobody would take it: yield to it at once
4:      call    balloon_charge
        hc      HC_BLOCK                        # the time goes back to the hypervisor
        call    balloon_mark
        call    poll_interrupts                 # (the tick that woke us)
        lw      t0, C_RESCHED(s1)               # the slice is over
        bnez    t0, 3f
        j       1b                              # alone still, or the pull window stays open while due
3:      call    balloon_charge
        call    schedule
        call    balloon_mark
        j       1b

# pull_due -> a0 = 1 if some other CPU's run queue is BO_BALANCE_THRESHOLD or
# more threads shorter than this one's, i.e. its balancer would pull from here.
pull_due:
        percpu  a1, t0
        lw      a2, C_NR(a1)
        la      t0, bootopts
        lw      t0, BO_BALANCE_THRESHOLD(t0)
        sub     a2, a2, t0                      # a queue this short or shorter would pull
        la      t0, ncpus
        lw      a3, 0(t0)
        la      t1, percpu
        li      a0, 0
1:      beqz    a3, 3f
        beq     t1, a1, 2f
        lw      t2, C_NR(t1)
        bgt     t2, a2, 2f
        li      a0, 1
        ret
2:      addi    t1, t1, C_SIZE
        addi    a3, a3, -1
        j       1b
3:      ret

# balloon_mark: note this VCPU's running time (HC_STAT RUNNING) when a balloon thread starts using it.
balloon_mark:
        push    ra
        li      a1, STAT_RUNNING
        hc      HC_STAT
        csrr    t0, CSR_VCPUID
        slli    t0, t0, 2
        la      t1, balloon_since
        add     t0, t0, t1
        sw      a0, 0(t0)
        pop     ra
        ret

# balloon_charge: add the running time since balloon_mark to this CPU's balloon_cycles (64-bit).
balloon_charge:
        push    ra
        li      a1, STAT_RUNNING
        hc      HC_STAT
        csrr    a3, CSR_VCPUID
        slli    a2, a3, 2
        la      t1, balloon_since
        add     a2, a2, t1
        lw      t1, 0(a2)
        sub     a0, a0, t1                      # cycles since the mark (mod 2^32)
        slli    a3, a3, 3
        la      a2, balloon_cycles
        add     a2, a2, a3
        add64   a2, 0, a0
        pop     ra
        ret

        .data
        .global balloon_cycles
        .align  3
balloon_cycles: .space  MAX_CPUS * 8            # per CPU: VCPU cycles balloon threads ran (64-bit)
balloon_since:  .space  MAX_CPUS * 4            # per CPU: HC_STAT RUNNING (low word) at the last mark
        .text
