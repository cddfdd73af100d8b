# time/monotonic.s: TIME between two rdtime reads (res[0] <= res[1] <= res[3],
# high word res[2]), then again 5000 cycles later (res[4], high res[5]).
# The bounds are in time.test.ts.
# expect-word: res[2] = 0
# expect-word: res[5] = 0
        .include "common/kernel.inc"
_start:
        rdtime  s2
        hc      HC_TIME
        rdtime  s3
        keep    s2, 0
        keep    a0, 1
        keep    a1, 2
        keep    s3, 3
        spin    5000
        hc      HC_TIME
        keep    a0, 4
        keep    a1, 5
        done
        .include "common/kdata.inc"
