/**
 * Which incident a bugcheck belongs to. One crash is often announced several times in one paste: the Driver
 * Verifier line, `*** Fatal System Error`, the short `!analyze` (`BugCheck 9F, {...}`), then `!analyze -v`. Those
 * are one incident with several Bugcheck records, so a bugcheck opens a new incident only when it cannot be the
 * crash already open: a different code, a different argument, a different "Probably caused by", or a new debugger
 * session (debugger banner, `Loading Dump File`, `Connected to`) in between. Facts a record does not print (null)
 * never separate two records.
 *
 * The state lives in the engine's shared map under CRASH, so other shapes can read the open crash too.
 */
import type { BlockContext } from '../engine.js';

export const CRASH = 'windbg.crash';
/** The OS build the session header printed (`Edition build lab:`, `Built by:`, `Kernel Version NNNNN`). */
export const SESSION_BUILD = 'windbg.sessionBuild';

export interface CrashFacts {
  readonly code: number | null;
  readonly args: readonly (bigint | null)[];
  readonly probablyCausedBy?: string | null;
}

export interface OpenCrash {
  readonly incident: number;
  code: number | null;
  args: (bigint | null)[];
  probablyCausedBy: string | null;
}

function openCrash(context: BlockContext): OpenCrash | null {
  const crash = context.shared.get(CRASH) as OpenCrash | undefined;
  return crash !== undefined && crash.incident === context.incident ? crash : null;
}

function fits(crash: OpenCrash, facts: CrashFacts): boolean {
  if (crash.code !== null && facts.code !== null && crash.code !== facts.code) return false;
  for (let i = 0; i < 4; i++) {
    const a = crash.args[i] ?? null;
    const b = facts.args[i] ?? null;
    if (a !== null && b !== null && a !== b) return false;
  }
  const cause = facts.probablyCausedBy ?? null;
  return crash.probablyCausedBy === null || cause === null || crash.probablyCausedBy === cause;
}

/** Adds what a record knows to the open crash (a later record can only fill gaps, never change a fact). */
export function noteCrash(context: BlockContext, incident: number, facts: CrashFacts): void {
  const crash = context.shared.get(CRASH) as OpenCrash | undefined;
  if (!crash || crash.incident !== incident) return;
  crash.code ??= facts.code;
  for (let i = 0; i < 4; i++) crash.args[i] ??= facts.args[i] ?? null;
  crash.probablyCausedBy ??= facts.probablyCausedBy ?? null;
}

/** The incident for a bugcheck with these facts: the open crash when they fit it, else a new one. */
export function claimIncident(context: BlockContext, facts: CrashFacts): number {
  const crash = openCrash(context);
  if (crash && fits(crash, facts)) {
    noteCrash(context, crash.incident, facts);
    return crash.incident;
  }
  const incident = context.newIncident();
  const fresh: OpenCrash = { incident, code: null, args: [null, null, null, null], probablyCausedBy: null };
  context.shared.set(CRASH, fresh);
  noteCrash(context, incident, facts);
  return incident;
}

/** The incident a stack printed now belongs to, or null when no crash is open in this session. */
export function stackIncident(context: BlockContext): number | null {
  return openCrash(context)?.incident ?? null;
}

/** A new debugger session: what follows is not the crash seen before. */
export function endSession(context: BlockContext): void {
  context.shared.delete(CRASH);
  context.shared.delete(SESSION_BUILD);
}

interface SessionBuild {
  readonly value: string;
  /** Higher wins: 2 build lab string, 1 kernel version number. */
  readonly rank: number;
}

export function sessionBuild(context: BlockContext): string | null {
  return (context.shared.get(SESSION_BUILD) as SessionBuild | undefined)?.value ?? null;
}

export function noteSessionBuild(context: BlockContext, value: string, rank: number): void {
  const known = context.shared.get(SESSION_BUILD) as SessionBuild | undefined;
  if (!known || known.rank <= rank) context.shared.set(SESSION_BUILD, { value, rank });
}
