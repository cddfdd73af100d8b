# grants/map-errors.s: VM 1 of the GRANT_MAP errors, with their conditions:
# E_NOENT (no such VM, its own VM, no such grant, a grant for VM 2), E_INVAL
# (address not a page of the window, or the grant not fitting in it),
# E_STATE (already mapped), E_NOSPACE (a window page taken). The second
# page of grant 2 reads through the window (res[30]).
# expect-word: res[0] = E_NOENT, E_NOENT, E_NOENT, E_NOENT, E_NOENT, E_NOENT, E_INVAL, E_INVAL, E_INVAL, E_INVAL, E_INVAL, E_INVAL, E_INVAL, 0, E_STATE, E_NOSPACE, 0, E_STATE
# expect-word: res[30] = 0x6b6b6b6b
        .include "common/kernel.inc"
        .equ    LAST, GRANT_WINDOW + (GRANT_WINDOW_PAGES - 1) * PAGE_SIZE
        .macro  try slot, vm, id, at
        hc      HC_GRANT_MAP, \vm, \id, \at
        keep    a0, \slot
        .endm
_start:
        hc      HC_IPC_RECV, 0, -1
        try     0, 5, 0, GRANT_WINDOW           # no such VM
        try     1, -1, 0, GRANT_WINDOW
        try     2, 1, 0, GRANT_WINDOW           # own VM: no grant to itself
        try     3, 0, 99, GRANT_WINDOW          # no such grant
        try     4, 0, -1, GRANT_WINDOW
        try     5, 0, 1, GRANT_WINDOW           # a grant for VM 2
        try     6, 0, 0, GRANT_WINDOW + 4
        try     7, 0, 0, GRANT_WINDOW + 2048
        try     8, 0, 0, page0                  # RAM, not the window
        try     9, 0, 0, 0x1000
        try     10, 0, 0, GRANT_WINDOW - PAGE_SIZE
        try     11, 0, 0, GRANT_WINDOW + GRANT_WINDOW_PAGES * PAGE_SIZE    # just past the window
        try     12, 0, 2, LAST                  # 2 pages from the last window page
        try     13, 0, 0, LAST
        try     14, 0, 0, GRANT_WINDOW          # already mapped
        try     15, 0, 2, GRANT_WINDOW + (GRANT_WINDOW_PAGES - 2) * PAGE_SIZE  # second page taken
        try     16, 0, 2, GRANT_WINDOW
        try     17, 0, 2, GRANT_WINDOW + 3 * PAGE_SIZE
        li      t0, GRANT_WINDOW + PAGE_SIZE
        lw      t0, 0(t0)
        keep    t0, 30                          # second page of grant 2
        hc      HC_IPC_SEND, 0, -1
        done
        .include "common/kdata.inc"
