# time/per-vcpu.s: each VCPU has its own timer: VCPU 0 arms 20000 cycles
# ahead, VCPU 1 50000; each keeps how late it woke (res[0], res[1]; bounds in
# time.test.ts). Run with 2 VCPUs.
        .include "common/kernel.inc"
        .macro  wait ahead, slot
        li      t0, 1 << IRQ_TIMER
        csrw    CSR_IMASK, t0
        time_s0
        li      t0, \ahead
        add     s2, s0, t0
        mv      a1, s2
        li      a2, 0
        li      a0, HC_SET_TIMER
        hcall
        wfi
        hc      HC_TIME
        sub     t0, a0, s2
        keep    t0, \slot
        .endm
_start:
        hc      HC_VCPU_START, 1, sec, stack1, 0
        waitfor 0
        wait    20000, 0
        waitfor 1
        done
sec:    setflag 0
        wait    50000, 1
        setflag 1
1:      j       1b
        .include "common/kdata.inc"
