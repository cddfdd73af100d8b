# ipc/no-leftover-peer.s: VM 1 of ipc/no-leftover.s: answers the CALL
# (first word plus 1), then receives the SEND.
# expect-word: res[0] = 0, 0, 1, 2, 3, 0, 0, 7, 8, 9
        .include "common/kernel.inc"
        .include "ipc/ipc.inc"
_start:
        recv_keep -1, 0
        addi    a3, a3, 1
        li      a1, 0
        li      a2, -1
        li      a0, HC_IPC_SEND
        hcall
        recv_keep 0, 5
        done
        .include "common/kdata.inc"
