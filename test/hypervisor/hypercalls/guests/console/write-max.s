# console/write-max.s: CONSOLE_WRITE takes exactly CONSOLE_WRITE_MAX bytes,
# and a buffer that ends at the last byte of memory (MEM_SIZE, a define).
# The output (CONSOLE_WRITE_MAX bytes of memory, then "abcd") is checked in
# console.test.ts.
# expect-word: res[0] = CONSOLE_WRITE_MAX, 4
        .include "common/kernel.inc"
_start:
        li      t0, KERNEL_BASE + MEM_SIZE - 4
        li      t1, 0x64636261                  # "abcd"
        sw      t1, 0(t0)
        hc      HC_CONSOLE_WRITE, KERNEL_BASE, CONSOLE_WRITE_MAX
        keep    a0, 0
        hc      HC_CONSOLE_WRITE, KERNEL_BASE + MEM_SIZE - 4, 4
        keep    a0, 1
        done
        .include "common/kdata.inc"
