// Module loader hook (runs on Node's loader thread): appends "epoch-ms url" per loaded module
// to the file named by TANDEM_BENCH_TRACE.
import {appendFileSync} from 'node:fs';

const file = process.env.TANDEM_BENCH_TRACE;

export async function load(url, context, nextLoad) {
  if (file && url.startsWith('file:')) appendFileSync(file, `${Date.now()} ${url}\n`);
  return nextLoad(url, context);
}
