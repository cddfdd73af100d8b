# ipc/send.s: SEND(TO, forever, BASE, BASE + 1, BASE + 2) (TO and BASE are
# defines); res[0] = result, which depends on the run (ipc.test.ts).
        .include "common/kernel.inc"
_start:
        hc      HC_IPC_SEND, TO, -1, BASE, BASE + 1, BASE + 2
        keep    a0, 0
        done
        .include "common/kdata.inc"
