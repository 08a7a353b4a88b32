/** The Driver Verifier shapes (!verifier flag reports, IRQL transition log, KMDF in-flight recorder lines). */
import type { Shape } from '../windbg/engine.js';

export const VERIFIER_SHAPES: readonly Shape[] = [];
