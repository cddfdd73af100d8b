# ipc/server.s: receives one message from anyone and answers its sender with
# each word plus 1; res[0..4] = what recv_keep saw, res[5] = the SEND result.
# Who the sender is depends on the run: the results are in ipc.test.ts.
        .include "common/kernel.inc"
        .include "ipc/ipc.inc"
_start:
        recv_keep -1, 0
        mv      s0, a1
        addi    a3, a3, 1
        addi    a4, a4, 1
        addi    a5, a5, 1
        mv      a1, s0
        li      a2, -1
        li      a0, HC_IPC_SEND
        hcall
        keep    a0, 5
        done
        .include "common/kdata.inc"
