# 88-fcache.s: the file cache. At boot (with BO_NET) the kernel reads the
# file set from the network device's area (NET_FILES, NET_FILE_SIZES),
# reserves memory for it at the top of physical memory and "reads it from
# disk": word j of file f is ((f << 20) + j) * 0x9E3779B1, the content the
# device's clients check (isa/net.ts). Entries hang on FC_BUCKETS hash
# chains behind LK_FCACHE. A read looks the file up and takes a reference
# under the lock, copies outside it, and drops the reference under it again,
# as a page cache would.

# fcache_init (CPU 0 at boot, before page_init): lowers BO_MEMTOP below the files.
fcache_init:
        push    ra
        push    s1
        push    s2
        push    s3
        la      s3, netarea
        la      t0, bootopts
        lw      s2, BO_MEMTOP(t0)
        li      t1, KERNEL_BASE
        add     s2, s2, t1                      # allocation cursor, downwards
        li      s1, 0
1:      lw      t0, NET_FILES(s3)
        li      t1, NET_MAX_FILES
        bgeu    s1, t1, 4f
        bgeu    s1, t0, 4f
        slli    t0, s1, 2
        add     t0, t0, s3
        lw      a1, NET_FILE_SIZES(t0)
        li      t0, -4
        and     a1, a1, t0
        sub     s2, s2, a1                      # its bytes go here
        la      t0, kernel_end                  # keep 1 MiB above the kernel and modules for pages
        la      t1, modules_end
        lw      t1, 0(t1)
        bgeu    t0, t1, 2f
        mv      t0, t1
2:      li      t1, 0x100000
        add     t0, t0, t1
        bltu    s2, t0, 9f
        li      t0, FC_SIZE
        mul     a0, s1, t0
        la      t0, fcache
        add     a0, a0, t0
        sw      s1, FC_FILE(a0)
        sw      s2, FC_ADDR(a0)
        sw      a1, FC_BYTES(a0)
        andi    t0, s1, FC_BUCKETS - 1          # onto its hash chain
        slli    t0, t0, 2
        la      t1, fc_buckets
        add     t0, t0, t1
        lw      t1, 0(t0)
        sw      t1, FC_NEXT(a0)
        sw      a0, 0(t0)
        slli    t0, s1, 20                      # the content: ((f << 20) + j) * 0x9E3779B1
        li      t2, 0x9E3779B1
        mv      a2, s2
        add     a3, s2, a1
3:      bgeu    a2, a3, 5f
        mul     t1, t0, t2
        sw      t1, 0(a2)
        addi    t0, t0, 1
        addi    a2, a2, 4
        j       3b
5:      addi    s1, s1, 1
        j       1b
4:      li      t0, -4096                       # the page allocator gets what lies below
        and     s2, s2, t0
        li      t0, KERNEL_BASE
        sub     s2, s2, t0
        la      t0, bootopts
        sw      s2, BO_MEMTOP(t0)
        pop     s3
        pop     s2
        pop     s1
        pop     ra
        ret
9:      la      a0, msg_fcache
        li      a1, 0
        j       panic

# fc_lookup(a0 = file) -> a0 = its entry, or 0 (LK_FCACHE held). Clobbers t0-t1.
fc_lookup:
        andi    t0, a0, FC_BUCKETS - 1
        slli    t0, t0, 2
        la      t1, fc_buckets
        add     t0, t0, t1
        lw      t0, 0(t0)
1:      beqz    t0, 2f
        lw      t1, FC_FILE(t0)
        beq     t1, a0, 2f
        lw      t0, FC_NEXT(t0)
        j       1b
2:      mv      a0, t0
        ret

# open(file) -> its size in bytes, or ERR_INVAL if the cache has no such file.
sys_open:
        push    ra
        push    s1
        mv      s1, a0
        lock    LK_FCACHE
        mv      a0, s1
        call    fc_lookup
        li      s1, ERR_INVAL
        beqz    a0, 1f
        lw      t0, FC_HITS(a0)
        addi    t0, t0, 1
        sw      t0, FC_HITS(a0)
        lw      s1, FC_BYTES(a0)
1:      unlock  LK_FCACHE
        mv      a0, s1
        pop     s1
        pop     ra
        ret

# fread(file, offset, buf, len) -> bytes copied (0 at or past the end):
# offset and len multiples of 4, len at most 4096. ERR_INVAL for a bad file,
# offset or length, ERR_FAULT for a buffer that is not writable user memory.
sys_fread:
        push    ra
        push    s1
        push    s2
        push    s3
        mv      s1, a0
        mv      s2, a1
        mv      s3, a2
        or      t0, a1, a3
        andi    t0, t0, 3
        bnez    t0, 7f
        li      t0, 4096
        bgtu    a3, t0, 7f
        push    a3
        mv      a0, s3
        mv      a1, a3
        li      a2, 1
        call    user_buf_ok
        beqz    a0, 6f
        lock    LK_FCACHE
        mv      a0, s1
        call    fc_lookup
        beqz    a0, 5f
        lw      t0, FC_BYTES(a0)
        li      a3, 0                           # bytes to copy: min(len, size - offset)
        bgeu    s2, t0, 1f
        sub     a3, t0, s2
        lw      t0, 0(sp)
        bleu    a3, t0, 1f
        mv      a3, t0
