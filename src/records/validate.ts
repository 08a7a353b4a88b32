/**
 * Record validation for every parser: every record is parsed by the zod schema of its type before it
 * leaves the parser, exactly as `RecordSchema.parse` would, only cheaper:
 *
 * - the record's own schema is looked up once per type (no discriminated-union dispatch per record);
 * - that schema is compiled with zod's own ahead-of-time compiler (`z.compile`): one generated function per type
 *   that checks every field and builds the same output object the interpreter builds, with no payload or issues
 *   array per field. On any input the compiled code rejects, zod re-runs the interpreter, so an invalid record
 *   throws the very ZodError `RecordSchema.parse` throws.
 *
 * A type the union does not know, or a schema zod cannot compile, goes through `RecordSchema.parse` unchanged.
 *
 * checkRecord is the same check without the copy, for parsers that build each record in the schema's own shape
 * (the WinDbg family: a large log makes hundreds of thousands of frames, and copying each one cost more than
 * checking it). It runs zod's assert-only compiled validator of the type's schema (`schema.validate`, every field
 * and every regex, no output built) and hands back the record itself; a record the validator rejects goes through
 * validateRecord, so it throws the same ZodError. What it does not do is strip keys the schema lacks: a builder
 * that adds one would leak it, which the golden tests (whole records, exact) are there to catch.
 */
import { z } from 'zod';
import { RecordSchema, type ParsedRecord } from './index.js';

type Parse = (record: unknown) => ParsedRecord;

const byType = new Map<unknown, Parse>();
const checkByType = new Map<unknown, (record: unknown) => boolean>();
const viaUnion: Parse = (record) => RecordSchema.parse(record) as ParsedRecord;

function parserFor(type: unknown): Parse {
  let parse: Parse = viaUnion;
  try {
    const option = z.getDiscriminatedOption(RecordSchema, type as ParsedRecord['type']) as z.ZodType | undefined;
    if (option !== undefined) {
      const compiled = z.compile(option);
      parse = (record) => compiled.parse(record) as ParsedRecord;
      checkByType.set(type, (record) => compiled.validate(record));
    }
  } catch {
    parse = viaUnion;
  }
  byType.set(type, parse);
  if (!checkByType.has(type)) checkByType.set(type, () => false);
  return parse;
}

/** The record as its schema parses it (throws the schema's ZodError when it is not valid). */
export function validateRecord(record: ParsedRecord): ParsedRecord {
  const type = (record as { type?: unknown } | null)?.type;
  return (byType.get(type) ?? parserFor(type))(record);
}

/** The record itself once its type's schema accepts it (see the module comment); else validateRecord's ZodError. */
export function checkRecord(record: ParsedRecord): ParsedRecord {
  const type = (record as { type?: unknown } | null)?.type;
  let check = checkByType.get(type);
  if (check === undefined) {
    parserFor(type);
    check = checkByType.get(type)!;
  }
  return check(record) ? record : validateRecord(record);
}
