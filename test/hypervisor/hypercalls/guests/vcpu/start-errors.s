# vcpu/start-errors.s: VCPU_START's errors with their conditions: E_NOENT
# (no such VCPU; run with 2), E_STATE (already started), E_INVAL (entry
# unaligned or outside the kernel segment). Failed calls start nothing
# (res[8] = flags[0] = 0); then one start succeeds (res[9], and sec keeps
# its a0 = 9 in res[10]), a second is E_STATE (res[14]), and sec ran once.
# expect-word: res[0] = E_NOENT, E_NOENT, E_NOENT, E_STATE, E_INVAL, E_INVAL, E_INVAL, E_INVAL, 0, 0, 9
# expect-word: res[14] = E_STATE
# expect-word: flags[0] = 1
        .include "common/kernel.inc"
_start:
        hc      HC_VCPU_START, 2, sec, stack1, 1        # vcpus = 2
        keep    a0, 0
        hc      HC_VCPU_START, -1, sec, stack1, 2
        keep    a0, 1
        hc      HC_VCPU_START, MAX_VCPUS, sec, stack1, 3
        keep    a0, 2
        hc      HC_VCPU_START, 0, sec, stack1, 4        # itself: already started
        keep    a0, 3
        hc      HC_VCPU_START, 1, sec + 2, stack1, 5    # unaligned
        keep    a0, 4
        hc      HC_VCPU_START, 1, 0x1000, stack1, 6     # user segment
        keep    a0, 5
        hc      HC_VCPU_START, 1, 0x7ffffffc, stack1, 7
        keep    a0, 6
        hc      HC_VCPU_START, 1, sec + 1, stack1, 8
        keep    a0, 7
        spin    20000
        la      t0, flags
        lw      t0, 0(t0)
        keep    t0, 8                                   # sec never ran
        hc      HC_VCPU_START, 1, sec, stack1, 9
        keep    a0, 9
        hc      HC_VCPU_START, 1, sec, stack1, 10       # already started
        keep    a0, 14
        waitfor 0
        spin    20000
        done
        .include "vcpu/sec.inc"
        .include "common/kdata.inc"
