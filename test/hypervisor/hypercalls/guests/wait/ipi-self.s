# wait/ipi-self.s: IPI to the caller itself raises IRQ_IPI on it.
# expect-word: res[0] = 0, 1 << IRQ_IPI
        .include "common/kernel.inc"
_start:
        hc      HC_IPI, 0
        keep    a0, 0
        csrr    t0, CSR_IPEND
        keep    t0, 1
        done
        .include "common/kdata.inc"
