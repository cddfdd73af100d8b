# table/perm-peer.s: VM 1 of the E_PERM runs (table.test.ts). It grants VM 0
# a page, so that GRANT_MAP from VM 0's user mode would have something to
# map, then lets VM 0 go on and waits until VM 0 stops.
# expect-word: res[0] = 0, E_NOENT
        .include "common/kernel.inc"
_start:
        hc      HC_GRANT, 0, page0, 1, GRANT_WRITE
        keep    a0, 0
        hc      HC_IPC_SEND, 0, -1
        hc      HC_IPC_RECV, 0, -1      # until VM 0 stops (E_NOENT)
        keep    a0, 1
        done
        .include "common/kdata.inc"
