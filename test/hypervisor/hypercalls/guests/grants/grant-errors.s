# grants/grant-errors.s: GRANT's errors with their conditions: E_NOENT for a
# bad VM, its own, or stopped VM 2 (res[40] shows it stopped); E_INVAL for
# the address, pages, range (MEM_SIZE, a define) and flags. Failed calls
# allocate no id: the two good grants get ids 0 and 1.
# expect-word: res[0] = E_NOENT, E_NOENT, E_NOENT, E_NOENT, E_INVAL, E_INVAL, E_INVAL, E_INVAL, E_INVAL, E_INVAL, E_INVAL, E_INVAL, E_INVAL, E_INVAL, E_INVAL, E_INVAL, E_INVAL, 0, 1
# expect-word: res[40] = E_NOENT
        .include "common/kernel.inc"
        .macro  try slot, vm, addr, pages, flags
        hc      HC_GRANT, \vm, \addr, \pages, \flags
        keep    a0, \slot
        .endm
_start:
        hc      HC_IPC_RECV, 2, -1
        keep    a0, 40
        try     0, 5, page0, 1, 0
        try     1, -1, page0, 1, 0
        try     2, 0, page0, 1, 0               # own VM
        try     3, 2, page0, 1, 0               # stopped
        try     4, 1, page0 + 4, 1, 0
        try     5, 1, page0 + 2048, 1, 0
        try     6, 1, 0x1000, 1, 0
        try     7, 1, 0, 1, 0
        try     8, 1, page0, 0, 0
        try     9, 1, page0, -1, 0
        try     10, 1, page0, 0x100000, 0
        try     11, 1, KERNEL_BASE + MEM_SIZE - PAGE_SIZE, 2, 0
        try     12, 1, KERNEL_BASE + MEM_SIZE, 1, 0
        try     13, 1, GRANT_WINDOW, 1, 0
        try     14, 1, page0, 1, 2
        try     15, 1, page0, 1, -1
        try     16, 1, page0, 1, GRANT_WRITE | 4
        try     17, 1, KERNEL_BASE + MEM_SIZE - PAGE_SIZE, 1, GRANT_WRITE
        try     18, 1, KERNEL_BASE, MEM_SIZE / PAGE_SIZE, 0
        done
        .include "common/kdata.inc"
