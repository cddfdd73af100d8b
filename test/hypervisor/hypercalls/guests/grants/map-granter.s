# grants/map-granter.s: VM 0 of the GRANT_MAP errors: grants id 0 (1 page)
# and id 2 (2 pages: page1 = 0x5a5a5a5a, page2 = 0x6b6b6b6b) to VM 1 and id
# 1 to VM 2, tells both, and waits until both are done.
# expect-word: res[0] = 0, 1, 2
        .include "common/kernel.inc"
_start:
        hc      HC_GRANT, 1, page0, 1, GRANT_WRITE
        keep    a0, 0
        hc      HC_GRANT, 2, page0, 1, 0
        keep    a0, 1
        hc      HC_GRANT, 1, page1, 2, 0
        keep    a0, 2
        la      t0, page1
        li      t1, 0x5a5a5a5a
        sw      t1, 0(t0)
        la      t0, page2
        li      t1, 0x6b6b6b6b
        sw      t1, 0(t0)
        hc      HC_IPC_SEND, 1, -1
        hc      HC_IPC_SEND, 2, -1
        hc      HC_IPC_RECV, 1, -1
        hc      HC_IPC_RECV, 2, -1
        done
        .include "common/kdata.inc"
