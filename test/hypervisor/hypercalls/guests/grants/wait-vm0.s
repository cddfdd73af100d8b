# grants/wait-vm0.s: a grantee that only waits for VM 0 (until it stops).
        .include "common/kernel.inc"
_start:
        hc      HC_IPC_RECV, 0, -1
        done
        .include "common/kdata.inc"
