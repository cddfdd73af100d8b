# grants/ro-granter.s: grants VM 1 page0 read-only; VM 1's write faults and
# stops it (RECV: E_NOENT), and page0[1] is unchanged.
# expect-word: res[0] = 0, 0, E_NOENT, 0
        .include "common/kernel.inc"
        .include "grants/grants.inc"
_start:
        grant_and_send 0, 1
        hc      HC_IPC_RECV, 1, -1              # E_NOENT once VM 1 has faulted
        keep    a0, 2
        la      t0, page0
        lw      t1, 4(t0)
        keep    t1, 3
        done
        .include "common/kdata.inc"
