// `tandem launch … | head -1` closes stdout while the launch goes on. Node reports the closed
// pipe (EPIPE) as an 'error' event, which kills the process when nobody listens: half a launch
// and no rollback. Output to a closed stream is dropped instead; the work carries on to its end.
import type {Writable} from 'node:stream';

const CLOSED = new Set(['EPIPE', 'ERR_STREAM_DESTROYED', 'ERR_STREAM_WRITE_AFTER_END', 'ECONNRESET']);

export function dropOutputToClosedPipes(...streams: Writable[]): void {
  for (const stream of streams) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (CLOSED.has(error.code ?? '')) return;
      // Anything else on an output stream is still not worth a half-finished launch.
      if (process.env.TANDEM_DEBUG) process.stderr.write(`tandem: output stream error ${error.code ?? error.message}\n`);
    });
  }
}

/**
 * Writes a document (explain, export, a profile) to stdout and waits until it is out. A reader
 * that went away (a closed pipe) is fine, as everywhere; any other failure, such as a full disk,
 * means the document never arrived, so the caller gets one sentence to print and exits 1.
 */
export async function writeDocument(stream: Writable, text: string): Promise<string | undefined> {
  const error = await new Promise<NodeJS.ErrnoException | null | undefined>((resolve) => stream.write(text, resolve));
  if (!error || CLOSED.has(error.code ?? '')) return undefined;
  // "ENOSPC: no space left on device, write" -> "no space left on device (ENOSPC)"
  const reason = error.message.replace(/^[A-Z]+: /, '').replace(/, write$/, '');
  return `could not write the output to stdout: ${reason}${error.code ? ` (${error.code})` : ''}`;
}
