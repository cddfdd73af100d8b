# vcpu/vm-id.s: VM_ID of VCPU 0 in res[0]; which VM this is depends on the
# run, so the value it must see is in vcpu.test.ts.
        .include "common/kernel.inc"
_start:
        hc      HC_VM_ID
        keep    a0, 0
        done
        .include "common/kdata.inc"
