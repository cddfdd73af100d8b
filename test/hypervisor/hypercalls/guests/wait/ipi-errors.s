# wait/ipi-errors.s: IPI returns E_NOENT for a bad index (run with 2 VCPUs)
# and E_STATE for an offline VCPU, which gets nothing: once started, VCPU 1
# sees IPEND = 0 (res[4]).
# expect-word: res[0] = E_NOENT, E_NOENT, E_NOENT, E_STATE, 0
        .include "common/kernel.inc"
_start:
        hc      HC_IPI, 2
        keep    a0, 0
        hc      HC_IPI, -1
        keep    a0, 1
        hc      HC_IPI, MAX_VCPUS
        keep    a0, 2
        hc      HC_IPI, 1                       # not started
        keep    a0, 3
        hc      HC_VCPU_START, 1, sec, stack1, 0
        waitfor 0
        done
sec:    csrr    t0, CSR_IPEND
        keep    t0, 4
        setflag 0
1:      j       1b
        .include "common/kdata.inc"
