# info/steal.s: STEAL grows while another VM holds the shared PCPU: STEAL
# before (res[0]) and after (res[1], high res[2]), STAT_RUNNABLE (res[3]),
# RUNNING (res[4]) and STAT_RUNNING (res[5]); their relations are checked in
# info.test.ts. Runs beside a spinning VM on one PCPU.
# expect-word: res[0] = 0
# expect-word: res[2] = 0
        .include "common/kernel.inc"
_start:
        hc      HC_INFO_REGISTER, page0
        la      s0, page0
        lw      t0, INFO_STEAL_LO(s0)
        keep    t0, 0
        spin    350000
        lw      t0, INFO_STEAL_LO(s0)
        keep    t0, 1
        lw      t0, INFO_STEAL_HI(s0)
        keep    t0, 2
        hc      HC_STAT, STAT_RUNNABLE
        keep    a0, 3
        lw      t0, INFO_RUNNING_LO(s0)
        keep    t0, 4
        hc      HC_STAT, STAT_RUNNING
        keep    a0, 5
        done
        .include "common/kdata.inc"
