# info/stat-lone.s: every counter of a lone VCPU (a1, the high word, 0):
# the first hcall counts itself; 8 instructions between two
# STAT_INSTRUCTIONS (mv and the 7 of hc, the second hcall included); RUNNING
# within 20 cycles of TIME (res[4], bounds in info.test.ts); nothing
# runnable, blocked, preempted or migrated; 10 hypercalls in all.
# expect-word: res[0] = 1, 0, 8, 0
# expect-word: res[5] = 0, 0, 0, 0, 0, 0, 10, 0
        .include "common/kernel.inc"
_start:
        hc      HC_STAT, STAT_HYPERCALLS        # the first hcall: counts itself
        keep    a0, 0
        keep    a1, 1
        hc      HC_STAT, STAT_INSTRUCTIONS
        mv      s0, a0
        hc      HC_STAT, STAT_INSTRUCTIONS      # 8 instructions later (mv, the 7 of hc), this hcall included
        sub     t0, a0, s0
        keep    t0, 2
        keep    a1, 3
        time_s0
        hc      HC_STAT, STAT_RUNNING
        sub     t0, s0, a0
        keep    t0, 4                           # time - running: ~ nothing (never waited)
        keep    a1, 5
        hc      HC_STAT, STAT_RUNNABLE
        keep    a0, 6
        keep    a1, 7
        hc      HC_STAT, STAT_BLOCKED
        keep    a0, 8
        hc      HC_STAT, STAT_PREEMPTIONS
        keep    a0, 9
        hc      HC_STAT, STAT_MIGRATIONS
        keep    a0, 10
        hc      HC_STAT, STAT_HYPERCALLS
        keep    a0, 11
        keep    a1, 12
        done
        .include "common/kdata.inc"
