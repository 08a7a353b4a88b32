/** The Ink component: subscribes to the session, maps key presses to actions, draws the frame line by line. */
import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { Box, Text, useApp, useInput, useStdout } from 'ink';
import type { BrowserSession } from '../session.js';
import { buildFrame } from './frame.js';
import { styleLine, type Theme } from './theme.js';
import { detailFor } from './detail-for.js';

export interface AppProps {
  readonly session: BrowserSession;
  readonly theme: Theme;
  /** Fixed size (tests, bench); without it the terminal's size, followed on resize. */
  readonly size?: { readonly width: number; readonly height: number };
}

export function App({ session, theme, size }: AppProps) {
  const state = useSyncExternalStore(session.subscribe, session.getState);
  const { exit } = useApp();
  const { stdout } = useStdout();
  const [tick, setTick] = useState(0);

  useEffect(() => {
    if (size) return;
    const onResize = (): void => session.send({ type: 'resize', width: stdout.columns, height: stdout.rows });
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [session, stdout, size]);

  useEffect(() => {
    if (state.quit) exit();
  }, [state.quit, exit]);

  // The spinner turns only while a long query runs.
  useEffect(() => {
    if (!state.task) return;
    const timer = setInterval(() => setTick((t) => t + 1), 120);
    return () => clearInterval(timer);
  }, [state.task]);

  useInput((input, key) => session.send({ type: 'input', input, key }));

  const list = state.lists[state.view];
  const selected = list.rows[list.cursor];
  const detail = useMemo(() => (state.pane ? detailFor(session, state.view, selected ?? null) : null),
    // The pane follows the selected row; its lines are built once per row, not per key press.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [session, state.pane !== null, state.view, selected]);
  const lines = buildFrame(state, detail, session.dbPath, tick);
  return (
    <Box flexDirection="column">
      {lines.map((line, i) => <Text key={i} wrap="truncate">{styleLine(line, theme)}</Text>)}
    </Box>
  );
}
