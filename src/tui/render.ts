/**
 * Draws the Ink app on the real terminal until the user quits. Loaded by `browse` only once it has made sure it
 * runs in a terminal (src/cli/browse-command.ts), so no other command pays for loading React and Ink.
 */
import { createElement } from 'react';
import { render } from 'ink';
import type { BrowserSession } from './session.js';
import { App } from './views/app.js';
import { themeFor } from './views/theme.js';

export async function drawUntilQuit(session: BrowserSession, stdout: NodeJS.WriteStream): Promise<void> {
  const instance = render(createElement(App, { session, theme: themeFor(stdout) }), { exitOnCtrlC: false, patchConsole: false });
  await instance.waitUntilExit();
  instance.cleanup();
}
