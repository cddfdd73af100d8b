# time/arm-wfi.s: arms the timer 100000 cycles ahead (res[0] = result,
# res[1] = deadline), waits in wfi, then keeps the time (res[2]), IPEND
# (res[3]) and STAT_BLOCKED (res[4]). How late it may wake depends on the
# machine it runs on, so the bounds are in time.test.ts.
# expect-word: res[0] = 0
        .include "common/kernel.inc"
_start:
        li      t0, 1 << IRQ_TIMER
        csrw    CSR_IMASK, t0
        time_s0
        li      t0, 100000
        add     s2, s0, t0
        mv      a1, s2
        mv      a2, s1
        li      a0, HC_SET_TIMER
        hcall
        keep    a0, 0
        keep    s2, 1
        wfi
        hc      HC_TIME
        keep    a0, 2
        csrr    t0, CSR_IPEND
        keep    t0, 3
        hc      HC_STAT, STAT_BLOCKED
        keep    a0, 4
        done
        .include "common/kdata.inc"
