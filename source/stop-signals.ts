// Every way a person or a supervisor asks tandem to stop: Ctrl+C (SIGINT), a CI time-out,
// `timeout` or `docker stop` (SIGTERM), a dropped SSH session (SIGHUP). All of them mean the
// same thing to a launch (stop, roll back, then exit), each with the shell's 128 + N code.
import {describeError} from './errors.js';
import {EXIT} from './exit.js';

export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

export const SIGNAL_EXIT: Record<StopSignal, number> = {
  SIGINT: EXIT.interrupted,
  SIGTERM: EXIT.terminated,
  SIGHUP: EXIT.hungUp,
};

/**
 * Calls `handler` for each stop signal until the returned function is called. Meanwhile tandem is
 * the only listener: a library's exit hook (the profile store's atomic writer has one) re-raises
 * the signal to kill the process, which would arrive here as a second, phantom stop.
 */
export function onStopSignals(handler: (signal: StopSignal) => void): () => void {
  const saved = STOP_SIGNALS.map((signal) => {
    const others = process.rawListeners(signal) as Array<(...args: unknown[]) => void>;
    process.removeAllListeners(signal);
    const listener = () => handler(signal);
    process.on(signal, listener);
    return {signal, listener, others};
  });
  return () => {
    for (const {signal, listener, others} of saved) {
      process.off(signal, listener);
      for (const other of others) process.on(signal, other);
    }
  };
}

/**
 * Calls `handler` for each error nothing caught (an exception thrown from a callback, a rejected
 * promise nobody awaited) until the returned function is called. During a launch such an error
 * must not end the process half-way, leaving resources and a journal that says `launching`: the
 * launch is stopped and rolled back as for a stop signal, then tandem exits 1 naming the error.
 * While it listens, Node does not end the process for these errors.
 */
export function onUncaughtErrors(handler: (error: unknown) => void): () => void {
  const listener = (error: unknown) => handler(error);
  process.on('uncaughtException', listener);
  process.on('unhandledRejection', listener);
  return () => {
    process.off('uncaughtException', listener);
    process.off('unhandledRejection', listener);
  };
}

/** An uncaught error in one line: its name and message, never its stack. */
export function uncaughtText(error: unknown): string {
  return describeError(error).split('\n')[0].trim() || 'an error without a message';
}
