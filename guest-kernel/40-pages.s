# 40-pages.s: the physical page allocator: a free list of 4 KiB pages (the
# first word of a free page links to the next), from the end of the modules
# the host loaded (or the kernel image) to the top of memory, behind LK_PAGE.

# page_init: put every page above the kernel image and the module area on the free list.
page_init:
        push    ra
        la      t0, kernel_end
        la      t2, modules_end                 # the host sets it: end of its modules (kernel address), or 0
        lw      t2, 0(t2)
        bgeu    t0, t2, 3f
        mv      t0, t2
3:      addi    t0, t0, 4095
        li      t1, -4096
        and     t0, t0, t1                      # first free page
        la      t1, bootopts
        lw      t1, BO_MEMTOP(t1)
        li      t2, KERNEL_BASE
        add     t1, t1, t2                      # end of memory
        li      a1, 0                           # list head
        li      a2, 0                           # count
4:      bgeu    t0, t1, 5f
        sw      a1, 0(t0)
        mv      a1, t0
        addi    a2, a2, 1
        addi    t0, t0, 4096
        j       4b
5:      la      t0, free_pages
        sw      a1, 0(t0)
        sw      a2, 4(t0)                       # free_count
        pop     ra
        ret

# page_alloc -> a0 = zeroed page (kernel address), or 0 when memory is exhausted.
page_alloc:
        push    ra
        push    s0
        lock    LK_PAGE
        la      t0, free_pages
        lw      s0, 0(t0)
        beqz    s0, 1f
        lw      t1, 0(s0)
        sw      t1, 0(t0)
        lw      t1, 4(t0)
        addi    t1, t1, -1
        sw      t1, 4(t0)
1:      unlock  LK_PAGE
        beqz    s0, 3f
        mv      t0, s0                          # zero it (outside the lock)
        addi    t1, s0, 4096
2:      sw      zero, 0(t0)
        addi    t0, t0, 4
        bne     t0, t1, 2b
3:      mv      a0, s0
        pop     s0
        pop     ra
        ret

# page_free(a0 = page kernel address)
page_free:
        push    ra
        push    s0
        mv      s0, a0
        lock    LK_PAGE
        la      t0, free_pages
        lw      t1, 0(t0)
        sw      t1, 0(s0)
        sw      s0, 0(t0)
        lw      t1, 4(t0)
        addi    t1, t1, 1
        sw      t1, 4(t0)
        unlock  LK_PAGE
        pop     s0
        pop     ra
        ret
