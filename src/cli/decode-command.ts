/** `irpscope decode`: values and names in, plain words out. */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import { lookup, parseMajor, parseNumber, DECODE_KINDS, type Decoding, type DecodeKind } from '../decode/lookup.js';
import { loadCatalog } from '../decode/catalog.js';
import { defaultCatalogPath } from '../locations.js';
import { UsageError } from './errors.js';
import { colorWanted, styler, visible } from './terminal.js';
import { renderDecoding } from './render-decoding.js';
import { LineSplitter, type SourceLine } from '../text/index.js';

const SORT_KEYS = ['device', 'function', 'method', 'access', 'code'] as const;
type SortKey = (typeof SORT_KEYS)[number];

const DecodeOptions = z.object({
  as: z.enum(DECODE_KINDS as [DecodeKind, ...DecodeKind[]]).optional(),
  file: z.array(z.string()).optional(),
  json: z.boolean().optional(),
  major: z.string().optional(),
  args: z.array(z.string()).max(4, 'a bugcheck has four arguments').optional(),
  sort: z.string().optional(),
  catalog: z.string().optional(),
});

interface Item {
  readonly input: string;
  /** Where it came from, for messages: "argument 2" or "codes.txt:14". */
  readonly where: string;
}

/** The text stage reads the bytes: BOMs, UTF-16 with or without BOM, CRLF/CR, NULs, as for every input. */
function linesOf(bytes: Uint8Array): SourceLine[] {
  const splitter = new LineSplitter();
  return [...splitter.push(bytes), ...splitter.finish()];
}

/** One value or name per line; `#`, `//` and `;` start comments; blank lines are skipped. */
export function itemsFromLines(lines: readonly SourceLine[], origin: string): Item[] {
  const items: Item[] = [];
  for (const { line, text } of lines) {
    const content = text.replace(/(^|\s)(#|\/\/|;).*$/, '').trim();
    if (content === '') continue;
    for (const token of content.split(/[\s,]+/).filter(Boolean)) items.push({ input: token, where: `${origin}:${line}` });
  }
  return items;
}

function parseSort(text: string): SortKey[] {
  const keys = text.split(',').map((k) => k.trim()).filter(Boolean);
  for (const key of keys) if (!(SORT_KEYS as readonly string[]).includes(key)) throw new UsageError(`--sort: unknown key ${JSON.stringify(key)} (use ${SORT_KEYS.join(', ')})`);
  return keys as SortKey[];
}

export function sortDecodings(decodings: Decoding[], keys: readonly SortKey[]): Decoding[] {
  const keyOf = (d: Decoding, key: SortKey): number => {
    if (d.kind !== 'ioctl') return Number.MAX_SAFE_INTEGER;
    switch (key) {
      case 'device': return d.deviceType.value;
      case 'function': return d.function.value;
      case 'method': return d.method.value;
      case 'access': return d.access.value;
      case 'code': return d.value;
    }
  };
  // Stable: equal keys keep input order; values that are not IOCTLs follow, in input order.
  return decodings
    .map((d, i) => ({ d, i }))
    .sort((a, b) => {
      for (const key of keys) {
        const diff = keyOf(a.d, key) - keyOf(b.d, key);
        if (diff !== 0) return diff;
      }
      return a.i - b.i;
    })
    .map(({ d }) => d);
}

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function registerDecode(program: Command): void {
  program
    .command('decode')
    .summary('decode IOCTL codes, NTSTATUS values and bugchecks into plain words')
    .description('Decode IOCTL/FSCTL codes, NTSTATUS values and bugcheck codes (with their arguments) into plain words,\nwith every name any header gives them and where each name comes from.\nNumbers are hex by default, as in WinDbg (0n for decimal); names are looked up in reverse.')
    .argument('[values...]', 'values or names (hex by default: 222004, 0x222004, ffffcf07`04d3caf0, 0n2236420, IOCTL_STORAGE_QUERY_PROPERTY); - reads stdin')
    .option('--as <kind>', 'decode as ioctl, ntstatus or bugcheck (guessed when absent, and the guess is shown)')
    .option('-f, --file <path...>', 'read values from a file, one per line (# // ; start comments)')
    .option('--major <major>', 'the IRP major the code was sent with (IRP_MJ_DEVICE_CONTROL, IRP_MJ_INTERNAL_DEVICE_CONTROL, IRP_MJ_FILE_SYSTEM_CONTROL): names that fit it come first')
    .option('--args <arg...>', 'bugcheck arguments Arg1..Arg4 (hex)')
    .option('--sort <keys>', 'sort IOCTLs by fields: device,function,method,access,code')
    .option('--catalog <path>', 'private catalog file (default: $IRPSCOPE_CATALOG or the data folder)')
    .option('--json', 'print a JSON array, one object per input (docs/json.md)')
    .addHelpText('after', `
Examples:
  irpscope decode 0x222004
  irpscope decode 220003 --major IRP_MJ_INTERNAL_DEVICE_CONTROL
  irpscope decode IOCTL_STORAGE_QUERY_PROPERTY c0000005 --json
  irpscope decode --as bugcheck c9 --args 9 ffffe001\`2b4c8010 0x22201c 0
  irpscope decode --file codes.txt --sort device,function`)
    .action(runDecode);
}

/** The decode job itself, also run by `start` on the bundled samples. */
export async function runDecode(values: string[], rawOptions: unknown): Promise<void> {
  const parsed = DecodeOptions.safeParse(rawOptions);
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; '));
  const options = parsed.data;
  if (rawOptions && typeof (rawOptions as { as?: unknown }).as === 'string' && !options.as) throw new UsageError('--as takes ioctl, ntstatus or bugcheck');
  const items: Item[] = [];
  values.forEach((value, index) => {
    if (value !== '-') items.push({ input: value, where: `argument ${index + 1}` });
  });
  for (const file of options.file ?? []) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch (error) {
      throw new UsageError(`--file ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
    }
    items.push(...itemsFromLines(linesOf(bytes), file));
  }
  if (values.includes('-') || (items.length === 0 && !process.stdin.isTTY && (options.file ?? []).length === 0)) {
    items.push(...itemsFromLines(linesOf(await readStdin()), 'stdin'));
  }
  if (items.length === 0) throw new UsageError('nothing to decode: give values, --file or stdin (see irpscope decode --help)');

  const major = options.major === undefined ? undefined : parseMajor(options.major);
  if (major === null) throw new UsageError(`--major: unknown IRP major ${JSON.stringify(options.major)} (e.g. IRP_MJ_DEVICE_CONTROL or 0xe)`);
  const args = (options.args ?? []).map((arg, i) => {
    const n = parseNumber(arg);
    if (!n.ok) throw new UsageError(`--args: Arg${i + 1} ${n.reason}`);
    return n.value;
  });
  const catalog = loadCatalog(options.catalog ?? defaultCatalogPath());
  let decodings: Decoding[] = items.map((item) => {
    const result = lookup(item.input, {
      catalog,
      args,
      ...(options.as ? { as: options.as } : {}),
      ...(major === undefined ? {} : { major }),
    });
    if (!result.ok) throw new UsageError(`${item.where}: ${visible(item.input)}: ${visible(result.reason)}`);
    return result.decoding;
  });
  if (options.sort) decodings = sortDecodings(decodings, parseSort(options.sort));
  if (options.json) {
    process.stdout.write(`${JSON.stringify(decodings, null, 2)}\n`);
    return;
  }
  const style = styler(colorWanted(process.stdout));
  process.stdout.write(`${decodings.map((d) => renderDecoding(style, d)).join('\n\n')}\n`);
}
