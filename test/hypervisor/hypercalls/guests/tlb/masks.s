# tlb/masks.s: TLB_FLUSH accepts masks of existing VCPUs (run with 2) and
# returns E_NOENT for a bit beyond them.
# expect-word: res[0] = 0, 0, 0, 0, E_NOENT, E_NOENT, E_NOENT, E_NOENT
        .include "common/kernel.inc"
        .macro  try mask, slot
        hc      HC_TLB_FLUSH, \mask
        keep    a0, \slot
        .endm
_start:
        try     0, 0
        try     1, 1
        try     2, 2
        try     3, 3
        try     4, 4
        try     5, 5
        try     -1, 6
        try     0x80000000, 7
        done
        .include "common/kdata.inc"
