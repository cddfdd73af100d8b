/**
 * The paravm command line: asm, disasm, run, demo. Diagnostics go to
 * stderr, data to stdout; colour only when stderr is a terminal.
 * Exit codes (documented in the README): 0 ok, 1 assembly error, 2 usage or
 * I/O error, 3 guest fault, 4 limit reached.
 */
import { basename, extname } from 'node:path';
import { disassembleImage } from '../isa/disasm.ts';
import { writeImage } from '../isa/image.ts';
import { runDemo } from './demo.ts';
import { OutputClosed } from './output.ts';
import { ASM_FLAGS, EXIT, InputError, UsageError, asmOptions, assemble, err, loadImageFile, parse, reportAsm, writeOutput } from './common.ts';
import { RUN_FLAGS, cmdRun } from './run.ts';
import { BOOT_FLAGS, cmdBoot } from './boot.ts';
import { EXPERIMENT_FLAGS, cmdExperiment } from './experiment.ts';

export { EXIT };

const USAGE = `usage: paravm <command> [options]

commands:
  asm FILE... [-o IMAGE] [--listing F] [--symbols F] [-I DIR] [-D NAME=VALUE]
                      assemble FILEs (as one unit) into an image
  disasm IMAGE        disassemble an image, with its labels
  run [FILE...] [--vm FILE[,key=value...]]... [--config F] [--pcpus N] [--vcpus M]
      [--memory SIZE] [--time T] [--slice T] [--quantum T] [--seed N] [--policy P]
      [--preemption S] [--trace F] [--stats F] [--stats-text F] [--regs]
      [--itrace] [--limit N] [-I DIR] [-D NAME=VALUE]
                      run programs under the hypervisor, one VM per FILE or --vm
                      (a .s file is assembled on the fly); one FILE alone is bare metal:
                      one VCPU in kernel mode on one PCPU, no guest kernel.
                      T: virtual time such as 10ms, 500us, 1000cycles; SIZE: 1M, 64K.
                      --trace F: Chrome Trace JSON (ui.perfetto.dev); --stats F: JSON;
                      --stats-text F: gem5-style text; --itrace: one line per instruction
  boot [--vcpus N] [--pcpus M] [--locks ttas|ticket] [--hints] [--debug-locks] [--tick T]
       [--slice-ticks N] [--balance-ticks N] [--memory SIZE] [--seed N] [--time T]
       [--preemption none|intrusive|nonintrusive|ple] [--compete] [--pvspin] [--preempt-check]
       [--steal-balance] [--net]
       [--trace F] [--stats F] PROGRAM...
                      boot the SMP guest kernel (guest-kernel/) on N VCPUs (default 2) over
                      M PCPUs (default N) and run each PROGRAM as a process (see
                      programs/kernel/); then a summary per VCPU and per lock class.
                      --compete: a CPU-bound VM on every PCPU, guest VCPUs pinned one per PCPU
                      --net: the network device and its clients (programs/kernel/httpd.s serves them)
  experiment lhp [--quick] [--out DIR]
                      the lock-holder-preemption sweep (web server, 2-4 CPUs, every strategy):
                      table on stdout, results.json and SVG figures (default DIR experiment-lhp)
  experiment balloon [--quick] [--out DIR]
                      the time-ballooning sweep: table on stdout, results.json and SVG figures
  demo                what \`npm start\` runs: bare metal, two VMs, the SMP guest kernel
  help                this text

exit codes: 0 ok (or the guest's shutdown code), 1 assembly error, 2 usage or I/O error,
            3 guest fault (any VM), 4 instruction limit reached
configuration format: docs/config.md`;

function cmdAsm(args: string[]): number {
  const { values, positionals } = parse(args, {
    ...ASM_FLAGS,
    output: { type: 'string', short: 'o' },
    listing: { type: 'string' },
    symbols: { type: 'string' },
  });
  if (positionals.length === 0) throw new UsageError('asm: no input files');
  const res = assemble(positionals, asmOptions(values));
  if (!reportAsm(res)) return EXIT.ASM_ERROR;
  const out = values.output ?? `${basename(positionals[0]!, extname(positionals[0]!))}.img`;
  writeOutput(out, writeImage(res.image!));
  if (values.listing) writeOutput(values.listing, res.listing);
  if (values.symbols) writeOutput(values.symbols, res.symbolsText);
  return EXIT.OK;
}

function cmdDisasm(args: string[]): number {
  const { positionals } = parse(args, {});
  if (positionals.length !== 1) throw new UsageError('disasm: expected exactly one image');
  process.stdout.write(disassembleImage(loadImageFile(positionals[0]!)));
  return EXIT.OK;
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case 'asm': return cmdAsm(rest);
      case 'disasm': return cmdDisasm(rest);
      case 'run': return cmdRun(rest, parse(rest, RUN_FLAGS));
      case 'boot': return cmdBoot(parse(rest, BOOT_FLAGS));
      case 'experiment': return cmdExperiment(parse(rest, EXPERIMENT_FLAGS));
      case 'demo': return runDemo(rest);
      case 'help': case '--help': case '-h': process.stdout.write(`${USAGE}\n`); return EXIT.OK;
      case undefined: throw new UsageError('no command given');
      default: throw new UsageError(`unknown command '${cmd}'`);
    }
  } catch (e) {
    if (e instanceof OutputClosed) return EXIT.OK;
    if (e instanceof InputError) { err(`paravm: ${e.message}`); return EXIT.USAGE; }
    if (!(e instanceof UsageError)) throw e;
    err(`paravm: ${e.message}\n${USAGE}`);
    return EXIT.USAGE;
  }
}
