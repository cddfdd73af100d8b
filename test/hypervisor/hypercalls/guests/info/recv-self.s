# info/recv-self.s: spins 150000 cycles, then blocks 3 ms in IPC_RECV from
# itself (nobody sends), which frees its PCPU for a while.
        .include "common/kernel.inc"
_start:
        spin    150000
        hc      HC_IPC_RECV, 1, 3000
        done
        .include "common/kdata.inc"
