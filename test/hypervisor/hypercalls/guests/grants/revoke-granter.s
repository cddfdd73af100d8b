# grants/revoke-granter.s: once VM 1 has mapped and read the grant, revokes
# it and tells VM 1; VM 1's next access faults (RECV: E_NOENT).
# expect-word: res[0] = 0, 0, 0, 0, E_NOENT
        .include "common/kernel.inc"
        .include "grants/grants.inc"
_start:
        grant_and_send GRANT_WRITE, 1
        hc      HC_IPC_RECV, 1, -1              # mapped and read
        mv      s0, a3
        hc      HC_GRANT_REVOKE, 0
        keep    a0, 2
        hc      HC_IPC_SEND, 1, -1
        keep    a0, 3
        hc      HC_IPC_RECV, 1, -1              # E_NOENT once VM 1 has faulted
        keep    a0, 4
        done
        .include "common/kdata.inc"
