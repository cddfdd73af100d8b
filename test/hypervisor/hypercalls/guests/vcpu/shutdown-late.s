# vcpu/shutdown-late.s: spins 20000 cycles, then SHUTDOWN(2); beside a VM
# that shuts down at once, it shows that SHUTDOWN stops only its own VM.
# expect-exit: 2
        .include "common/kernel.inc"
_start:
        spin    20000
        hc      HC_SHUTDOWN, 2
        done
        .include "common/kdata.inc"
