// `tandem fleet deploy|verify|destroy|list`: one launch profile in many accounts and regions
// through CloudFormation StackSets. Each subcommand is its own module, loaded only when run.
import {createOutput, t} from '../output.js';
import {EXIT, type CommandRunner} from './types.js';

const SUBCOMMANDS: Record<string, () => Promise<{run: CommandRunner}>> = {
  deploy: () => import('./fleet-deploy.js'),
  verify: () => import('./fleet-verify.js'),
  destroy: () => import('./fleet-destroy.js'),
  list: () => import('./fleet-list.js'),
};

export const USAGE = 'usage: tandem fleet deploy|verify|destroy|list (see tandem --help)';

export const run: CommandRunner = async (context) => {
  const [sub, ...args] = context.args;
  const load = sub ? SUBCOMMANDS[sub] : undefined;
  if (!load) {
    createOutput(context.io).say(t`tandem fleet: ${sub ? t`unknown subcommand "${sub}"` : 'a subcommand is needed'}; ${USAGE}`);
    return EXIT.usage;
  }
  const {run: runSub} = await load();
  return runSub({...context, args});
};
