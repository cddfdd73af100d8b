# ipc/call-taken-peer.s: VM 1 of ipc/call-taken.s: receives the CALL and
# never replies.
# expect-word: res[0] = 0, 0, 4, 5, 6
        .include "common/kernel.inc"
        .include "ipc/ipc.inc"
_start:
        recv_keep -1, 0
        hc      HC_IPC_RECV, 1, 1000            # never replies
        done
        .include "common/kdata.inc"
