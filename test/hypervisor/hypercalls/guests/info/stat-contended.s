# info/stat-contended.s: after a spin beside another VM on the same PCPU and
# 100 us blocked in IPC_RECV (from itself: nobody sends), RUNNING (res[1]),
# RUNNABLE (res[2]), BLOCKED (res[3]), TIME (res[4]) and PREEMPTIONS
# (res[5]); running + runnable + blocked = time is checked in info.test.ts.
# expect-word: res[0] = E_TIMEOUT
        .include "common/kernel.inc"
_start:
        spin    350000
        hc      HC_IPC_RECV, 0, 100             # 100 us blocked (from itself: nobody sends)
        keep    a0, 0
        hc      HC_STAT, STAT_RUNNING
        mv      s0, a0
        hc      HC_STAT, STAT_RUNNABLE
        mv      s1, a0
        hc      HC_STAT, STAT_BLOCKED
        mv      s2, a0
        hc      HC_TIME
        keep    s0, 1
        keep    s1, 2
        keep    s2, 3
        keep    a0, 4
        hc      HC_STAT, STAT_PREEMPTIONS
        keep    a0, 5
        done
        .include "common/kdata.inc"
