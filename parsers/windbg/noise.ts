/**
 * Debugger lines that carry no data: symbol loading, warnings, progress. They are counted as noise, not skipped,
 * so the skipped list stays a list of what the parser could not read. Each pattern names what it is.
 */
const NOISE: readonly RegExp[] = [
  /^\s*SYMSRV:/, // symbol server chatter
  /^\s*DBGHELP:/, // dbghelp load lines ("... - OK")
  /^\s*DBGENG:/,
  /^\s*\*{3} WARNING: Unable to verify (timestamp|checksum) for /,
  /^\s*\*{3} ERROR: (Module load completed but symbols could not be loaded|Symbol file could not be found)/,
  /^\s*\*+ (Kernel|Symbol)s? .*(WRONG|wrong)/, // "***** Kernel symbols are WRONG. Please fix symbols to do analysis."
  /^\s*\*+\s*$/, // a row of stars without the banner text
  /^\s*Unable to load image .*Win32 error/,
  /^\s*Page [0-9a-fA-F`]+ not present in the dump file/,
  /^\s*Implicit thread is now /,
  /^\s*Resetting default scope/,
  /^\s*Loading (Kernel Symbols|User Symbols|unloaded module list|Dump File)/,
  /^\s*\.{3,}[.\s]*$/, // progress dots
  /^\s*Symbol search path is:/,
  /^\s*Executable search path is:/,
  /^\s*(Press ctrl-c|Use !analyze -v to get detailed debugging information\.)/,
  /^\s*\*{3} Type referenced: /,
  /^\s*Failed calling InternetOpenUrl/,
  /^\s*GetUrlPageData2 /,
  /^\s*\*{3} (No owner thread found for resource|Either you specified an unqualified symbol|Your debugger is not using the correct symbols)/,
  /^\s*\*\*\*\s+\*\*\*/, // "***  ***" banner fragments of symbol warnings
  /^\s*-{5,}\s*$/, // dash separator lines outside any block
];

export function isNoise(text: string): boolean {
  for (const pattern of NOISE) if (pattern.test(text)) return true;
  return false;
}
