/**
 * Deterministic generator of a large WinDbg log for the bench: many sessions of `!analyze -v` followed by `!irp`
 * and `kb`, in the layouts real pastes have (see test/fixtures/windbg), with values drawn from a seeded PRNG.
 *
 *   node dist/scripts/gen-windbg.js OUT.txt SIZE_MB [SEED]
 */
import { createWriteStream } from 'node:fs';
import { seededRandom } from './seeded-random.js';

/** Part of the bench's file names: a change to what is generated gets new files, not the old ones reused. */
export const WINDBG_GENERATOR_VERSION = 2;


const BUGCHECKS: readonly [string, string, (r: () => number) => string[]][] = [
  ['DRIVER_IRQL_NOT_LESS_OR_EQUAL', 'd1', (r) => [hex16(r, 0x1000), '0000000000000002', '0000000000000000', addr(r)]],
  ['DRIVER_VERIFIER_DETECTED_VIOLATION', 'c4', () => ['0000000000000062', 'ffffd407b3ac53a0', 'ffffd407b3ccbee0', '0000000000000003']],
  ['DRIVER_VERIFIER_IOMANAGER_VIOLATION', 'c9', (r) => ['000000000000021f', addr(r), addr(r), '0000000000000000']],
  ['SYSTEM_SERVICE_EXCEPTION', '3b', (r) => ['00000000c0000005', addr(r), addr(r), '0000000000000000']],
  ['DRIVER_POWER_STATE_FAILURE', '9f', (r) => ['0000000000000003', addr(r), addr(r), addr(r)]],
];
const DRIVERS = ['mydrv', 'usbxhci', 'storport', 'netadapter', 'fltmgr', 'acmedisk'];
const IOCTLS = ['0x222004', '0x2d1400', '0x220003', '0x70000', '0x2260d0', '0x83372400', '0x900eb'];

function hex16(r: () => number, max = 0xffffffff): string {
  return Math.floor(r() * max).toString(16).padStart(16, '0');
}
function addr(r: () => number): string {
  return `fffff80${Math.floor(r() * 0xf).toString(16)}${Math.floor(r() * 0xffffffff).toString(16).padStart(8, '0')}`;
}
/**
 * Where !irp says the current location (the second of two) lies: after the x64 IRP (0xD0 bytes) and one
 * IO_STACK_LOCATION (0x48), what the parser checks the command's address against.
 */
function currentLocation(irp: string): string {
  return (BigInt(`0x${irp}`) + 0xd0n + 0x48n).toString(16).padStart(16, '0');
}
function tick(a: string): string {
  return `${a.slice(0, 8)}\`${a.slice(8)}`;
}

export function session(r: () => number, index: number): string {
  const [name, code, args] = BUGCHECKS[index % BUGCHECKS.length]!;
  const a = args(r);
  const driver = DRIVERS[Math.floor(r() * DRIVERS.length)]!;
  const ioctl = IOCTLS[Math.floor(r() * IOCTLS.length)]!;
  const cpu = Math.floor(r() * 8);
  const frames: string[] = [];
  const depth = 6 + Math.floor(r() * 10);
  for (let f = 0; f < depth; f++) {
    const sym = f === 0 ? 'nt!KeBugCheckEx' : f === 1 ? 'nt!IovCallDriver+0x245' : `${f % 3 === 0 ? driver : 'nt'}!Function${f}+0x${Math.floor(r() * 0x400).toString(16)}`;
    frames.push(`${tick(addr(r))} ${tick(addr(r))} : ${tick(hex16(r))} ${tick(hex16(r))} ${tick(hex16(r))} ${tick(hex16(r))} : ${sym}`);
  }
  const irp = addr(r);
  return `${cpu}: kd> !analyze -v
*******************************************************************************
*                                                                             *
*                        Bugcheck Analysis                                    *
*                                                                             *
*******************************************************************************

${name} (${code})
A driver did something it should not have done.
Arguments:
Arg1: ${a[0]}, first argument
Arg2: ${a[1]}, second argument
\tthat wraps onto a second line
Arg3: ${a[2]}, third argument
Arg4: ${a[3]}, fourth argument

Debugging Details:
------------------

*** WARNING: Unable to verify timestamp for ${driver}.sys

KEY_VALUES_STRING: 1

    Key  : Analysis.CPU.mSec
    Value: ${Math.floor(r() * 5000)}

    Key  : Failure.Bucket
    Value: 0x${code.toUpperCase()}_${driver}!Function3

BUGCHECK_CODE:  ${code}

BUGCHECK_P1: ${a[0]!.replace(/^0+(?=.)/, '')}

BUGCHECK_P2: ${a[1]!.replace(/^0+(?=.)/, '')}

BUGCHECK_P3: ${a[2]!.replace(/^0+(?=.)/, '')}

BUGCHECK_P4: ${a[3]!.replace(/^0+(?=.)/, '')}

PROCESS_NAME:  System

STACK_TEXT:  
${frames.join('\n')}


SYMBOL_NAME:  ${driver}!Function3+${Math.floor(r() * 0x100).toString(16)}

MODULE_NAME: ${driver}

IMAGE_NAME:  ${driver}.sys

IMAGE_VERSION:  10.0.${19041 + (index % 5)}.${Math.floor(r() * 3000)}

STACK_COMMAND:  .cxr; .ecxr ; kb

FAILURE_BUCKET_ID:  0x${code.toUpperCase()}_${driver}!Function3

OS_VERSION:  10.0.19041.1

FAILURE_ID_HASH:  {${Math.floor(r() * 0xffffffff).toString(16).padStart(8, '0')}-1234-5678-9abc-def012345678}

Followup:     MachineOwner
---------

${cpu}: kd> !irp ${tick(irp)}
Irp is active with 2 stacks 2 is current (= 0x${currentLocation(irp)})
 No Mdl: System buffer=${tick(addr(r))}: Thread ${tick(addr(r))}:  Irp stack trace.  
     cmd  flg cl Device   File     Completion-Context
 [N/A(0), N/A(0)]
            0  0 00000000 00000000 00000000-00000000    

\t\t\tArgs: 00000000 00000000 00000000 00000000
>[IRP_MJ_DEVICE_CONTROL(e), N/A(0)]
            5  0 ${tick(addr(r))} ${tick(addr(r))} 00000000-00000000    
\t       \\Driver\\${driver}
\t\t\tArgs: 00000100 00000010 ${ioctl} 00000000

`;
}

async function main(): Promise<void> {
  const [out, sizeText, seedText] = process.argv.slice(2);
  if (!out || !sizeText) throw new Error('usage: gen-windbg OUT.txt SIZE_MB [SEED]');
  const target = Number(sizeText) * 1024 * 1024;
  const r = seededRandom(Number(seedText ?? 1));
  const stream = createWriteStream(out);
  let written = 0;
  let index = 0;
  while (written < target) {
    let chunk = '';
    for (let k = 0; k < 64; k++) chunk += session(r, index++);
    written += Buffer.byteLength(chunk);
    if (!stream.write(chunk)) await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
  process.stderr.write(`gen-windbg: ${out}: ${written} bytes, ${index} sessions, seed ${seedText ?? 1}\n`);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) await main();
