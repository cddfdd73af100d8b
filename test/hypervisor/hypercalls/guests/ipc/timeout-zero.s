# ipc/timeout-zero.s: with timeout 0 and nobody waiting (VM 1 never
# receives), SEND, RECV and CALL return E_TIMEOUT at once: res[4] cycles in
# all (bound in ipc.test.ts), nothing in STAT_BLOCKED.
# expect-word: res[0] = E_TIMEOUT, E_TIMEOUT, E_TIMEOUT, E_TIMEOUT
# expect-word: res[5] = 0
        .include "common/kernel.inc"
_start:
        time_s0
        hc      HC_IPC_SEND, 1, 0, 1, 2, 3
        keep    a0, 0
        hc      HC_IPC_RECV, -1, 0
        keep    a0, 1
        hc      HC_IPC_RECV, 1, 0
        keep    a0, 2
        hc      HC_IPC_CALL, 1, 0, 1, 2, 3
        keep    a0, 3
        hc      HC_TIME
        sub     t0, a0, s0
        keep    t0, 4
        hc      HC_STAT, STAT_BLOCKED
        keep    a0, 5
        done
        .include "common/kdata.inc"
