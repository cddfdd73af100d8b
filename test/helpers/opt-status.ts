/**
 * Run as a child process with --allow-natives-syntax: asks V8 to optimize
 * the interpreter's run() and prints its optimization status bits. Used by
 * test/hypervisor/cpu/optimizable.test.ts as a guard against the function growing
 * past what TurboFan will compile (~60 KB of bytecode).
 */
import { encode } from '../../isa/encoding.ts';
import { OPCODE_BY_MNEMONIC } from '../../isa/opcodes.ts';
import { GuestMemory } from '../../hypervisor/cpu/memory.ts';
import { CpuState } from '../../hypervisor/cpu/state.ts';
import { run } from '../../hypervisor/cpu/interp.ts';
import { KERNEL_BASE } from '../../isa/memory.ts';

const natives = (src: string) => new Function('f', src) as (f: unknown) => number;
const prepare = natives('%PrepareFunctionForOptimization(f); return 0;');
const optimizeNext = natives('%OptimizeFunctionOnNextCall(f); return 0;');
const status = natives('return %GetOptimizationStatus(f);');

const ins = (m: string, ...ops: { reg?: number; imm?: number }[]) => encode(OPCODE_BY_MNEMONIC.get(m)!, ops);
// t0 = 1000; loop: t0 -= 1; bnez t0, loop; hcall
const code = [ins('addi', { reg: 9 }, { reg: 0 }, { imm: 1000 }), ins('addi', { reg: 9 }, { reg: 9 }, { imm: -1 }), ins('bne', { reg: 9 }, { reg: 0 }, { imm: -1 }), ins('hcall')];

function once(): void {
  const cpu = new CpuState(new GuestMemory(1 << 16));
  code.forEach((w, i) => { cpu.mem.i32[i] = w | 0; });
  cpu.pc = KERNEL_BASE;
  run(cpu, 1 << 20);
}

prepare(run);
once();
once();
optimizeNext(run);
once();
process.stdout.write(String(status(run)));
