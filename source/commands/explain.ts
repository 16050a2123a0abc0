// Placeholder until the issue that builds `tandem explain` lands.
import {EXIT, type CommandRunner} from './types.js';

export const run: CommandRunner = async ({io}) => {
  io.stderr.write('tandem explain: not available yet in this build\n');
  return EXIT.usage;
};
