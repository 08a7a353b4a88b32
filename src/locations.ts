/** Where irpscope keeps the user's files: $IRPSCOPE_HOME, else the platform's per-user data folder. */
import { homedir } from 'node:os';
import { join } from 'node:path';

export function userDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.IRPSCOPE_HOME) return env.IRPSCOPE_HOME;
  if (platform === 'win32') return join(env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'irpscope');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'irpscope');
  return join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'irpscope');
}

/** The private catalog file: $IRPSCOPE_CATALOG, else catalog.json in the data folder. */
export function defaultCatalogPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.IRPSCOPE_CATALOG || join(userDataDir(env), 'catalog.json');
}
