# server.s: a key-value and text service running in its own VM. It waits for
# requests from any VM (IPC_RECV from -1), serves them, and replies with
# IPC_SEND to the caller, who is blocked in IPC_CALL and so cannot miss it.
# OP_MAP maps pages the client granted into this VM's grant window; OP_UPPER
# then works on the client's memory in place. If the client has revoked the
# grant, the access faults (BUS_ERROR); the trap handler turns that into the
# status ST_REVOKED instead of letting the fault stop this VM.
        .include "protocol.s"
        .text
        .global _start
_start:
        la      t0, handler
        csrw    CSR_TVEC, t0
        la      a0, hello
        call    puts
serve:
        li      a0, HC_IPC_RECV
        li      a1, -1                  # from any VM
        li      a2, IPC_FOREVER
        hcall
        bnez    a0, serve               # (cannot fail with these arguments)
        mv      s0, a1                  # the client's VM id, for the reply
        la      t0, requests
        lw      t1, 0(t0)
        addi    t1, t1, 1
        sw      t1, 0(t0)
        li      t0, OP_PUT
        beq     a3, t0, op_put
        li      t0, OP_GET
        beq     a3, t0, op_get
        li      t0, OP_MAP
        beq     a3, t0, op_map
        li      t0, OP_UPPER
        beq     a3, t0, op_upper
        li      t0, OP_QUIT
        beq     a3, t0, op_quit
        li      a3, ST_BADOP
        j       reply

# slot(a4 = key) -> t0 = address of the key's value
slot:
        andi    t0, a4, KEYS - 1
        slli    t0, t0, 2
        la      t1, table
        add     t0, t0, t1
        ret

op_put:
        call    slot
        sw      a5, 0(t0)
        li      a3, ST_OK
        j       reply
op_get:
        call    slot
        lw      a4, 0(t0)
        li      a3, ST_OK
        j       reply
op_map:
        mv      a2, a4                  # grant id
        mv      a1, s0                  # granted by the client
        li      a3, GRANT_WINDOW
        li      a0, HC_GRANT_MAP
        hcall
        mv      a4, a0                  # the hypercall's result, for the client to see
        li      a3, ST_OK
        beqz    a0, 1f
        li      a3, ST_NOMAP
1:      la      t0, mapped
        seqz    t1, a0
        sw      t1, 0(t0)
        j       reply
op_upper:
        la      t0, mapped
        lw      t0, 0(t0)
        li      a3, ST_NOMAP
        beqz    t0, reply
        li      t0, GRANT_WINDOW
        add     t1, t0, a4              # end
1:      bgeu    t0, t1, 3f
        lbu     t2, 0(t0)               # faults with BUS_ERROR once revoked
        li      a5, 'a'
        bltu    t2, a5, 2f
        li      a5, 'z'
        bltu    a5, t2, 2f
        addi    t2, t2, 'A' - 'a'
        sb      t2, 0(t0)
2:      addi    t0, t0, 1
        j       1b
3:      li      a3, ST_OK
        j       reply
op_quit:
        la      a0, bye
        call    puts
        la      t0, requests
        lw      a0, 0(t0)
        call    putint
        la      a0, bye2
        call    puts
        li      a1, 0
        li      a0, HC_SHUTDOWN
        hcall

reply:  li      a0, HC_IPC_SEND
        mv      a1, s0
        li      a2, 0                   # the caller waits in IPC_CALL: never block
        hcall
        j       serve

# Trap handler: a BUS_ERROR in op_upper means the grant was revoked; forget
# the mapping and answer ST_REVOKED. Anything else is a bug: stop the VM.
handler:
        csrr    t0, CSR_CAUSE
        li      t1, CAUSE_BUS_ERROR
        bne     t0, t1, 1f
        la      t0, mapped
        sw      zero, 0(t0)
        la      t0, revoked
        csrw    CSR_EPC, t0
        eret
1:      li      a1, 99
        li      a0, HC_SHUTDOWN
        hcall
revoked:
        li      a3, ST_REVOKED
        j       reply

        .include "../lib/io.s"

        .data
hello:  .asciz  "kv server: waiting for requests\n"
bye:    .asciz  "kv server: served "
bye2:   .asciz  " requests, shutting down\n"
        .align  2
requests: .word 0
mapped: .word   0
table:  .space  KEYS * 4
