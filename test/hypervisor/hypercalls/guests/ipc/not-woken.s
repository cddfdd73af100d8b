# ipc/not-woken.s: an IPC wait is not woken by interrupts: the timer fires
# 5000 cycles in (res[2] = IPEND), the 200 us RECV runs to its timeout
# (res[1], bounds in ipc.test.ts).
# expect-word: res[0] = E_TIMEOUT
# expect-word: res[2] = 1 << IRQ_TIMER
        .include "common/kernel.inc"
_start:
        li      t0, 1 << IRQ_TIMER
        csrw    CSR_IMASK, t0
        time_s0
        li      t0, 5000
        add     a1, s0, t0
        li      a2, 0
        li      a0, HC_SET_TIMER
        hcall
        hc      HC_IPC_RECV, -1, 200
        keep    a0, 0
        hc      HC_TIME
        sub     t0, a0, s0
        keep    t0, 1
        csrr    t0, CSR_IPEND
        keep    t0, 2
        done
        .include "common/kdata.inc"
