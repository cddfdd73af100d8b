# wait/pv-kick-first.s: a kick before the wait makes the next PV_WAIT return
# at once (no lost wake-up): nothing in STAT_BLOCKED.
# expect-word: res[0] = 0, 0, 0
        .include "common/kernel.inc"
_start:
        hc      HC_PV_KICK, 0
        keep    a0, 0
        hc      HC_PV_WAIT, flags, 0            # would block: flags[0] is 0
        keep    a0, 1
        hc      HC_STAT, STAT_BLOCKED
        keep    a0, 2
        done
        .include "common/kdata.inc"
