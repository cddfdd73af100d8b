# ipc/timeouts.s: finite timeouts expire with E_TIMEOUT: RECV (100 us), SEND
# (250 us) and CALL (300 us; VM 1 receives it and never replies). Each
# lateness is in res[1], res[3], res[5] (bounds in ipc.test.ts).
# expect-word: res[0] = E_TIMEOUT
# expect-word: res[2] = E_TIMEOUT
# expect-word: res[4] = E_TIMEOUT
        .include "common/kernel.inc"
        .macro  timed slot, us
        hc      HC_TIME
        sub     t0, a0, s0
        li      t1, \us * CYCLES_PER_US
        sub     t0, t0, t1
        keep    t0, \slot                       # lateness
        .endm
_start:
        time_s0
        hc      HC_IPC_RECV, -1, 100
        keep    a0, 0
        timed   1, 100
        time_s0
        hc      HC_IPC_SEND, 1, 250, 1, 2, 3
        keep    a0, 2
        timed   3, 250
        time_s0
        hc      HC_IPC_CALL, 1, 300, 4, 5, 6
        keep    a0, 4
        timed   5, 300
        done
        .include "common/kdata.inc"
