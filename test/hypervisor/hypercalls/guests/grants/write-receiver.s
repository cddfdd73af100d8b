# grants/write-receiver.s: maps VM 0's writable grant at GRANT_WINDOW, reads
# page0[0], writes page0[1], and CONSOLE_WRITEs 4 bytes through the window
# (no newline: grants.test.ts checks the exact bytes).
# expect: DCBA
# expect-word: res[0] = 0, 0, 0x11223344, 4, 0
        .include "common/kernel.inc"
        .include "grants/grants.inc"
_start:
        recv_and_map GRANT_WINDOW
        li      s1, GRANT_WINDOW
        lw      t0, 0(s1)
        keep    t0, 2
        li      t0, 0x55667788
        sw      t0, 4(s1)
        hc      HC_CONSOLE_WRITE, GRANT_WINDOW + 8, 4
        keep    a0, 3
        hc      HC_IPC_SEND, 0, -1
        keep    a0, 4
        done
        .include "common/kdata.inc"
