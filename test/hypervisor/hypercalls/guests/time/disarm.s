# time/disarm.s: SET_TIMER(0, 0) disarms: nothing fires in 100000 cycles
# (res[2] = IPEND = 0), and the wfi after res[3] blocks for good, so res[4]
# stays 0 and the machine reports a deadlock.
# expect-word: res[0] = 0, 0, 0, 1, 0
        .include "common/kernel.inc"
_start:
        li      t0, 1 << IRQ_TIMER
        csrw    CSR_IMASK, t0
        hc      HC_SET_TIMER, 50000, 0
        keep    a0, 0
        hc      HC_SET_TIMER, 0, 0
        keep    a0, 1
        spin    100000
        csrr    t0, CSR_IPEND
        keep    t0, 2
        li      t0, 1
        keep    t0, 3
        wfi
        li      t0, 1
        keep    t0, 4
        done
        .include "common/kdata.inc"
