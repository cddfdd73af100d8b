# ipc/recv-from.s: RECV from VM 2 takes only its message (7, 8, 9), though
# VM 1 sent first; then RECV from anyone takes VM 1's (1, 2, 3).
# expect-word: res[0] = 0, 2, 7, 8, 9, 0, 1, 1, 2, 3
        .include "common/kernel.inc"
        .include "ipc/ipc.inc"
_start:
        recv_keep 2, 0
        recv_keep -1, 5
        done
        .include "common/kdata.inc"
