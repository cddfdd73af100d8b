# console/write.s: CONSOLE_WRITE writes len bytes at addr and returns len
# (13, 5, 0). The output ends without a newline; console.test.ts checks the
# exact bytes.
# expect: hello, world
# expect: hello
# expect-word: res[0] = 13, 5, 0
        .include "common/kernel.inc"
_start:
        hc      HC_CONSOLE_WRITE, msg, msg_end - msg
        keep    a0, 0
        hc      HC_CONSOLE_WRITE, msg, 5
        keep    a0, 1
        hc      HC_CONSOLE_WRITE, msg, 0
        keep    a0, 2
        done
        .include "common/kdata.inc"
msg:    .ascii  "hello, world\n"
msg_end:
