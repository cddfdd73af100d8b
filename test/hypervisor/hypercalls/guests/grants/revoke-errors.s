# grants/revoke-errors.s: GRANT_REVOKE returns E_NOENT for an id the caller
# does not have (never granted, already revoked, bad); revoking a grant
# never mapped is fine. Grant 1 stays for VM 1 to try.
# expect-word: res[0] = E_NOENT, 0, 0, E_NOENT, E_NOENT, 1
        .include "common/kernel.inc"
_start:
        hc      HC_GRANT_REVOKE, 0
        keep    a0, 0
        hc      HC_GRANT, 1, page0, 1, 0
        keep    a0, 1
        hc      HC_GRANT_REVOKE, 0              # never mapped: fine
        keep    a0, 2
        hc      HC_GRANT_REVOKE, 0
        keep    a0, 3
        hc      HC_GRANT_REVOKE, -1
        keep    a0, 4
        hc      HC_GRANT, 1, page0, 1, 0
        keep    a0, 5
        hc      HC_IPC_SEND, 1, -1
        hc      HC_IPC_RECV, 1, -1
        done
        .include "common/kdata.inc"
