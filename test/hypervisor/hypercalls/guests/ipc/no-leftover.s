# ipc/no-leftover.s: a completed IPC leaves no timeout behind: after a CALL
# answered at once and a SEND received at once, a RECV nobody answers waits
# its full 10 ms (res[4], bounds in ipc.test.ts).
# expect-word: res[0] = 0, 2, 0, E_TIMEOUT
        .include "common/kernel.inc"
_start:
        hc      HC_IPC_CALL, 1, 300, 1, 2, 3    # answered at once
        keep    a0, 0
        keep    a3, 1
        hc      HC_IPC_SEND, 1, 400, 7, 8, 9    # received at once
        keep    a0, 2
        time_s0
        hc      HC_IPC_RECV, -1, 1000           # nobody sends: 10 ms
        keep    a0, 3
        hc      HC_TIME
        sub     t0, a0, s0
        keep    t0, 4
        done
        .include "common/kdata.inc"
