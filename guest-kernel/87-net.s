# 87-net.s: the network stack: the driver of the paravirtual network device
# (hypervisor/devices/net.ts; the shared layout is isa/net.ts) and the
# connection table. Requests arrive in the rx ring with IRQ_NET; server
# threads take them with SYS_ACCEPT, blocking on net_waiters while the ring
# is empty (the wait protocol of the mailboxes: LK_NET, then the run queue).
# SYS_NET_SEND copies the payload into this CPU's transmit buffer outside
# any lock, then under LK_NET posts a descriptor and rings the doorbell
# (HC_NET_NOTIFY); the device consumes it during the call, so the buffer is
# free again when it returns. The kernel is not preemptive, so nothing else
# on this CPU can touch the buffer in between.

# net_init (CPU 0 at boot, with BO_NET): register the device's area.
net_init:
        push    ra
        la      a1, netarea
        hc      HC_NET_SETUP
        beqz    a0, 1f
        la      a0, msg_net
        li      a1, 0
        j       panic
1:      pop     ra
        ret

# net_irq: requests arrived. Take as many waiting acceptors off the wait
# list as there are requests in the ring, and wake them once LK_NET is
# dropped (as a mailbox sender does: off the list, nobody else wakes them);
# each takes a request under LK_NET, or waits again if another thread was
# quicker.
net_irq:
        push    ra
        push    s1
        push    s2
        lock    LK_NET
        la      t0, netarea
        lw      s1, NET_RX_PROD(t0)
        lw      t1, NET_RX_CONS(t0)
        sub     s1, s1, t1
        li      s2, 0                           # the ones to wake, by T_NEXT
1:      blez    s1, 2f
        la      a0, net_waiters
        call    wl_pop
        beqz    a0, 2f
        sw      s2, T_NEXT(a0)
        mv      s2, a0
        addi    s1, s1, -1
        j       1b
2:      unlock  LK_NET
3:      beqz    s2, 4f
        mv      a0, s2
        lw      s2, T_NEXT(s2)
        call    make_runnable
        j       3b
4:      pop     s2
        pop     s1
        pop     ra
        ret

# rx_take -> a0 = connection id, a1 = file: the next request of the rx ring;
# blocks while the ring is empty.
rx_take:
        push    ra
1:      lock    LK_NET
        la      t0, netarea
        lw      t1, NET_RX_CONS(t0)
        lw      t2, NET_RX_PROD(t0)
        bne     t1, t2, 2f
        la      a0, net_waiters                 # empty: net_irq wakes us
        la      a1, locks + LK_NET * L_SIZE
        call    box_wait
        j       1b
2:      andi    t2, t1, NET_RING_ENTRIES - 1
        li      a0, NET_DESC_BYTES
        mul     t2, t2, a0
        add     t2, t2, t0
        lw      a0, NET_RX_RING + RXD_CONN(t2)
        lw      a1, NET_RX_RING + RXD_FILE(t2)
        addi    t1, t1, 1
        sw      t1, NET_RX_CONS(t0)
        push    a0
        push    a1
        unlock  LK_NET
        pop     a1
        pop     a0
        pop     ra
        ret

# accept() -> a connection handle, and the file requested in the frame's a1;
# ERR_NODEV without a network device, ERR_NOMEM when the table is full (the
# request is dropped).
sys_accept:
        push    ra
        push    s1
        push    s2
        la      t0, bootopts
        lw      t0, BO_NET(t0)
        beqz    t0, 8f
        call    rx_take
        mv      s1, a0
        mv      s2, a1
        lock    LK_CONN                         # a free slot for it
        la      a0, conns
        li      a1, 0
1:      li      t0, MAX_CONNS
        bgeu    a1, t0, 7f
        lw      t0, K_STATE(a0)
        beqz    t0, 2f
        addi    a0, a0, K_SIZE
        addi    a1, a1, 1
        j       1b
2:      mv      t0, a0                          # a fresh control block
        addi    t1, a0, K_SIZE
3:      sw      zero, 0(t0)
        addi    t0, t0, 4
        bltu    t0, t1, 3b
        li      t0, 1
        sw      t0, K_STATE(a0)
        sw      s1, K_ID(a0)
        sw      s2, K_FILE(a0)
        rdtime  t0
        sw      t0, K_SINCE(a0)
        csrr    t0, CSR_VCPUID
        sw      t0, K_CPU(a0)
        andi    t0, s1, CONN_BUCKETS - 1        # onto the hash chain of its id
        slli    t0, t0, 2
        la      t1, conn_hash
        add     t0, t0, t1
        lw      t1, 0(t0)
        sw      t1, K_HNEXT(a0)
        sw      a0, 0(t0)
        mv      s1, a1
        unlock  LK_CONN
        sw      s2, F_REGS + 4 * 4(s0)          # the caller's a1
        mv      a0, s1
        j       9f
