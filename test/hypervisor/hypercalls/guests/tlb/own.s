# tlb/own.s: TLB_FLUSH(1) flushes the caller's own TLB: after the leaf entry
# moves from page0 to page1 the TLB still maps page0 (res[1], stale) until
# the flush (res[3]).
# expect-word: res[0] = 0x111, 0x111, 0, 0x222
        .include "common/kernel.inc"
        .include "tlb/map.inc"
_start:
        fill
        point_at page0
        map
        li      s0, 0x400000
        lw      t0, 0(s0)
        keep    t0, 0
        point_at page1
        lw      t0, 0(s0)
        keep    t0, 1                           # stale: the TLB still maps page0
        hc      HC_TLB_FLUSH, 1
        keep    a0, 2
        lw      t0, 0(s0)
        keep    t0, 3
        done
        .include "common/kdata.inc"
