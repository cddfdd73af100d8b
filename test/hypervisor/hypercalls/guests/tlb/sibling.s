# tlb/sibling.s: VCPU 1 reads user address 0x400000 (page0: res[1]), VCPU 0
# moves the leaf entry to page1 and flushes with MASK (a define), then VCPU
# 1 reads again (res[2]): page1 if MASK has bit 1, else still page0 (the
# value is checked in tlb.test.ts). Run with 2 VCPUs.
# expect-word: res[0] = 0, 0x111
        .include "common/kernel.inc"
        .include "tlb/map.inc"
_start:
        fill
        point_at page0
        hc      HC_VCPU_START, 1, sec, stack1, 0
        waitfor 0
        point_at page1
        hc      HC_TLB_FLUSH, MASK
        keep    a0, 0
        setflag 1
        waitfor 2
        done
sec:    map
        li      s0, 0x400000
        lw      t0, 0(s0)
        keep    t0, 1
        setflag 0
        waitfor 1
        lw      t0, 0(s0)
        keep    t0, 2
        setflag 2
1:      j       1b
        .include "common/kdata.inc"
