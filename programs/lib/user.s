# lib/user.s: one user code page, user data pages, and the drop to user mode,
# for bare-metal programs (trap.s) and test guests. Include it once, in .text.
# The includer defines USER_VA, the page-aligned label user_code and the
# page-aligned, zeroed tables pt_root and pt_leaf; every user address lies in
# the 4 MiB region of USER_VA, which the one leaf table covers. The routines
# use no stack and clobber only a0-a1 and t0-t2, so they run before any
# stack exists.

# map_user_page(): PTBR -> pt_root -> pt_leaf -> user_code at USER_VA, user
# read/execute.
map_user_page:
        li      t2, KERNEL_BASE
        la      t0, pt_root
        la      t1, pt_leaf
        sub     t1, t1, t2
        ori     t1, t1, PTE_V
        sw      t1, (USER_VA >> 22) * 4(t0)
        la      t0, pt_leaf
        la      t1, user_code
        sub     t1, t1, t2
        ori     t1, t1, PTE_V | PTE_R | PTE_X | PTE_U
        sw      t1, ((USER_VA >> 12) & 1023) * 4(t0)
        la      t0, pt_root
        sub     t0, t0, t2
        csrw    CSR_PTBR, t0
        ret

# map_user_data(a0 = page-aligned kernel address, a1 = user address): user
# read/write. Call it after map_user_page, before the page is used: the leaf
# entry is written in place, with no TLB flush.
map_user_data:
        li      t2, KERNEL_BASE
        sub     a0, a0, t2
        ori     a0, a0, PTE_V | PTE_R | PTE_W | PTE_U
        srli    t0, a1, 12
        andi    t0, t0, 1023
        slli    t0, t0, 2
        la      t1, pt_leaf
        add     t1, t1, t0
        sw      a0, 0(t1)
        ret

# enter_user(): eret to user mode at USER_VA; does not return.
enter_user:
        li      t0, USER_VA
        csrw    CSR_EPC, t0
        csrr    t0, CSR_STATUS
        andi    t0, t0, 0xffff & ~STATUS_PKERNEL
        csrw    CSR_STATUS, t0
        eret
