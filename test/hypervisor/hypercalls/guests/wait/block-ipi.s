# wait/block-ipi.s: VCPU 1 in BLOCK (IMASK = IPI) is woken by an IPI from
# VCPU 0; res[1] is its STAT_BLOCKED (bound in wait.test.ts). Run with 2
# VCPUs.
# expect-word: res[0] = 0
        .include "common/kernel.inc"
_start:
        hc      HC_VCPU_START, 1, sec, stack1, 0
        waitfor 0
        spin    5000
        hc      HC_IPI, 1
        waitfor 1
        done
sec:    li      t0, 1 << IRQ_IPI
        csrw    CSR_IMASK, t0
        setflag 0
        hc      HC_BLOCK
        keep    a0, 0
        hc      HC_STAT, STAT_BLOCKED
        keep    a0, 1
        setflag 1
1:      j       1b
        .include "common/kdata.inc"
