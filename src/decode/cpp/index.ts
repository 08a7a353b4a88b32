/**
 * A subset of the C preprocessor for evaluating #define'd constants of Windows
 * headers (IOCTL codes, NTSTATUS, bugcheck codes) and a driver team's own headers.
 */

export type {
  Evaluation,
  IncludeRequest,
  MacroCall,
  MacroDefinition,
  ScanOptions,
  ScanReport,
} from './model.js';
export { MacroTable } from './macro-table.js';
