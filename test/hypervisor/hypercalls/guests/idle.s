# idle.s: a VM that ends at once, without receiving anything.
        .include "common/kernel.inc"
_start:
        done
        .include "common/kdata.inc"
