# info/debug-mark.s: DEBUG_MARK returns 0 whatever the value; the 3 marks
# are counted in vm.debugMarks (checked in info.test.ts).
# expect-word: res[0] = 0, 0, 0
        .include "common/kernel.inc"
_start:
        hc      HC_DEBUG_MARK, 0
        keep    a0, 0
        hc      HC_DEBUG_MARK, -1
        keep    a0, 1
        hc      HC_DEBUG_MARK, 0x12345678
        keep    a0, 2
        done
        .include "common/kdata.inc"
