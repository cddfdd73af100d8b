# httpd.s: a multi-threaded static web server, the workload of the
# lock-holder-preemption experiment (paravm experiment lhp). THREADS threads
# each loop: accept a request (SYS_ACCEPT gives the connection and the file
# asked for), parse it and build the response header (user-level work,
# WORK iterations), look the file up (SYS_OPEN), send all of it from the
# kernel's file cache (SYS_SENDFILE, zero-copy, as Apache does for static
# files; with -D COPY=1, 4 KiB at a time with SYS_FREAD and SYS_NET_SEND),
# then close the connection (SYS_CLOSE). Every system call's kernel path
# takes shared spinlocks: netdev, conntable, filecache, accounting. The
# server never exits by itself: the host ends the run. Needs a VM with a
# network device (paravm boot --net, or bootKernel({ net })).
        .include "../../guest-kernel/abi.inc"
        .ifndef THREADS
        .equ    THREADS, 8
        .endif
        .ifndef WORK
        .equ    WORK, 5000                      # user-level work per request: 2 cycles an iteration
        .endif
        .ifndef COPY                            # -D COPY=1: SYS_FREAD into a buffer, then SYS_NET_SEND
        .equ    COPY, 0
        .endif
        .equ    CHUNK, 4096
        .org    0x00400000
        .text
_start:
        la      a0, server
        li      a1, THREADS
        call    start_threads
        li      a0, 0                           # the workers carry on
        call    exit

# server(a0 = thread index): s0 = connection, s1 = file, s2 = offset, s3 = buffer; 0(sp) = file size.
server:
        li      t0, CHUNK
        mul     s3, a0, t0
        la      t0, buffers
        add     s3, s3, t0
        addi    sp, sp, -4
1:      li      a0, SYS_ACCEPT
        syscall
        bltz    a0, 9f
        mv      s0, a0
        mv      s1, a1
        li      t0, WORK                        # parse the request, build the header
2:      addi    t0, t0, -1
        bnez    t0, 2b
        li      a0, SYS_OPEN
        mv      a1, s0
        syscall
        blez    a0, 9f
        sw      a0, 0(sp)
        li      s2, 0
3:
        .if COPY
        li      a0, SYS_FREAD                   # read a chunk into our buffer, then send it
        mv      a1, s0
        mv      a2, s2
        mv      a3, s3
        li      a4, CHUNK
        syscall
        blez    a0, 9f
        add     s2, s2, a0
        mv      a3, a0
        lw      t0, 0(sp)
        sltu    a4, s2, t0                      # the last chunk: the offset reached the size
        seqz    a4, a4
        li      a0, SYS_NET_SEND
        mv      a1, s0
        mv      a2, s3
        syscall
        bltz    a0, 9f
        .else
        li      a0, SYS_SENDFILE                # the whole file straight from the file cache (zero-copy)
        mv      a1, s0
        mv      a2, s2
        lw      a3, 0(sp)
        syscall
        blez    a0, 9f
        add     s2, s2, a0
        .endif
        lw      t0, 0(sp)
        bltu    s2, t0, 3b
        li      a0, SYS_CLOSE
        mv      a1, s0
        syscall
        j       1b
9:      mv      a1, a0                          # a system call failed: say which error, stop this thread
        neg     a1, a1
        la      a0, msg_err
        call    putline
        li      a0, 1
        call    exit

        .include "ulib.inc"
        .data
msg_err: .asciz "httpd: a system call failed with error -"
        .align  12
buffers: .space THREADS * CHUNK
