/**
 * The Driver Verifier shapes (!verifier flag reports and the rest of the report, IRQL transition log, KMDF in-flight
 * recorder lines). In the verifier module they are tried before the WinDbg shapes on every line no block took, so
 * each open() rejects on the first character or a literal prefix before it runs a regex.
 */
import type { Shape } from '../windbg/engine.js';
import { verifierFlagsShape } from './flags.js';
import { irqlLogShape } from './irql-log.js';
import { verifierReportShape } from './report.js';
import { wdfLogShape } from './wdf-log.js';

export const VERIFIER_SHAPES: readonly Shape[] = [verifierFlagsShape, verifierReportShape, irqlLogShape, wdfLogShape];
