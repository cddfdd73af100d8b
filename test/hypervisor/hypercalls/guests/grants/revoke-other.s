# grants/revoke-other.s: VM 1 cannot revoke VM 0's grant id 1 (E_NOENT: not
# its own), which it can still map.
# expect-word: res[0] = E_NOENT, 0
        .include "common/kernel.inc"
_start:
        hc      HC_IPC_RECV, 0, -1
        hc      HC_GRANT_REVOKE, 1              # VM 0's grant id 1, not VM 1's
        keep    a0, 0
        hc      HC_GRANT_MAP, 0, 1, GRANT_WINDOW
        keep    a0, 1                           # still there
        hc      HC_IPC_SEND, 0, -1
        done
        .include "common/kdata.inc"