1:      sw      a3, 0(sp)
        lw      t0, FC_REFS(a0)                 # pinned while we copy
        addi    t0, t0, 1
        sw      t0, FC_REFS(a0)
        lw      t0, FC_ADDR(a0)
        add     s2, s2, t0                      # from
        mv      s1, a0                          # the entry
        unlock  LK_FCACHE
        mv      a0, s2
        mv      a1, s3
        lw      a2, 0(sp)
        call    copy_words
        lock    LK_FCACHE
        lw      t0, FC_REFS(s1)
        addi    t0, t0, -1
        sw      t0, FC_REFS(s1)
        unlock  LK_FCACHE
        pop     a0
        j       9f
5:      unlock  LK_FCACHE                       # no such file
        pop     a3
        j       7f
6:      pop     a3
        li      a0, ERR_FAULT
        j       9f
7:      li      a0, ERR_INVAL
9:      pop     s3
        pop     s2
        pop     s1
        pop     ra
        ret

# sendfile(handle, file, offset, len) -> bytes sent (0 at or past the end):
# transmit up to len bytes of the file from offset on the connection,
# zero-copy: the descriptor points into the file cache, which stays pinned
# (FC_REFS) until the device has read it. The segment that reaches the end
# of the file ends the response. offset and len multiples of 4, len at most
# NET_MAX_SEGMENT; ERR_INVAL otherwise, or for a bad handle or file.
sys_sendfile:
        push    ra
        push    s1
        push    s2
        push    s3
        push    a1                              # file
        push    a2                              # offset, then the end of this segment
        push    a3                              # len, then the bytes to send
        call    conn_get
        beqz    a0, 7f
        mv      s1, a0
        lw      t0, 4(sp)
        lw      t1, 0(sp)
        or      t2, t0, t1
        andi    t2, t2, 3
        bnez    t2, 7f
        li      t2, NET_MAX_SEGMENT
        bgtu    t1, t2, 7f
        lock    LK_FCACHE
        lw      a0, 8(sp)
        call    fc_lookup
        beqz    a0, 6f
        mv      s2, a0                          # the entry
        lw      t0, FC_BYTES(s2)
        lw      t1, 4(sp)                       # offset
        li      s3, 0                           # bytes: min(len, size - offset)
        bgeu    t1, t0, 1f
        sub     s3, t0, t1
        lw      t2, 0(sp)
        bleu    s3, t2, 1f
        mv      s3, t2
1:      sw      s3, 0(sp)
        beqz    s3, 5f
        add     t1, t1, s3
        sw      t1, 4(sp)                       # where this segment ends
        lw      t1, FC_REFS(s2)                 # pinned until the device has read it
        addi    t1, t1, 1
        sw      t1, FC_REFS(s2)
        lw      s3, FC_ADDR(s2)
        lw      t1, 4(sp)
        add     s3, s3, t1
        lw      t1, 0(sp)
        sub     s3, s3, t1                      # the bytes' address
        unlock  LK_FCACHE
        lock    LK_NET
        la      t0, netarea
        lw      t1, NET_TX_PROD(t0)
        andi    t2, t1, NET_RING_ENTRIES - 1
        li      a0, NET_DESC_BYTES
        mul     t2, t2, a0
        add     t2, t2, t0
        lw      a0, K_ID(s1)
        sw      a0, NET_TX_RING + TXD_CONN(t2)
        sw      s3, NET_TX_RING + TXD_ADDR(t2)
        lw      a0, 0(sp)
        sw      a0, NET_TX_RING + TXD_LEN(t2)
        lw      a0, 4(sp)                       # the last segment: it reaches the end of the file
        lw      a1, FC_BYTES(s2)
        sltu    a0, a0, a1
        seqz    a0, a0
        sw      a0, NET_TX_RING + TXD_FLAGS(t2)
        addi    t1, t1, 1
        sw      t1, NET_TX_PROD(t0)
        hc      HC_NET_NOTIFY                   # the device reads the bytes now
        unlock  LK_NET
        lock    LK_FCACHE
        lw      t1, FC_REFS(s2)
        addi    t1, t1, -1
        sw      t1, FC_REFS(s2)
5:      unlock  LK_FCACHE
        lw      a0, 0(sp)
        lw      t0, K_SENT(s1)
        add     t0, t0, a0
        sw      t0, K_SENT(s1)
        j       9f
6:      unlock  LK_FCACHE
7:      li      a0, ERR_INVAL
9:      addi    sp, sp, 12
        pop     s3
        pop     s2
        pop     s1
        pop     ra
        ret
