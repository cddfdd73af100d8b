# vcpu/start.s: VCPU_START starts VCPU 1 at its entry, in kernel mode with
# interrupts off (STATUS = 2), with sp = the given stack and a0 = arg.
# Run with 2 VCPUs.
# expect-word: res[0] = 0
# expect-word: res[10] = 0x1234, stack1, 1, 2
# expect-word: flags[0] = 1
        .include "common/kernel.inc"
_start:
        hc      HC_VCPU_START, 1, sec, stack1, 0x1234
        keep    a0, 0
        waitfor 0
        done
        .include "vcpu/sec.inc"
        .include "common/kdata.inc"
