# wait/block-timer.s: BLOCK with the timer 100000 cycles ahead: it returns 0
# after the deadline (lateness res[2]) with STATUS.IE still off (res[4] = 2:
# kernel, no interrupt taken), and the time shows up in STAT_BLOCKED (res[0]
# before, res[3] after; bounds in wait.test.ts).
# expect-word: res[0] = 0, 0
# expect-word: res[4] = 2
        .include "common/kernel.inc"
_start:
        li      t0, 1 << IRQ_TIMER
        csrw    CSR_IMASK, t0
        time_s0
        li      t0, 100000
        add     s2, s0, t0
        mv      a1, s2
        li      a2, 0
        li      a0, HC_SET_TIMER
        hcall
        hc      HC_STAT, STAT_BLOCKED
        keep    a0, 0
        hc      HC_BLOCK
        keep    a0, 1
        hc      HC_TIME
        sub     t0, a0, s2
        keep    t0, 2
        hc      HC_STAT, STAT_BLOCKED
        keep    a0, 3
        csrr    t0, CSR_STATUS
        keep    t0, 4
        done
        .include "common/kdata.inc"
