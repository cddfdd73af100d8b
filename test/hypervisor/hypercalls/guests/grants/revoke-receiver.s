# grants/revoke-receiver.s: maps and reads the grant (the TLB now holds it),
# waits for the revoke, and reads again: with no trap handler the BUS_ERROR
# stops the VM before res[4].
# expect-word: res[0] = 0, 0, 0x11223344, 0, 0
        .include "common/kernel.inc"
        .include "grants/grants.inc"
_start:
        recv_and_map GRANT_WINDOW
        li      s1, GRANT_WINDOW
        lw      t0, 0(s1)
        keep    t0, 2
        hc      HC_IPC_SEND, 0, -1
        hc      HC_IPC_RECV, 0, -1              # revoked
        keep    a0, 3
        li      s1, GRANT_WINDOW
        lw      t0, 0(s1)                       # no trap handler: VM 1 faults
        keep    t0, 4
        done
        .include "common/kdata.inc"
