# wait/block-forever.s: BLOCK with IMASK = 0 never returns (res[0] stays 0);
# the machine reports a deadlock.
# expect-word: res[0] = 0
        .include "common/kernel.inc"
_start:
        hc      HC_BLOCK
        li      t0, 1
        keep    t0, 0
        done
        .include "common/kdata.inc"
