# info/register-ends.s: INFO_REGISTER takes the last page of memory
# (MEM_SIZE, a define) and the first.
# expect-word: res[0] = 0, INFO_LAYOUT_VERSION, 0
        .include "common/kernel.inc"
_start:
        hc      HC_INFO_REGISTER, KERNEL_BASE + MEM_SIZE - PAGE_SIZE
        keep    a0, 0
        li      t0, KERNEL_BASE + MEM_SIZE - PAGE_SIZE
        lw      t0, INFO_VERSION(t0)
        keep    t0, 1
        hc      HC_INFO_REGISTER, KERNEL_BASE
        keep    a0, 2
        done
        .include "common/kdata.inc"
