# spin.s: a VM that only keeps its PCPU busy for CYCLES (a define) of virtual
# time, then ends; the contention partner of the timing tests.
        .include "common/kernel.inc"
_start:
        spin    CYCLES
        done
        .include "common/kdata.inc"
