# 88-fcache.s: the file cache. At boot (with BO_NET) the kernel reads the
# file set from the network device's area (NET_FILES, NET_FILE_SIZES),
# reserves memory for it at the top of physical memory and "reads it from
# disk": word j of file f is ((f << 20) + j) * 0x9E3779B1, the content the
# device's clients check (isa/net.ts). Entries hang on FC_BUCKETS hash
# chains behind LK_FCACHE. SYS_OPEN looks a connection's file up and takes
# a reference under the lock; reads and sends then use the pinned entry
# without it, and SYS_CLOSE drops the reference, as with an open file.

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

# open(handle) -> the size of the file the connection's request asked for,
# now open on it: looked up and pinned (FC_REFS) under LK_FCACHE, until
# SYS_CLOSE. ERR_INVAL for a bad handle or a file the cache does not have.
sys_open:
        push    ra
        push    s1
        push    s2
        call    conn_get
        li      s2, ERR_INVAL
        beqz    a0, 2f
        mv      s1, a0
        lock    LK_FCACHE
        lw      a0, K_FENT(s1)                  # already open: the same file
        bnez    a0, 1f
        lw      a0, K_FILE(s1)
        call    fc_lookup
        beqz    a0, 3f
        lw      t0, FC_HITS(a0)
        addi    t0, t0, 1
        sw      t0, FC_HITS(a0)
        lw      t0, FC_REFS(a0)
        addi    t0, t0, 1
        sw      t0, FC_REFS(a0)
        sw      a0, K_FENT(s1)
1:      lw      s2, FC_BYTES(a0)
3:      unlock  LK_FCACHE
2:      mv      a0, s2
        pop     s2
        pop     s1
        pop     ra
        ret

# open_file(a0 = handle, a1 = offset, a2 = len, a3 = largest len allowed) ->
# a0 = kernel address of the bytes at offset, a1 = bytes there: min(len,
# size - offset), or a0 = 0 for a bad handle, a connection with no open file,
# or offset or len not multiples of 4 or len above a3. The file is pinned, so
# no lock is needed.
open_file:
        or      t0, a1, a2
        andi    t0, t0, 3
        bnez    t0, 8f
        bgtu    a2, a3, 8f
        push    ra
        push    a1
        push    a2
        call    conn_get
        pop     a2
        pop     a1
        pop     ra
        beqz    a0, 8f
        lw      t0, K_FENT(a0)
        beqz    t0, 8f
        lw      t1, FC_BYTES(t0)
        li      a0, 0
        bgeu    a1, t1, 1f
        sub     a0, t1, a1
        bleu    a0, a2, 1f
        mv      a0, a2
1:      lw      t1, FC_ADDR(t0)
        add     t1, t1, a1
        mv      a1, a0
        mv      a0, t1
        ret
8:      li      a0, 0
        ret

# fread(handle, offset, buf, len) -> bytes copied from the open file (0 at or
# past its end): offset and len multiples of 4, len at most 4096. ERR_INVAL
# for a bad handle, offset or length, ERR_FAULT for a buffer that is not
# writable user memory.
sys_fread:
        push    ra
        push    s1
        push    s2
        push    s3
        mv      s3, a2
        push    a0
        push    a1
        mv      a0, a2
        mv      a1, a3
        li      a2, 1
        push    a3
        call    user_buf_ok
        pop     a2
        pop     a1
        mv      s1, a0
        pop     a0
        beqz    s1, 6f
        li      a3, NET_MAX_SEGMENT
        call    open_file
        beqz    a0, 7f
        mv      s2, a1
        mv      a1, s3
        mv      a2, s2
        call    copy_words
        mv      a0, s2
        j       9f
6:      li      a0, ERR_FAULT
        j       9f
7:      li      a0, ERR_INVAL
9:      pop     s3
        pop     s2
        pop     s1
        pop     ra
        ret

# sendfile(handle, offset, len) -> bytes sent (0 at or past the end): transmit
# up to len bytes of the open file from offset, zero-copy: the descriptors
# point into the file cache (the file is pinned while open), posted with one
# doorbell. The call that reaches the end of the file ends the response.
# offset and len multiples of 4, len at most SENDFILE_MAX (the tx ring's
# worth of segments); ERR_INVAL otherwise, or for a bad handle or a
# connection with no open file.
sys_sendfile:
        push    ra
        push    s1
        push    s2
        push    s3
        push    a0
        push    a1
        li      a3, SENDFILE_MAX
        call    open_file
        beqz    a0, 7f
        mv      s2, a0                          # the bytes
        mv      s3, a1                          # how many
        lw      a0, 4(sp)
        call    conn_get
        mv      s1, a0
        beqz    s3, 8f
        lw      t0, 0(sp)                       # last: offset + bytes reaches the size
        add     t0, t0, s3
        lw      t1, K_FENT(s1)
        lw      t1, FC_BYTES(t1)
        sltu    a3, t0, t1
        seqz    a3, a3
        mv      a0, s1
        mv      a1, s2
        mv      a2, s3
        call    tx_send                         # the device reads the bytes now
8:      mv      a0, s3
        j       9f
7:      li      a0, ERR_INVAL
9:      addi    sp, sp, 8
        pop     s3
        pop     s2
        pop     s1
        pop     ra
        ret
