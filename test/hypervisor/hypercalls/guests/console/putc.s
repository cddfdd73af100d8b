# console/putc.s: CONSOLE_PUTC writes the low 8 bits of ch and returns 0.
# The bytes written ("oK\xff\n") are checked in console.test.ts: \xff has no
# place in an expect line.
# expect-word: res[0] = 0, 0, 0, 0
        .include "common/kernel.inc"
_start:
        hc      HC_CONSOLE_PUTC, 'o'
        keep    a0, 0
        hc      HC_CONSOLE_PUTC, 0x14b          # 'K' + 0x100
        keep    a0, 1
        hc      HC_CONSOLE_PUTC, -1             # 0xff
        keep    a0, 2
        hc      HC_CONSOLE_PUTC, 0x7fffff0a     # '\n'
        keep    a0, 3
        done
        .include "common/kdata.inc"
