# vcpu/ids.s: VCPU_ID and VCPU_COUNT on VCPU 0 and on VCPU 2 (which also
# reads CSR_VCPUID). Run with 3 VCPUs.
# expect-word: res[0] = 0, 3, 2, 3, 2
        .include "common/kernel.inc"
_start:
        hc      HC_VCPU_ID
        keep    a0, 0
        hc      HC_VCPU_COUNT
        keep    a0, 1
        hc      HC_VCPU_START, 2, sec, stack2, 0
        waitfor 0
        done
sec:    hc      HC_VCPU_ID
        keep    a0, 2
        hc      HC_VCPU_COUNT
        keep    a0, 3
        csrr    t0, CSR_VCPUID
        keep    t0, 4
        setflag 0
1:      j       1b
        .include "common/kdata.inc"
