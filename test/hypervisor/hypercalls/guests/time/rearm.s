# time/rearm.s: re-arming replaces the deadline (one shot): armed 200000
# then 50000 ahead, it wakes after about 50000 (res[0], bounds in
# time.test.ts), and nothing fires at the first deadline (res[1] = IPEND).
# expect-word: res[1] = 0
        .include "common/kernel.inc"
_start:
        li      t0, 1 << IRQ_TIMER
        csrw    CSR_IMASK, t0
        time_s0
        li      t0, 200000
        add     a1, s0, t0
        li      a2, 0
        li      a0, HC_SET_TIMER
        hcall
        li      t0, 50000
        add     a1, s0, t0
        li      a2, 0
        li      a0, HC_SET_TIMER
        hcall
        wfi
        hc      HC_TIME
        sub     t0, a0, s0
        keep    t0, 0
        li      t0, 1
        csrw    CSR_IPEND, t0
        spin    300000                          # past the first deadline
        csrr    t0, CSR_IPEND
        keep    t0, 1
        done
        .include "common/kdata.inc"
