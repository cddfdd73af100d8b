# vcpu/shutdown-secondary.s: SHUTDOWN from VCPU 1 stops VCPU 0 too (which
# spins for ever). Run with 2 VCPUs on 2 PCPUs.
# expect-exit: 0x77
        .include "common/kernel.inc"
_start:
        hc      HC_VCPU_START, 1, sec, stack1, 0
1:      j       1b
sec:    hc      HC_SHUTDOWN, 0x77
        .include "common/kdata.inc"
