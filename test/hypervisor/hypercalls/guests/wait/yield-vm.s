# wait/yield-vm.s: YIELD(-1) beside another VM on the one PCPU gives it the
# PCPU for its slice; res[1] is how long the yield took (bounds in
# wait.test.ts).
# expect-word: res[0] = 0
        .include "common/kernel.inc"
_start:
        time_s0
        hc      HC_YIELD, -1
        keep    a0, 0
        hc      HC_TIME
        sub     t0, a0, s0
        keep    t0, 1
        done
        .include "common/kdata.inc"
