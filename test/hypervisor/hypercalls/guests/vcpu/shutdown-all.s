# vcpu/shutdown-all.s: SHUTDOWN from VCPU 0 stops every VCPU of the VM: VCPU
# 1 counting in flags[1] on another PCPU, and VCPU 2 blocked in wfi (it
# never writes res[5]). Run with 3 VCPUs on 2 PCPUs.
# expect-exit: 0x42
# expect-word: res[5] = 0
        .include "common/kernel.inc"
_start:
        hc      HC_VCPU_START, 1, busy, stack1, 0
        hc      HC_VCPU_START, 2, sleeper, stack2, 0
        waitfor 2
        waitfor 1
        hc      HC_SHUTDOWN, 0x42
        done
busy:   la      t0, flags
        li      t1, 1
1:      sw      t1, 4(t0)               # flags[1] = count of loops
        addi    t1, t1, 1
        j       1b
sleeper:
        setflag 2
        wfi                             # IMASK = 0: blocks for good
        li      t0, 1
        keep    t0, 5
        .include "common/kdata.inc"
