# info/stat-own.s: STAT reads the calling VCPU's own counters: VCPU 0 made 5
# hypercalls; VCPU 1's STAT_HYPERCALLS is its first (1), and its
# STAT_INSTRUCTIONS is 17: hc (7) + keep (la + sw = 3) + hc (7). Run with 2
# VCPUs.
# expect-word: res[0] = 5, 1, 17
        .include "common/kernel.inc"
_start:
        hc      HC_DEBUG_MARK, 1
        hc      HC_DEBUG_MARK, 2
        hc      HC_DEBUG_MARK, 3
        hc      HC_VCPU_START, 1, sec, stack1, 0
        waitfor 0
        hc      HC_STAT, STAT_HYPERCALLS
        keep    a0, 0
        done
sec:    hc      HC_STAT, STAT_HYPERCALLS
        keep    a0, 1
        hc      HC_STAT, STAT_INSTRUCTIONS
        keep    a0, 2
        setflag 0
1:      j       1b
        .include "common/kdata.inc"
