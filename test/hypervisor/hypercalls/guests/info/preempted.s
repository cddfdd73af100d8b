# info/preempted.s: PREEMPTED of sibling VCPU 1 is 0 while offline (res[0]),
# 1 while it is preempted (res[1]), 0 for the running caller (res[2]) and 0
# once VCPU 1 blocks (res[4]); res[3] = STAT_PREEMPTIONS >= 1 (checked in
# info.test.ts). Run with 2 VCPUs, both pinned to PCPU 0.
# expect-word: res[0] = 0, 1, 0
# expect-word: res[4] = 0
        .include "common/kernel.inc"
_start:
        hc      HC_INFO_REGISTER, page0
        la      s0, page0
        lbu     t0, INFO_PREEMPTED + 1(s0)
        keep    t0, 0                           # offline
        hc      HC_VCPU_START, 1, sec, stack1, 0
1:      la      t0, flags
        lw      t0, 0(t0)
        beqz    t0, 1b                          # until VCPU 1 has run (a slice later)
        lbu     t0, INFO_PREEMPTED + 1(s0)
        keep    t0, 1
        lbu     t0, INFO_PREEMPTED + 0(s0)
        keep    t0, 2
        hc      HC_STAT, STAT_PREEMPTIONS
        keep    a0, 3
        setflag 1                               # VCPU 1: block
        hc      HC_YIELD, 1
        waitfor 2
        lbu     t0, INFO_PREEMPTED + 1(s0)
        keep    t0, 4
        done
sec:    setflag 0
        la      t0, flags
1:      lw      t1, 4(t0)
        beqz    t1, 1b
        setflag 2
        wfi                                     # IMASK = 0: blocked for good
        j       sec
        .include "common/kdata.inc"
