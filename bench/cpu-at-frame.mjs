// Preloaded with `node --import` in the benchmark's CPU runs of the first frame (tandem and the
// Ink hello-world alike): when the first write containing TANDEM_BENCH_FRAME_TEXT reaches stdout,
// copies the main thread's CPU time (Linux schedstat, ns) into TANDEM_BENCH_CPU. CPU time of the
// main thread moves far less than wall time when other work shares the machine.
import {readFileSync, writeFileSync} from 'node:fs';

const file = process.env.TANDEM_BENCH_CPU;
const text = process.env.TANDEM_BENCH_FRAME_TEXT;
if (file && text) {
  const write = process.stdout.write;
  process.stdout.write = function (chunk, ...rest) {
    if (String(chunk).includes(text)) {
      const ns = Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]);
      writeFileSync(file, String(ns));
      process.stdout.write = write;
    }
    return write.call(this, chunk, ...rest);
  };
}
