# ipc/server-dies.s: receives a CALL from VM 1 and shuts down without
# replying.
# expect-exit: 4
# expect-word: res[0] = 0, 1, 10, 0x80000000, -1
        .include "common/kernel.inc"
        .include "ipc/ipc.inc"
_start:
        recv_keep -1, 0
        hc      HC_SHUTDOWN, 4
        done
        .include "common/kdata.inc"
