# ipc/inval.s: E_INVAL for a timeout < -1 on SEND, RECV and CALL; nothing
# blocks, and nothing reaches VM 1 (ipc/recv-now.s).
# expect-word: res[0] = E_INVAL, E_INVAL, E_INVAL, E_INVAL, E_INVAL, E_INVAL, 0
        .include "common/kernel.inc"
_start:
        hc      HC_IPC_SEND, 1, -2
        keep    a0, 0
        hc      HC_IPC_RECV, -1, -2
        keep    a0, 1
        hc      HC_IPC_CALL, 1, -2
        keep    a0, 2
        hc      HC_IPC_SEND, 1, 0x80000000
        keep    a0, 3
        hc      HC_IPC_RECV, 1, -100
        keep    a0, 4
        hc      HC_IPC_CALL, 1, 0x80000000
        keep    a0, 5
        hc      HC_STAT, STAT_BLOCKED
        keep    a0, 6
        done
        .include "common/kdata.inc"
