# time/high-word.s: SET_TIMER takes a 64-bit deadline (2^32 + 5) and TIME
# returns the high word in a1 past 2^32 cycles: after the wake-up a1 = 1 and
# the low word (res[1]) is a little past 5 (bounds in time.test.ts).
# expect-word: res[0] = 0
# expect-word: res[2] = 1
        .include "common/kernel.inc"
_start:
        li      t0, 1 << IRQ_TIMER
        csrw    CSR_IMASK, t0
        hc      HC_SET_TIMER, 5, 1              # 2^32 + 5
        keep    a0, 0
        wfi
        hc      HC_TIME
        keep    a0, 1
        keep    a1, 2
        done
        .include "common/kdata.inc"
