# ipc/recv-now.s: RECV from anyone with timeout 0: nothing was sent to it.
# expect-word: res[0] = E_TIMEOUT
        .include "common/kernel.inc"
        .include "ipc/ipc.inc"
_start:
        recv_keep -1, 0, 0
        done
        .include "common/kdata.inc"
