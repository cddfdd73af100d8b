# tlb/mask31.s: with 31 VCPUs, bits 0-30 are fine and bit 31 is E_NOENT.
# expect-word: res[0] = 0, E_NOENT
        .include "common/kernel.inc"
_start:
        hc      HC_TLB_FLUSH, 0x7fffffff
        keep    a0, 0
        hc      HC_TLB_FLUSH, -1
        keep    a0, 1
        done
        .include "common/kdata.inc"
