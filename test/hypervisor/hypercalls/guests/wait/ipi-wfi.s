# wait/ipi-wfi.s: IPI wakes VCPU 1 blocked in wfi with IRQ_IPI in IMASK:
# IPEND before (res[2]) and after (res[3]) the wait; res[4] is its
# STAT_BLOCKED (bound in wait.test.ts). Run with 2 VCPUs.
# expect-word: res[0] = 0, 0, 0, 1 << IRQ_IPI
        .include "common/kernel.inc"
_start:
        hc      HC_VCPU_START, 1, sec, stack1, 0
        keep    a0, 0
        waitfor 0
        spin    5000                            # let it block
        hc      HC_IPI, 1
        keep    a0, 1
        waitfor 1
        done
sec:    csrr    t0, CSR_IPEND
        keep    t0, 2
        li      t0, 1 << IRQ_IPI
        csrw    CSR_IMASK, t0
        setflag 0
        wfi
        csrr    t0, CSR_IPEND
        keep    t0, 3
        hc      HC_STAT, STAT_BLOCKED
        keep    a0, 4
        setflag 1
1:      j       1b
        .include "common/kdata.inc"
