# console/write-inval.s: CONSOLE_WRITE refuses len < 0 and
# len > CONSOLE_WRITE_MAX with E_INVAL and writes nothing.
# expect-word: res[0] = E_INVAL, E_INVAL, E_INVAL, E_INVAL
        .include "common/kernel.inc"
_start:
        hc      HC_CONSOLE_WRITE, msg, -1
        keep    a0, 0
        hc      HC_CONSOLE_WRITE, msg, 0x80000000
        keep    a0, 1
        hc      HC_CONSOLE_WRITE, msg, CONSOLE_WRITE_MAX + 1
        keep    a0, 2
        hc      HC_CONSOLE_WRITE, 0x1000, -5    # length checked, even with a bad buffer
        keep    a0, 3
        done
        .include "common/kdata.inc"
msg:    .ascii  "hello, world\n"
