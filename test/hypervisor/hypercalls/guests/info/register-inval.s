# info/register-inval.s: INFO_REGISTER refuses, with E_INVAL, pages that are
# unaligned, in the user segment, beyond memory (MEM_SIZE, a define) or in
# the grant window; nothing is registered, page0 stays 0.
# expect-word: res[0] = E_INVAL, E_INVAL, E_INVAL, E_INVAL, E_INVAL, E_INVAL, E_INVAL, E_INVAL, E_INVAL, E_INVAL
# expect-word: page0[0] = 0
        .include "common/kernel.inc"
        .macro  try page, slot
        hc      HC_INFO_REGISTER, \page
        keep    a0, \slot
        .endm
_start:
        try     page0 + 4, 0
        try     page0 + 2048, 1
        try     page0 - 1, 2
        try     0x1000, 3
        try     0x7ffff000, 4
        try     KERNEL_BASE + MEM_SIZE, 5
        try     KERNEL_BASE + MEM_SIZE - PAGE_SIZE + 8, 6
        try     GRANT_WINDOW, 7
        try     0xfffff000, 8
        try     -1, 9
        done
        .include "common/kdata.inc"
