# info/stat-migrations.s: spins, then keeps STAT_MIGRATIONS (res[0]) and its
# high word (res[1], 0); whether this VM moved depends on its partners, so
# the count is checked in info.test.ts.
# expect-word: res[1] = 0
        .include "common/kernel.inc"
_start:
        spin    500000
        hc      HC_STAT, STAT_MIGRATIONS
        keep    a0, 0
        keep    a1, 1
        done
        .include "common/kdata.inc"
