# console/write-fault-kernel.s: CONSOLE_WRITE from kernel mode returns
# E_FAULT for an unmapped user address, a buffer beyond memory or straddling
# its end (MEM_SIZE, a define), the empty grant window, and an address range
# that wraps; it writes nothing.
# expect-word: res[0] = E_FAULT, E_FAULT, E_FAULT, E_FAULT, E_FAULT
        .include "common/kernel.inc"
_start:
        hc      HC_CONSOLE_WRITE, 0x1000, 4     # PTBR = 0: no user mappings
        keep    a0, 0
        hc      HC_CONSOLE_WRITE, KERNEL_BASE + MEM_SIZE, 1
        keep    a0, 1
        hc      HC_CONSOLE_WRITE, KERNEL_BASE + MEM_SIZE - 2, 4
        keep    a0, 2
        hc      HC_CONSOLE_WRITE, GRANT_WINDOW, 1
        keep    a0, 3
        hc      HC_CONSOLE_WRITE, 0xfffffffe, 4 # wraps around to address 0
        keep    a0, 4
        done
        .include "common/kdata.inc"
