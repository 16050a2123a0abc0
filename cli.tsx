// Wiring only: parse argv, pick the command, run it, exit with its code.
// Everything else lives in source/.
import packageJson from './package.json' with {type: 'json'};
import {parseArgv} from './source/argv.js';
import {HELP} from './source/help.js';
import {commands} from './source/commands/index.js';
import {enableCompileCache} from './source/compile-cache.js';
import {EXIT, UsageError} from './source/commands/types.js';
import {dropOutputToClosedPipes} from './source/closed-pipes.js';

// The SDK warns once per process that its 2027 releases will need Node 22. tandem pins its SDK
// and supports Node 20, so the notice only clutters stderr that scripts read; users can opt back in.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// Ink takes CI=true to mean nobody is watching and draws only the final frame. tandem draws only
// to a terminal, so when both ends are terminals a person is watching, CI variable or not.
if (process.stdin.isTTY && process.stdout.isTTY) {
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
}

// Before any command's chunks load: they are what is worth caching.
enableCompileCache();
dropOutputToClosedPipes(process.stdout, process.stderr);

async function main(): Promise<number> {
  const {command, args, flags, help, version} = parseArgv(process.argv.slice(2), process.env);
  if (version || help) {
    // The writer (and the error describer it brings) loads when something is printed, not at
    // every start: the wizard's first frame does not wait for it.
    const {processOutput} = await import('./source/output.js');
    processOutput().print(version ? packageJson.version : HELP);
    return EXIT.ok;
  }
  if (!flags.color) process.env.FORCE_COLOR = '0';
  const load = commands[command];
  if (!load) throw new UsageError(`unknown command "${command}"; run tandem --help for the list`);
  const {run} = await load();
  return run({args, flags, io: {stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env}});
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  async (error: unknown) => {
    process.exitCode = error instanceof UsageError ? EXIT.usage : EXIT.failed;
    const output = (await import('./source/output.js')).processOutput();
    output.error(error);
    if (process.env.TANDEM_DEBUG && error instanceof Error) output.say(error.stack ?? '');
  },
);
