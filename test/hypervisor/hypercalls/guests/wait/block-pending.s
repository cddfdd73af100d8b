# wait/block-pending.s: BLOCK returns at once (res[1] cycles, bound in
# wait.test.ts; nothing in STAT_BLOCKED) if a line in IMASK is already
# pending: here the IPI it sent itself.
# expect-word: res[0] = 0
# expect-word: res[2] = 0
        .include "common/kernel.inc"
_start:
        li      t0, 1 << IRQ_IPI
        csrw    CSR_IMASK, t0
        hc      HC_IPI, 0
        time_s0
        hc      HC_BLOCK
        keep    a0, 0
        hc      HC_TIME
        sub     t0, a0, s0
        keep    t0, 1
        hc      HC_STAT, STAT_BLOCKED
        keep    a0, 2
        done
        .include "common/kdata.inc"
