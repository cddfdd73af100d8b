# wait/pv-errors.s: PV_WAIT returns E_INVAL for an unaligned, user-segment
# or out-of-memory address; PV_KICK E_NOENT for a bad VCPU.
# expect-word: res[0] = E_INVAL, E_INVAL, E_INVAL, E_NOENT, E_NOENT
        .include "common/kernel.inc"
_start:
        hc      HC_PV_WAIT, flags + 2, 0
        keep    a0, 0
        hc      HC_PV_WAIT, 0x1000, 0
        keep    a0, 1
        hc      HC_PV_WAIT, 0x80100000, 0
        keep    a0, 2
        hc      HC_PV_KICK, 5
        keep    a0, 3
        hc      HC_PV_KICK, -1
        keep    a0, 4
        done
        .include "common/kdata.inc"
