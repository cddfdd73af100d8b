# time/recv-timeout.s: IPC_RECV from anyone with a 100 us timeout, nobody
# sending: E_TIMEOUT, and how long it took in res[1] (bounds in
# time.test.ts).
# expect-word: res[0] = E_TIMEOUT
        .include "common/kernel.inc"
_start:
        time_s0
        hc      HC_IPC_RECV, -1, 100
        keep    a0, 0
        hc      HC_TIME
        sub     t0, a0, s0
        keep    t0, 1
        done
        .include "common/kdata.inc"
