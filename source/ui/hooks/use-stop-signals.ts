// SIGTERM (a supervisor's time-out, `timeout`, `docker stop`) and SIGHUP (a dropped SSH session)
// reach the TUI as signals, not keys. While a launch runs they mean what Ctrl+C means: stop and
// roll back. Nobody may be left to press a key afterwards, so once the rollback has ended tandem
// leaves by itself with the signal's exit code; a second signal leaves at once, naming destroy.
import {useEffect, useRef} from 'react';
import {onStopSignals, SIGNAL_EXIT, type StopSignal} from '../../stop-signals.js';
import {isFinished, type ProgressState} from '../progress-state.js';

export function useStopSignals(progress: ProgressState | undefined, interrupt: () => void, exit: (code: number, note?: string) => void): void {
  const received = useRef<StopSignal | undefined>(undefined);
  const latest = useRef({progress, interrupt, exit});
  latest.current = {progress, interrupt, exit};
  const running = progress !== undefined && !isFinished(progress);

  useEffect(() => {
    if (!running) return undefined;
    return onStopSignals((signal) => {
      const {progress: now, interrupt: stop, exit: leave} = latest.current;
      if (received.current === undefined && !now?.interrupted) {
        received.current = signal;
        stop();
        return;
      }
      leave(SIGNAL_EXIT[signal], `tandem: stopped while rolling back; remove anything left with: tandem destroy ${now?.launchId ?? ''}`.trimEnd());
    });
  }, [running]);

  useEffect(() => {
    if (received.current !== undefined && progress && isFinished(progress)) exit(SIGNAL_EXIT[received.current]);
  }, [progress, exit]);
}
