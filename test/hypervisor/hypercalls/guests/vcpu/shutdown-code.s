# vcpu/shutdown-code.s: SHUTDOWN(CODE) (CODE a define) stops the VM and does
# not return: neither res[0] nor the end mark is written. The exit code,
# CODE & 0xff, is checked in vcpu.test.ts, one run per CODE.
# expect-word: res[0] = 0
        .include "common/kernel.inc"
_start:
        hc      HC_SHUTDOWN, CODE
        li      t0, 1
        keep    t0, 0
        done
        .include "common/kdata.inc"
