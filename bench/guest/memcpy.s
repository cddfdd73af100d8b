# memcpy.s: copy 128 KiB word by word, 16 times.
        .equ    BYTES, 131072
        .text
_start:
        li      s0, 16
1:      la      a1, src
        li      t0, BYTES
        add     a2, a1, t0
        li      t0, BYTES / 4
2:      lw      t1, 0(a1)
        sw      t1, 0(a2)
        addi    a1, a1, 4
        addi    a2, a2, 4
        addi    t0, t0, -1
        bnez    t0, 2b
        addi    s0, s0, -1
        bnez    s0, 1b
        li      a0, HC_SHUTDOWN
        li      a1, 0
        hcall
        .data
        .balign 4096
src:
