# wait/yield-noent.s: YIELD's target must be -1 or a VCPU index (run with 2
# VCPUs): E_NOENT otherwise; an offline sibling is fine (the one counted
# yield).
# expect-word: res[0] = E_NOENT, E_NOENT, E_NOENT, E_NOENT, 0
        .include "common/kernel.inc"
_start:
        hc      HC_YIELD, 2
        keep    a0, 0
        hc      HC_YIELD, -2
        keep    a0, 1
        hc      HC_YIELD, MAX_VCPUS
        keep    a0, 2
        hc      HC_YIELD, 0x80000000
        keep    a0, 3
        hc      HC_YIELD, 1                     # exists, not started
        keep    a0, 4
        done
        .include "common/kdata.inc"
