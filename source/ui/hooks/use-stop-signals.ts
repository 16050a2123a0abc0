// SIGTERM (a supervisor's time-out, `timeout`, `docker stop`) and SIGHUP (a dropped SSH session)
// reach the TUI as signals, not keys. While a launch runs they mean what Ctrl+C means: stop and
// roll back. Nobody may be left to press a key afterwards, so once the rollback has ended tandem
// leaves by itself with the signal's exit code; a second signal cuts the rollback short and leaves
// once the journal says what is left (a third at once), naming destroy.
// An error nothing caught during the launch (a bug, a library's stray callback) is settled the
// same way, then tandem leaves with exit 1 and a sentence naming the error.
import {useEffect, useRef} from 'react';
import {EXIT} from '../../exit.js';
import {onStopSignals, onUncaughtErrors, SIGNAL_EXIT, uncaughtText, type StopSignal} from '../../stop-signals.js';
import {cutShortNote, isFinished, uncaughtNote, type ProgressState} from '../progress-state.js';

export function useStopSignals(progress: ProgressState | undefined, stop: {interrupt: () => void; cutShort: () => Promise<void>}, exit: (code: number, note?: string) => void): void {
  const received = useRef<StopSignal | undefined>(undefined);
  const leaving = useRef(false);
  const {interrupt, cutShort} = stop;
  const latest = useRef({progress, interrupt, cutShort, exit});
  latest.current = {progress, interrupt, cutShort, exit};
  const running = progress !== undefined && !isFinished(progress);

  const uncaught = useRef<string | undefined>(undefined);

  useEffect(() => {
    if (!running) return undefined;
    const stopUncaught = onUncaughtErrors((error) => {
      if (uncaught.current !== undefined) return;
      uncaught.current = uncaughtText(error);
      const {progress: now, interrupt: stop} = latest.current;
      if (!now?.interrupted) stop();
    });
    const stopSignals = onStopSignals((signal) => {
      const {progress: now, interrupt: stop, cutShort: cut, exit: leave} = latest.current;
      if (received.current === undefined && !now?.interrupted) {
        received.current = signal;
        stop();
        return;
      }
      const note = cutShortNote(now?.launchId ?? '');
      if (leaving.current) return leave(SIGNAL_EXIT[signal], note);
      leaving.current = true;
      void cut().then(() => leave(SIGNAL_EXIT[signal], note));
    });
    return () => {
      stopSignals();
      stopUncaught();
    };
  }, [running]);

  useEffect(() => {
    if (!progress || !isFinished(progress)) return;
    if (uncaught.current !== undefined) exit(EXIT.failed, uncaughtNote(progress, uncaught.current));
    // After a second signal, the leave that cut the rollback short says what is left.
    else if (received.current !== undefined && !leaving.current) exit(SIGNAL_EXIT[received.current]);
  }, [progress, exit]);
}
