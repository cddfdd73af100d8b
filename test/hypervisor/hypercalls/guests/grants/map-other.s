# grants/map-other.s: VM 2 of the GRANT_MAP errors: maps its own grant (id
# 1), and VM 1's (id 0) is E_NOENT for it.
# expect-word: res[0] = 0, E_NOENT
        .include "common/kernel.inc"
_start:
        hc      HC_IPC_RECV, 0, -1
        hc      HC_GRANT_MAP, 0, 1, GRANT_WINDOW
        keep    a0, 0
        hc      HC_GRANT_MAP, 0, 0, GRANT_WINDOW + PAGE_SIZE    # VM 1's
        keep    a0, 1
        hc      HC_IPC_SEND, 0, -1
        done
        .include "common/kdata.inc"
