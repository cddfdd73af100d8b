# grants/stop-granter.s: grants VM 1 page0, waits until VM 1 has read it,
# and shuts down: the grant goes away with it.
# expect-exit: 6
        .include "common/kernel.inc"
        .include "grants/grants.inc"
_start:
        grant_and_send GRANT_WRITE, 1
        hc      HC_IPC_RECV, 1, -1
        hc      HC_SHUTDOWN, 6
        done
        .include "common/kdata.inc"
