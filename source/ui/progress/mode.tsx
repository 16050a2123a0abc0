// The launch mode's input hook: Ctrl+C stops and rolls back (a second one leaves and says how to
// clean up), PgUp/PgDn scroll the steps, and once finished Enter or q leaves with the exit code.
import {useRef, useState} from 'react';
import type {KeyContext} from '../keymap.js';
import {cutShortNote, exitCodeOf, isFinished, type ProgressState} from '../progress-state.js';
import {useKeys} from '../use-keys.js';

export function useProgressKeys(
  progress: ProgressState | undefined,
  rows: number,
  stop: {interrupt: () => void; cutShort: () => Promise<void>},
  onExit: (code: number, note?: string) => void,
) {
  const [scroll, setScroll] = useState(0);
  const leaving = useRef(false);
  const finished = progress ? isFinished(progress) : false;
  const keys: KeyContext = {screen: finished ? 'end' : 'progress', typing: false, fields: 0, choosing: false, canGoBack: false, scrolls: rows !== Infinity};
  useKeys(
    keys,
    (action) => {
      if (!progress) return;
      if (action.type === 'pageUp' || action.type === 'pageDown') setScroll((current) => Math.max(0, current + (action.type === 'pageUp' ? 5 : -5)));
      else if (action.type === 'interrupt') {
        if (finished) onExit(130);
        // A second Ctrl+C cuts the rollback short and leaves once the journal says what is left
        // (a third leaves at once); either way, say how to finish the cleanup.
        else if (progress.interrupted) {
          const note = cutShortNote(progress.launchId);
          if (leaving.current) onExit(130, note);
          else {
            leaving.current = true;
            void stop.cutShort().then(() => onExit(130, note));
          }
        } else stop.interrupt();
      } else if (finished && (action.type === 'next' || action.type === 'quit')) onExit(exitCodeOf(progress));
    },
    Boolean(progress),
  );
  return {keys, scroll};
}
