# time/inval.s: SET_TIMER refuses hi < 0 and hi >= 2^21 with E_INVAL
# (deadlines stay below 2^53) and arms nothing (res[3] = IPEND); the
# largest deadline, 2^53 - 1, is fine.
# expect-word: res[0] = E_INVAL, E_INVAL, E_INVAL, 0, 0
        .include "common/kernel.inc"
_start:
        hc      HC_SET_TIMER, 1, -1
        keep    a0, 0
        hc      HC_SET_TIMER, 0, 0x80000000
        keep    a0, 1
        hc      HC_SET_TIMER, 0, 0x200000       # 2^53: too far
        keep    a0, 2
        csrr    t0, CSR_IPEND
        keep    t0, 3
        hc      HC_SET_TIMER, -1, 0x1fffff      # 2^53 - 1: the largest deadline is fine
        keep    a0, 4
        done
        .include "common/kdata.inc"
