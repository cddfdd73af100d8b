# grants/ro-receiver.s: reads the read-only grant, then writes it: with no
# trap handler the STORE_PAGE_FAULT stops the VM before res[3].
# expect-word: res[0] = 0, 0, 0x11223344, 0
        .include "common/kernel.inc"
        .include "grants/grants.inc"
_start:
        recv_and_map GRANT_WINDOW
        li      s1, GRANT_WINDOW
        lw      t0, 0(s1)
        keep    t0, 2
        li      t0, 0x55667788
        sw      t0, 4(s1)                       # no trap handler: VM 1 faults
        li      t0, 1
        keep    t0, 3
        done
        .include "common/kdata.inc"
