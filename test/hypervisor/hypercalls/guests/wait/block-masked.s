# wait/block-masked.s: BLOCK ignores pending lines not in IMASK: with an IPI
# pending and IMASK = timer only, it waits for the timer 30000 cycles ahead
# (res[1], bounds in wait.test.ts).
# expect-word: res[0] = 0
        .include "common/kernel.inc"
_start:
        hc      HC_IPI, 0                       # IPI pending, but IMASK = timer only
        li      t0, 1 << IRQ_TIMER
        csrw    CSR_IMASK, t0
        time_s0
        hc      HC_SET_TIMER, 0, 0
        li      t0, 30000
        add     a1, s0, t0
        li      a2, 0
        li      a0, HC_SET_TIMER
        hcall
        hc      HC_BLOCK
        keep    a0, 0
        hc      HC_TIME
        sub     t0, a0, s0
        keep    t0, 1
        done
        .include "common/kdata.inc"