7:      unlock  LK_CONN
        li      a0, ERR_NOMEM
        j       9f
8:      li      a0, ERR_NODEV
9:      pop     s2
        pop     s1
        pop     ra
        ret

# conn_get(a0 = handle) -> a0 = the open connection, or 0. A connection
# belongs to the thread serving it until it closes it, so no lock is needed.
conn_get:
        li      t0, MAX_CONNS
        bgeu    a0, t0, 1f
        li      t0, K_SIZE
        mul     a0, a0, t0
        la      t0, conns
        add     a0, a0, t0
        lw      t0, K_STATE(a0)
        beqz    t0, 1f
        ret
1:      li      a0, 0
        ret

# net_send(handle, buf, len, last) -> len: transmit len bytes (a multiple of
# 4, at most NET_MAX_SEGMENT) on the connection; last (nonzero) ends the
# response. ERR_INVAL for a bad handle or length, ERR_FAULT for a buffer
# that is not readable user memory.
sys_net_send:
        push    ra
        push    s1
        push    s2
        push    s3
        mv      s2, a1
        mv      s3, a2
        call    conn_get
        beqz    a0, 7f
        mv      s1, a0
        andi    t0, s3, 3
        bnez    t0, 7f
        blez    s3, 7f
        li      t0, NET_MAX_SEGMENT
        bgtu    s3, t0, 7f
        mv      a0, s2
        mv      a1, s3
        li      a2, 0
        call    user_buf_ok
        beqz    a0, 8f
        call    txbuf                           # copy outside any lock
        mv      a1, a0
        mv      a0, s2
        mv      a2, s3
        call    copy_words
        call    txbuf
        mv      a1, a0
        mv      a0, s1
        mv      a2, s3
        lw      a3, F_REGS + 4 * 7(s0)          # the caller's a4: last?
        call    tx_send
        mv      a0, s3
        j       9f
7:      li      a0, ERR_INVAL
        j       9f
8:      li      a0, ERR_FAULT
9:      pop     s3
        pop     s2
        pop     s1
        pop     ra
        ret

# tx_send(a0 = connection, a1 = kernel address of the bytes, a2 = bytes (at
# most NET_RING_ENTRIES segments), a3 = last if nonzero): post the bytes as tx
# descriptors of at most NET_MAX_SEGMENT and ring the doorbell once, under
# LK_NET (the device reads the bytes before HC_NET_NOTIFY returns); the last
# descriptor carries TXF_LAST if asked. Then count the bytes on the connection.
tx_send:
        push    ra
        push    s1
        push    s2
        push    s3
        mv      s1, a0
        mv      s2, a1
        mv      s3, a2
        snez    a3, a3                          # TXF_LAST is 1
        push    a3
        push    a2
        lock    LK_NET
        la      t0, netarea
        lw      t1, NET_TX_PROD(t0)
1:      li      a1, NET_MAX_SEGMENT             # this segment: min(left, NET_MAX_SEGMENT)
        mv      a2, s3
        bleu    a2, a1, 2f
        mv      a2, a1
2:      andi    t2, t1, NET_RING_ENTRIES - 1
        li      a0, NET_DESC_BYTES
        mul     t2, t2, a0
        add     t2, t2, t0
        lw      a0, K_ID(s1)
        sw      a0, NET_TX_RING + TXD_CONN(t2)
        sw      s2, NET_TX_RING + TXD_ADDR(t2)
        sw      a2, NET_TX_RING + TXD_LEN(t2)
        add     s2, s2, a2
        sub     s3, s3, a2
        li      a0, 0
        bnez    s3, 3f
        lw      a0, 4(sp)                       # the last segment
3:      sw      a0, NET_TX_RING + TXD_FLAGS(t2)
        addi    t1, t1, 1
        bnez    s3, 1b
        sw      t1, NET_TX_PROD(t0)
        hc      HC_NET_NOTIFY
        unlock  LK_NET
        pop     a2
        lw      t0, K_SENT(s1)
        add     t0, t0, a2
        sw      t0, K_SENT(s1)
        pop     a3
        pop     s3
        pop     s2
        pop     s1
        pop     ra
        ret

# txbuf -> a0 = this CPU's transmit buffer (NET_MAX_SEGMENT bytes). Clobbers t0.
txbuf:
        csrr    a0, CSR_VCPUID
        li      t0, NET_MAX_SEGMENT
        mul     a0, a0, t0
        la      t0, txbufs
        add     a0, a0, t0
        ret

# copy_words(a0 = from, a1 = to, a2 = bytes, a multiple of 4). Clobbers a0-a2, t0-t1.
copy_words:
        add     a2, a0, a2
        bgeu    a0, a2, 2f
1:      lw      t0, 0(a0)
        sw      t0, 0(a1)
        addi    a0, a0, 4
        addi    a1, a1, 4
        bltu    a0, a2, 1b
