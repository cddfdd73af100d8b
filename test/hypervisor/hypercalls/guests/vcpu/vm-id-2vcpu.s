# vcpu/vm-id-2vcpu.s: VM_ID on VCPU 0 (res[0]) and on VCPU 1 (res[1]): the
# same VM index on every VCPU. Run with 2 VCPUs.
        .include "common/kernel.inc"
_start:
        hc      HC_VM_ID
        keep    a0, 0
        hc      HC_VCPU_START, 1, sec, stack1, 0
        waitfor 0
        done
sec:    hc      HC_VM_ID
        keep    a0, 1
        setflag 0
1:      j       1b
        .include "common/kdata.inc"
