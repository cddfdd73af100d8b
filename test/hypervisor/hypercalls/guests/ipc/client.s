# ipc/client.s: CALL(SERVER (a define), forever, 10, 0x80000000, -1); res[0]
# = result, res[1] = a1, res[2..4] = the reply. Whether a server answers
# depends on the run: the results are in ipc.test.ts.
        .include "common/kernel.inc"
_start:
        hc      HC_IPC_CALL, SERVER, -1, 10, 0x80000000, -1
        keep    a0, 0
        keep    a1, 1
        keep    a3, 2
        keep    a4, 3
        keep    a5, 4
        done
        .include "common/kdata.inc"
