# tlb/mask32.s: with MAX_VCPUS (32) VCPUs, bit 31 is VCPU 31: all bits fine.
# expect-word: res[0] = 0
        .include "common/kernel.inc"
_start:
        hc      HC_TLB_FLUSH, -1
        keep    a0, 0
        done
        .include "common/kdata.inc"
