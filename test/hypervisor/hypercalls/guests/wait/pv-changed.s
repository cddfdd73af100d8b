# wait/pv-changed.s: PV_WAIT returns 0 at once (no wake-up counted) when the
# word no longer equals val.
# expect-word: res[0] = 0
        .include "common/kernel.inc"
_start:
        la      t0, flags
        li      t1, 5
        sw      t1, 0(t0)
        hc      HC_PV_WAIT, flags, 4
        keep    a0, 0
        done
        .include "common/kdata.inc"
