# info/unregister.s: INFO_REGISTER(0) unregisters: preempted and rescheduled
# meanwhile (res[5] = STAT_PREEMPTIONS >= 1, checked in info.test.ts), the
# cleared fields stay 0. Runs beside a spinning VM on one PCPU.
# expect-word: res[0] = 0, 0, 0, 0, 0
        .include "common/kernel.inc"
_start:
        hc      HC_INFO_REGISTER, page0
        keep    a0, 0
        hc      HC_INFO_REGISTER, 0
        keep    a0, 1
        la      s0, page0
        sw      zero, INFO_VERSION(s0)
        sw      zero, INFO_RUNNING_LO(s0)
        sw      zero, INFO_STEAL_LO(s0)
        spin    350000                          # preempted and rescheduled meanwhile
        lw      t0, INFO_VERSION(s0)
        keep    t0, 2
        lw      t0, INFO_RUNNING_LO(s0)
        keep    t0, 3
        lw      t0, INFO_STEAL_LO(s0)
        keep    t0, 4
        hc      HC_STAT, STAT_PREEMPTIONS
        keep    a0, 5
        done
        .include "common/kdata.inc"
