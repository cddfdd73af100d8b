# grants/multi-receiver.s: maps the two-page grant 5 pages into the window
# and reads the first word of each page.
# expect-word: res[0] = 0, 0, 0x11223344, 0x5a5a5a5a
        .include "common/kernel.inc"
        .include "grants/grants.inc"
_start:
        recv_and_map GRANT_WINDOW + 5 * PAGE_SIZE
        li      s1, GRANT_WINDOW + 5 * PAGE_SIZE
        lw      t0, 0(s1)
        keep    t0, 2
        lw      t0, PAGE_SIZE(s1)
        keep    t0, 3
        hc      HC_IPC_SEND, 0, -1
        done
        .include "common/kdata.inc"
