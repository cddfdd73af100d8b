# time/past.s: a deadline in the past (1) or now fires at once: IPEND has
# the timer line right after each SET_TIMER.
# expect-word: res[0] = 0, 1, 0, 1
        .include "common/kernel.inc"
_start:
        hc      HC_SET_TIMER, 1, 0
        keep    a0, 0
        csrr    t0, CSR_IPEND
        keep    t0, 1
        li      t0, 1
        csrw    CSR_IPEND, t0                   # clear it
        time_s0
        mv      a1, s0
        mv      a2, s1
        li      a0, HC_SET_TIMER
        hcall
        keep    a0, 2
        csrr    t0, CSR_IPEND
        keep    t0, 3
        done
        .include "common/kdata.inc"
