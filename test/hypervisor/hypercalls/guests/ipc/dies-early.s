# ipc/dies-early.s: shuts down 10000 cycles in, before receiving anything.
# expect-exit: 5
        .include "common/kernel.inc"
_start:
        spin    10000
        hc      HC_SHUTDOWN, 5
        done
        .include "common/kdata.inc"