2:      ret

# close(handle) -> 0, or ERR_INVAL: the connection is free again, and the
# response is accounted (requests, bytes, a histogram by size, and a line
# in the access log).
sys_close:
        push    ra
        push    s1
        push    s2
        call    conn_get
        beqz    a0, 7f
        mv      s1, a0
        lw      s2, K_SENT(s1)
        lw      t0, K_FILE(s1)                  # (the slot may be reused once freed)
        push    t0
        lw      t0, K_FENT(s1)                  # the open file: drop its reference
        beqz    t0, 3f
        lock    LK_FCACHE
        lw      t0, K_FENT(s1)
        lw      t1, FC_REFS(t0)
        addi    t1, t1, -1
        sw      t1, FC_REFS(t0)
        unlock  LK_FCACHE
3:      lock    LK_CONN
        lw      t0, K_ID(s1)                    # off its hash chain
        andi    t0, t0, CONN_BUCKETS - 1
        slli    t0, t0, 2
        la      t1, conn_hash
        add     t0, t0, t1
4:      lw      t1, 0(t0)
        beqz    t1, 5f
        beq     t1, s1, 6f
        addi    t0, t1, K_HNEXT
        j       4b
6:      lw      t1, K_HNEXT(s1)
        sw      t1, 0(t0)
5:      sw      zero, K_STATE(s1)
        unlock  LK_CONN
        la      t0, bootopts                    # BO_MUTEX: a sleeping lock, as a real kernel's log file has
        lw      t0, BO_MUTEX(t0)
        beqz    t0, 11f
        la      a0, acct_mutex
        call    mutex_lock
        j       12f
11:     lock    LK_ACCT
12:     la      a0, acct
        lw      t0, A_REQUESTS(a0)
        addi    t0, t0, 1
        sw      t0, A_REQUESTS(a0)
        add64   a0, A_BYTES, s2
        li      t0, 0                           # bucket: floor(log2(bytes)), at most 19
        mv      t1, s2
1:      srli    t1, t1, 1
        beqz    t1, 2f
        addi    t0, t0, 1
        li      t2, 19
        bltu    t0, t2, 1b
2:      slli    t0, t0, 2
        add     t0, t0, a0
        lw      t1, A_HIST(t0)
        addi    t1, t1, 1
        sw      t1, A_HIST(t0)
        lw      a0, 0(sp)
        mv      a1, s2
        call    access_log
        la      t0, bootopts
        lw      t0, BO_MUTEX(t0)
        beqz    t0, 13f
        la      a0, acct_mutex
        call    mutex_unlock
        j       14f
13:     unlock  LK_ACCT
14:     pop     a0
        li      a0, 0
        j       9f
7:      li      a0, ERR_INVAL
9:      pop     s2
        pop     s1
        pop     ra
        ret

# access_log(a0 = file, a1 = bytes), LK_ACCT (or with BO_MUTEX acct_mutex) held: append a line
# "<time> <cpu> <file> <bytes>\n" (decimal) to the access log ring, as a web
# server's access log would be written.
access_log:
        push    ra
        push    s1
        push    s2
        push    s3
        mv      s2, a0
        mv      s3, a1
        la      s1, log_line
        rdtime  a0
        call    put_dec
        csrr    a0, CSR_VCPUID
        call    put_dec
        mv      a0, s2
        call    put_dec
        mv      a0, s3
        call    put_dec
        li      t0, 10                          # the last space becomes the newline
        sb      t0, -1(s1)
        la      a0, log_line                    # copy the line into the ring
        la      a1, acct
        lw      a2, A_LOGPOS(a1)
        la      a3, acct_log
1:      bgeu    a0, s1, 2f
        lbu     t0, 0(a0)
        andi    t1, a2, LOG_BYTES - 1
        add     t1, t1, a3
        sb      t0, 0(t1)
        addi    a0, a0, 1
        addi    a2, a2, 1
        j       1b
2:      sw      a2, A_LOGPOS(a1)
        pop     s3
        pop     s2
        pop     s1
        pop     ra
        ret

# put_dec(a0 = unsigned, s1 = where): write it in decimal and a space; s1 moves past them.
put_dec:
        addi    sp, sp, -12                     # digits backwards into a scratch buffer
        addi    t2, sp, 12
        li      t1, 10
1:      remu    t0, a0, t1
        divu    a0, a0, t1
        addi    t0, t0, '0'
        addi    t2, t2, -1
        sb      t0, 0(t2)
        bnez    a0, 1b
        addi    t1, sp, 12
2:      lbu     t0, 0(t2)
        sb      t0, 0(s1)
        addi    s1, s1, 1
        addi    t2, t2, 1
        bltu    t2, t1, 2b
        li      t0, ' '
        sb      t0, 0(s1)
        addi    s1, s1, 1
        addi    sp, sp, 12
        ret
