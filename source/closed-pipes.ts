// `tandem launch … | head -1` closes stdout while the launch goes on. Node reports the closed
// pipe (EPIPE) as an 'error' event, which kills the process when nobody listens: half a launch
// and no rollback. Output to a closed stream is dropped instead; the work carries on to its end.
import type {Writable} from 'node:stream';

/** Errors of a stream whose reader went away (a closed pipe): output to it is dropped. */
export const CLOSED_STREAM_CODES: ReadonlySet<string> = new Set(['EPIPE', 'ERR_STREAM_DESTROYED', 'ERR_STREAM_WRITE_AFTER_END', 'ECONNRESET']);

export function dropOutputToClosedPipes(...streams: Writable[]): void {
  for (const stream of streams) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (CLOSED_STREAM_CODES.has(error.code ?? '')) return;
      // Anything else on an output stream is still not worth a half-finished launch.
      // The writer loads only then, so starting tandem does not wait for it.
      if (process.env.TANDEM_DEBUG) void import('./output.js').then(({processOutput}) => processOutput().say(`tandem: output stream error ${error.code ?? error.message}`));
    });
  }
}
