// Preloaded with `node --import` when the benchmark runs tandem's headless launch: at exit,
// copies the process's VmHWM (peak RSS) and VmRSS from /proc into the file named by
// TANDEM_BENCH_RSS. tandem itself contains no measuring code.
import {readFileSync, writeFileSync} from 'node:fs';

const file = process.env.TANDEM_BENCH_RSS;
if (file) {
  process.on('exit', () => {
    const status = readFileSync('/proc/self/status', 'utf8');
    writeFileSync(
      file,
      status
        .split('\n')
        .filter((line) => /^Vm(HWM|RSS):/.test(line))
        .join('\n'),
    );
  });
}
