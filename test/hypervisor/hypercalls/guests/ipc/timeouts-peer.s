# ipc/timeouts-peer.s: VM 1 of ipc/timeouts.s: it waits on itself while VM
# 0's SEND times out, then receives VM 0's CALL (4, 5, 6) and never replies.
# expect-word: res[0] = 0, 0, 4, 5, 6
        .include "common/kernel.inc"
        .include "ipc/ipc.inc"
_start:
        hc      HC_IPC_RECV, 1, 400             # from itself: not VM 0's send
        recv_keep 0, 0
        hc      HC_IPC_RECV, 1, 1000
        done
        .include "common/kdata.inc"
