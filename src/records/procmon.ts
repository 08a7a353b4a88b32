/**
 * Records from Process Monitor CSV. A Procmon row has its own type rather than the ETW `event`: it carries a path,
 * a Result that maps to an NTSTATUS, and the Detail text, and its time is a time of day without a date, so the ETW
 * time fields would be null on every row. docs/json.md, "Process Monitor records", describes the fields.
 *
 * index.ts imports this module for RecordSchema, so it cannot import back: the hex pattern is repeated here.
 */
import { z } from 'zod';

const Hex32 = z.string().regex(/^0x[0-9A-F]{8}$/, 'a 32-bit code: 0x + 8 upper-case hex digits');

/** The `Control:` of a DeviceIoControl, InternalDeviceIoControl or FileSystemControl row's Detail. */
export const ProcmonControlSchema = z.object({
  /** What Procmon printed after "Control: " (a name like FSCTL_REQUEST_OPLOCK, or 0x902eb). */
  text: z.string(),
  /** The code: the printed hex value, or the printed name mapped back through the name tables; null if unknown. */
  code: Hex32.nullable(),
  /** The name Procmon printed, if it printed one. */
  name: z.string().nullable(),
  /** The fields Procmon printed beside a hex code: `(Device:0x9 Function:186 Method: 3)`. */
  printed: z.object({ deviceType: z.number().int(), function: z.number().int(), method: z.number().int() }).nullable(),
  /** Whether the printed fields are the code's own fields (null when none were printed or the code is unknown). */
  agrees: z.boolean().nullable(),
});
export type ProcmonControl = z.infer<typeof ProcmonControlSchema>;

/** One Process Monitor row (for control-code rows an `ioctl` record with the decoding comes first). */
export const ProcmonEventSchema = z.object({
  type: z.literal('procmonEvent'),
  line: z.number().int().positive(),
  sequence: z.number().int().nonnegative().nullable(),
  /** Time of Day as printed (`3:58:47.7286806 PM`, `18:40:23.1038915`, `15:42:43,9161500`, `47:57.9`). */
  time: z.string().nullable(),
  /** The same on a 24-hour clock with a decimal point, `15:58:47.7286806`; null when the time was shortened. */
  timeOfDay: z.string().nullable(),
  /** 'exact' when the time of day is whole; 'shortened' when a spreadsheet re-save cut it to minutes and seconds. */
  timePrecision: z.enum(['exact', 'shortened']).nullable(),
  /** The "Date & Time" column as printed, if the export has it. */
  dateTime: z.string().nullable(),
  process: z.string().nullable(),
  pid: z.number().int().nonnegative().nullable(),
  tid: z.number().int().nonnegative().nullable(),
  operation: z.string(),
  path: z.string().nullable(),
  /** Result as printed (`INVALID DEVICE REQUEST`). */
  result: z.string().nullable(),
  /** The NTSTATUS the Result stands for, where one exists (STATUS_INVALID_DEVICE_REQUEST, 0xC0000010). */
  status: Hex32.nullable(),
  statusName: z.string().nullable(),
  detail: z.string().nullable(),
  /** Duration in seconds, as printed. */
  duration: z.string().nullable(),
  category: z.string().nullable(),
  control: ProcmonControlSchema.nullable(),
  /** Every other column (Image Path, Command Line, User, Integrity, ...) by its header name, as printed. */
  attributes: z.record(z.string(), z.string()),
});
export type ProcmonEvent = z.infer<typeof ProcmonEventSchema>;
