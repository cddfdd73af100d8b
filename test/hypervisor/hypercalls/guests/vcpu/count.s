# vcpu/count.s: VCPU_COUNT (res[0]) and VCPU_ID (res[1]) of a lone VCPU 0.
# It runs with 1 and with MAX_VCPUS VCPUs, so the counts it must see are in
# vcpu.test.ts.
        .include "common/kernel.inc"
_start:
        hc      HC_VCPU_COUNT
        keep    a0, 0
        hc      HC_VCPU_ID
        keep    a0, 1
        done
        .include "common/kdata.inc"
