# ipc/noent.s: E_NOENT for a VM that does not exist, and for VM 1, which
# shuts down while VM 0 waits on it; RECV(-1) still just times out.
# expect-word: res[0] = E_NOENT, E_NOENT, E_NOENT, E_NOENT, E_NOENT, E_NOENT, E_NOENT, E_NOENT, E_NOENT, E_NOENT, E_TIMEOUT
        .include "common/kernel.inc"
_start:
        hc      HC_IPC_SEND, 5, 0
        keep    a0, 0
        hc      HC_IPC_SEND, -1, 0
        keep    a0, 1
        hc      HC_IPC_RECV, 5, 0
        keep    a0, 2
        hc      HC_IPC_RECV, -2, 0
        keep    a0, 3
        hc      HC_IPC_CALL, 5, 0
        keep    a0, 4
        hc      HC_IPC_CALL, 0x80000000, 0
        keep    a0, 5
        hc      HC_IPC_RECV, 1, -1              # waits on VM 1, which shuts down: E_NOENT
        keep    a0, 6
        hc      HC_IPC_SEND, 1, -1
        keep    a0, 7
        hc      HC_IPC_RECV, 1, 0
        keep    a0, 8
        hc      HC_IPC_CALL, 1, -1
        keep    a0, 9
        hc      HC_IPC_RECV, -1, 0
        keep    a0, 10
        done
        .include "common/kdata.inc"
