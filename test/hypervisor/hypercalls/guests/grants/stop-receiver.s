# grants/stop-receiver.s: reads the grant, waits until VM 0 has stopped
# (E_NOENT), and reads again: the BUS_ERROR stops the VM before res[4].
# expect-word: res[0] = 0, 0, 0x11223344, E_NOENT, 0
        .include "common/kernel.inc"
        .include "grants/grants.inc"
_start:
        recv_and_map GRANT_WINDOW
        li      s1, GRANT_WINDOW
        lw      t0, 0(s1)
        keep    t0, 2
        hc      HC_IPC_SEND, 0, -1
        hc      HC_IPC_RECV, 0, -1              # E_NOENT: VM 0 stopped
        keep    a0, 3
        lw      t0, 0(s1)
        keep    t0, 4
        done
        .include "common/kdata.inc"
