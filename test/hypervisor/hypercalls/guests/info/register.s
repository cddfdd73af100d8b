# info/register.s: INFO_REGISTER fills VERSION, VCPU and the run-state
# fields at once (STEAL 0, RUNNING_HI 0; RUNNING_LO > 0 in res[4], checked
# in info.test.ts); VCPU 1 registers its own page. Run with 2 VCPUs.
# expect-word: res[0] = 0, INFO_LAYOUT_VERSION, 0, 0
# expect-word: res[5] = 0, 0, INFO_LAYOUT_VERSION, 1
        .include "common/kernel.inc"
_start:
        la      s0, page0
        li      t0, -1
        sw      t0, INFO_VERSION(s0)
        sw      t0, INFO_VCPU(s0)
        sw      t0, INFO_STEAL_LO(s0)
        sw      t0, INFO_RUNNING_HI(s0)
        hc      HC_INFO_REGISTER, page0
        keep    a0, 0
        lw      t0, INFO_VERSION(s0)
        keep    t0, 1
        lw      t0, INFO_VCPU(s0)
        keep    t0, 2
        lw      t0, INFO_STEAL_LO(s0)
        keep    t0, 3
        lw      t0, INFO_RUNNING_LO(s0)
        keep    t0, 4
        lw      t0, INFO_RUNNING_HI(s0)
        keep    t0, 5
        hc      HC_VCPU_START, 1, sec, stack1, 0
        waitfor 0
        done
sec:    hc      HC_INFO_REGISTER, page1
        keep    a0, 6
        la      t0, page1
        lw      t1, INFO_VERSION(t0)
        keep    t1, 7
        lw      t1, INFO_VCPU(t0)
        keep    t1, 8
        setflag 0
1:      j       1b
        .include "common/kdata.inc"
