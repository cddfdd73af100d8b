# grants/write-granter.s: grants VM 1 page0 writable, waits until VM 1 is
# done, and reads back what VM 1 wrote into page0[1].
# expect-word: res[0] = 0, 0, 0, 0x55667788
        .include "common/kernel.inc"
        .include "grants/grants.inc"
_start:
        grant_and_send GRANT_WRITE, 1
        hc      HC_IPC_RECV, 1, -1              # VM 1 is done
        keep    a0, 2
        la      t0, page0
        lw      t1, 4(t0)
        keep    t1, 3
        done
        .include "common/kdata.inc"
