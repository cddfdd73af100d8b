# wait/ipi-other-lines.s: VCPU 1 waits in wfi for its timer (IMASK = timer
# only); an IPI from VCPU 0 leaves it blocked, and it sees the IPI pending
# once the timer wakes it (res[2]); res[1] is how late it woke (bounds in
# wait.test.ts). Run with 2 VCPUs.
# expect-word: res[0] = 0
# expect-word: res[2] = 1 << IRQ_TIMER | 1 << IRQ_IPI
        .include "common/kernel.inc"
_start:
        hc      HC_VCPU_START, 1, sec, stack1, 0
        waitfor 0
        spin    5000
        hc      HC_IPI, 1
        keep    a0, 0
        waitfor 1
        done
sec:    li      t0, 1 << IRQ_TIMER
        csrw    CSR_IMASK, t0
        time_s0
        li      t0, 50000
        add     s2, s0, t0
        mv      a1, s2
        li      a2, 0
        li      a0, HC_SET_TIMER
        hcall
        setflag 0
        wfi
        hc      HC_TIME
        sub     t0, a0, s2
        keep    t0, 1                           # woke this long after the timer deadline
        csrr    t0, CSR_IPEND
        keep    t0, 2
        setflag 1
1:      j       1b
        .include "common/kdata.inc"
