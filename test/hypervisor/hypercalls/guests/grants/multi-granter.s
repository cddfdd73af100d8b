# grants/multi-granter.s: grants VM 1 two pages (page0, page1) read-only and
# waits until VM 1 is done.
        .include "common/kernel.inc"
        .include "grants/grants.inc"
_start:
        grant_and_send 0, 2
        hc      HC_IPC_RECV, 1, -1
        done
        .include "common/kdata.inc"
