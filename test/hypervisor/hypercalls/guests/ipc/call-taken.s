# ipc/call-taken.s: a CALL (300 us) taken at once by a waiting server times
# out counting from the call, waiting for the reply; res[1] is how long it
# took (bounds in ipc.test.ts).
# expect-word: res[0] = E_TIMEOUT
        .include "common/kernel.inc"
_start:
        spin    5000                            # the server is waiting by now
        time_s0
        hc      HC_IPC_CALL, 1, 300, 4, 5, 6
        keep    a0, 0
        hc      HC_TIME
        sub     t0, a0, s0
        keep    t0, 1
        done
        .include "common/kdata.inc"
