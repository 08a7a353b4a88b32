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
 */
import { z } from 'zod';
import { RecordSchema, type ParsedRecord } from './index.js';

type Parse = (record: unknown) => ParsedRecord;

const byType = new Map<unknown, Parse>();
const viaUnion: Parse = (record) => RecordSchema.parse(record) as ParsedRecord;

function parserFor(type: unknown): Parse {
  let parse: Parse = viaUnion;
  try {
    const option = z.getDiscriminatedOption(RecordSchema, type as ParsedRecord['type']) as z.ZodType | undefined;
    if (option !== undefined) {
      const compiled = z.compile(option);
      parse = (record) => compiled.parse(record) as ParsedRecord;
    }
  } catch {
    parse = viaUnion;
  }
  byType.set(type, parse);
  return parse;
}

/** The record as its schema parses it (throws the schema's ZodError when it is not valid). */
export function validateRecord(record: ParsedRecord): ParsedRecord {
  const type = (record as { type?: unknown } | null)?.type;
  return (byType.get(type) ?? parserFor(type))(record);
}
