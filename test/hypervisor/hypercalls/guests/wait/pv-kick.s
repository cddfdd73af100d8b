# wait/pv-kick.s: VCPU 1 arms its timer to fire during the wait, then
# PV_WAITs on flags[2] (which stays 0) until VCPU 0 kicks it: the pending
# timer does not end the wait (IPEND res[3] = timer). res[2] is its
# STAT_BLOCKED (bound in wait.test.ts). Run with 2 VCPUs.
# expect-word: res[0] = 0, 0
# expect-word: res[3] = 1 << IRQ_TIMER
        .include "common/kernel.inc"
_start:
        hc      HC_VCPU_START, 1, sec, stack1, 0
        waitfor 0
        spin    20000                           # it is blocked in PV_WAIT by now
        hc      HC_PV_KICK, 1
        keep    a0, 0
        waitfor 1
        done
sec:    li      t0, 1 << IRQ_TIMER
        csrw    CSR_IMASK, t0
        rdtime  a1
        addi    a1, a1, 100
        li      a2, 0
        li      a0, HC_SET_TIMER                # fires while it waits
        hcall
        setflag 0
        hc      HC_PV_WAIT, flags + 8, 0        # flags[2] stays 0
        keep    a0, 1
        hc      HC_STAT, STAT_BLOCKED
        keep    a0, 2
        csrr    t0, CSR_IPEND
        keep    t0, 3
        setflag 1
1:      j       1b
        .include "common/kdata.inc"
