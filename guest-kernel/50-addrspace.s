# 50-addrspace.s: a process's address space: a two-level page table (see
# docs/isa.md) whose root and leaf tables come from the page allocator.
# User pages carry PTE_U and the permissions of their segment; kernel memory
# (0x80000000 and up) is never in a page table and unreachable from user
# mode by the ISA's memory split.

# as_create -> a0 = root table (physical address), or 0.
as_create:
        push    ra
        call    page_alloc
        beqz    a0, 1f
        li      t0, KERNEL_BASE
        sub     a0, a0, t0
1:      pop     ra
        ret

# as_map(a0 = root pa, a1 = user va, a2 = flags) -> a0 = kernel address of a fresh zeroed page mapped there, or 0.
as_map:
        push    ra
        push    s0
        push    s1
        push    s2
        mv      s0, a0
        mv      s1, a1
        mv      s2, a2
        srli    t0, s1, 22                      # root index
        slli    t0, t0, 2
        add     t0, t0, s0
        li      t1, KERNEL_BASE
        add     t0, t0, t1                      # kernel address of the root entry
        lw      t1, 0(t0)
        bnez    t1, 1f
        push    t0
        call    page_alloc                      # a leaf table
        pop     t0
        beqz    a0, 9f
        li      t1, KERNEL_BASE
        sub     t1, a0, t1
        ori     t1, t1, PTE_V
        sw      t1, 0(t0)
1:      li      t2, -4096
        and     t1, t1, t2                      # leaf table pa
        li      t2, KERNEL_BASE
        add     t1, t1, t2
        srli    t0, s1, 12
        andi    t0, t0, 1023
        slli    t0, t0, 2
        add     s1, t1, t0                      # kernel address of the leaf entry
        call    page_alloc
        beqz    a0, 9f
        li      t1, KERNEL_BASE
        sub     t1, a0, t1
        or      t1, t1, s2
        ori     t1, t1, PTE_V | PTE_U
        sw      t1, 0(s1)
9:      pop     s2
        pop     s1
        pop     s0
        pop     ra
        ret

# as_destroy(a0 = root pa): free every mapped page, every leaf table, the root.
as_destroy:
        push    ra
        push    s0
        push    s1
        push    s2
        li      t0, KERNEL_BASE
        add     s0, a0, t0                      # root, kernel address
        li      s1, 0                           # root index
1:      li      t0, 512
        bge     s1, t0, 4f
        slli    t0, s1, 2
        add     t0, t0, s0
        lw      s2, 0(t0)
        beqz    s2, 3f
        li      t0, -4096
        and     s2, s2, t0
        li      t0, KERNEL_BASE
        add     s2, s2, t0                      # leaf, kernel address
        push    s3
        li      s3, 0
2:      slli    t0, s3, 2
        add     t0, t0, s2
        lw      a0, 0(t0)
        beqz    a0, 5f
        li      t0, -4096
        and     a0, a0, t0
        li      t0, KERNEL_BASE
        add     a0, a0, t0
        call    page_free
5:      addi    s3, s3, 1
        li      t0, 1024
        blt     s3, t0, 2b
        pop     s3
        mv      a0, s2
        call    page_free
3:      addi    s1, s1, 1
        j       1b
4:      mv      a0, s0
        call    page_free
        pop     s2
        pop     s1
        pop     s0
        pop     ra
        ret

# user_range_ok(a0 = va, a1 = len) -> a0 = 1 if [va, va+len) lies in the user segment without wrapping.
user_range_ok:
        bltz    a1, 1f
        add     t0, a0, a1
        bltu    t0, a0, 1f                      # wrapped
        li      t1, KERNEL_BASE
        bgtu    t0, t1, 1f
        li      a0, 1
        ret
1:      li      a0, 0
        ret

# user_buf_ok(a0 = va, a1 = len, a2 = 1 if the kernel will write it) -> a0 = 1
# if every page of [va, va+len) is mapped in the current process for user
# access (and writable, if asked), else 0. The kernel checks a user buffer
# with it before touching one itself: a fault in kernel mode is a panic.
user_buf_ok:
        push    ra
        push    s0
        push    s1
        mv      s0, a0
        mv      s1, a1
        push    a2
        call    user_range_ok
        pop     a2
        beqz    a0, 9f
        beqz    s1, 8f                          # empty: nothing to touch
        add     s1, s0, s1
        addi    s1, s1, -1                      # its last byte
        li      t0, -4096
        and     s0, s0, t0
        current t0, t1
        lw      t0, T_PROC(t0)
        lw      t0, P_PTBR(t0)
        li      t1, KERNEL_BASE
        add     a3, t0, t1                      # root table, kernel address
        li      a4, PTE_V | PTE_R | PTE_U       # the flags each page needs
        beqz    a2, 1f
        ori     a4, a4, PTE_W
1:      srli    t0, s0, 22
        slli    t0, t0, 2
        add     t0, t0, a3
        lw      t0, 0(t0)
        andi    t1, t0, PTE_V
        beqz    t1, 9f
        li      t1, -4096
        and     t0, t0, t1
        li      t1, KERNEL_BASE
        add     t0, t0, t1                      # leaf table, kernel address
        srli    t1, s0, 12
        andi    t1, t1, 1023
        slli    t1, t1, 2
        add     t0, t0, t1
        lw      t0, 0(t0)
        and     t0, t0, a4
        bne     t0, a4, 9f
        li      t0, 4096
        add     s0, s0, t0
        bleu    s0, s1, 1b
8:      li      a0, 1
        j       10f
9:      li      a0, 0
10:     pop     s1
        pop     s0
        pop     ra
        ret
