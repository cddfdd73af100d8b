# wait/yield-alone.s: YIELD(-1) and YIELD(0) (itself) return 0 at once when
# nothing else is runnable; res[1] is how long YIELD(-1) took (bound in
# wait.test.ts).
# expect-word: res[0] = 0
# expect-word: res[2] = 0
        .include "common/kernel.inc"
_start:
        time_s0
        hc      HC_YIELD, -1
        keep    a0, 0
        hc      HC_TIME
        sub     t0, a0, s0
        keep    t0, 1
        hc      HC_YIELD, 0                     # itself: the same
        keep    a0, 2
        done
        .include "common/kdata.inc"
