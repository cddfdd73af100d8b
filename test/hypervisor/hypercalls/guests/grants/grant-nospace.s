# grants/grant-nospace.s: GRANT hands out ids 0, 1, 2, ... up to MAX_GRANTS,
# then E_NOSPACE; a revoke frees a slot, which the next grant reuses.
# expect-word: res[0] = MAX_GRANTS, E_NOSPACE, 0, MAX_GRANTS, E_NOSPACE
        .include "common/kernel.inc"
_start:
        li      s0, 0
1:      hc      HC_GRANT, 1, page0, 1, 0
        bne     a0, s0, 2f                      # ids 0, 1, 2, ...
        addi    s0, s0, 1
        li      t0, MAX_GRANTS + 10
        blt     s0, t0, 1b
2:      keep    s0, 0
        keep    a0, 1
        hc      HC_GRANT_REVOKE, 5
        keep    a0, 2
        hc      HC_GRANT, 1, page0, 1, 0
        keep    a0, 3
        hc      HC_GRANT, 1, page0, 1, 0
        keep    a0, 4
        done
        .include "common/kdata.inc"
