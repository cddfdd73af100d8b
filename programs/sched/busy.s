# busy.s: a CPU-bound guest that never stops: it counts in memory forever.
# Run it in several VMs to watch the hypervisor share PCPUs by weight:
#   npx paravm run --pcpus 1 --vm programs/sched/busy.s,weight=256 \
#                  --vm programs/sched/busy.s,weight=512 --time 100ms
        .text
        .global _start
_start:
        la      t0, count
1:      lw      t1, 0(t0)
        addi    t1, t1, 1
        sw      t1, 0(t0)
        j       1b
        .data
count:  .word   0
