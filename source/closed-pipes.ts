// `tandem launch … | head -1` closes stdout while the launch goes on. Node reports the closed
// pipe (EPIPE) as an 'error' event, which kills the process when nobody listens: half a launch
// and no rollback. Output to a closed stream is dropped instead; the work carries on to its end.
import type {Writable} from 'node:stream';
import {CLOSED_STREAM_CODES, processOutput} from './output.js';

export function dropOutputToClosedPipes(...streams: Writable[]): void {
  for (const stream of streams) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (CLOSED_STREAM_CODES.has(error.code ?? '')) return;
      // Anything else on an output stream is still not worth a half-finished launch.
      if (process.env.TANDEM_DEBUG) processOutput().say(`tandem: output stream error ${error.code ?? error.message}`);
    });
  }
}
