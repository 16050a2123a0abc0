// RunInstances as AWS CLI calls: the first-boot script, the call itself (retried while a new
// instance profile is not yet visible to EC2), and what AWS reports back for its controls.
import {json, shellQuote, variable} from './export-cli-script.js';
import {tagSpecsOf, valueOf, wordOf, type CliContext} from './export-cli-steps.js';
import {params, text} from './export-render.js';
import {isStepRef} from './plan-graph.js';
import type {PlanStep} from './plan-types.js';

/** The flags of run-instances, each value taken from the step's SDK input. */
function runArgs(cli: CliContext, run: PlanStep): Array<[string, string?]> {
  const {params: input} = run;
  const args: Array<[string, string?]> = [
    ['--image-id', wordOf(cli, input.ImageId)],
    ['--instance-type', shellQuote(text(input.InstanceType))],
    ['--network-interfaces', json(valueOf(cli, input.NetworkInterfaces))],
    ['--block-device-mappings', json(valueOf(cli, input.BlockDeviceMappings))],
    ['--placement', json(valueOf(cli, input.Placement))],
    ['--metadata-options', json(valueOf(cli, input.MetadataOptions))],
  ];
  // Detailed monitoring (controls/monitoring.ts): --monitoring Enabled=true, or false as chosen.
  if (input.Monitoring !== undefined) args.push(['--monitoring', json(valueOf(cli, input.Monitoring))]);
  if (input.IamInstanceProfile !== undefined) args.push(['--iam-instance-profile', json(valueOf(cli, input.IamInstanceProfile))]);
  if (input.KeyName !== undefined) args.push(['--key-name', wordOf(cli, input.KeyName)]);
  if (typeof input.UserData === 'string') args.push(['--user-data', '"$USER_DATA"']);
  args.push(['--tag-specifications', tagSpecsOf(cli, run)]);
  return args;
}

/** A new instance profile takes a few seconds to reach EC2: the call is retried on that error only. */
function runWithRetry(cli: CliContext, args: Array<[string, string?]>): void {
  const {s} = cli;
  s.comment('A new instance profile takes a few seconds to become visible to EC2: retry on that error only.');
  s.raw('ERRORS=$(mktemp)', 'for attempt in 1 2 3 4 5 6 7 8; do', '  if INSTANCE_ID=$(');
  const command = ['aws ec2 run-instances', ...args.map(([flag, value]) => `${flag} ${value}`), '--query \'Instances[0].InstanceId\' --output text 2>"$ERRORS"'];
  s.raw(`    ${command.join(' \\\n      ')}`, '  ); then break; fi');
  s.raw(
    '  if ! grep -q "Invalid IAM Instance Profile" "$ERRORS"; then cat "$ERRORS" >&2; exit 1; fi',
    '  echo "waiting for the instance profile to reach EC2 (attempt $attempt)" >&2',
    '  INSTANCE_ID=""',
    '  sleep $((attempt * 2))',
    'done',
    'rm -f "$ERRORS"',
    ': "${INSTANCE_ID:?the instance profile never became visible to EC2}"',
  );
}

export function renderRunInstances(run: PlanStep, cli: CliContext): void {
  const {s} = cli;
  if (typeof run.params.UserData === 'string') {
    s.comment('First-boot script: install and start the web server.');
    s.raw("USER_DATA=$(cat <<'USERDATA'", atob(run.params.UserData).replace(/\n$/, ''), 'USERDATA', ')');
  }
  const args = runArgs(cli, run);
  const undo = {
    what: `instance ${variable('INSTANCE_ID')}`,
    how: 'aws ec2 terminate-instances --instance-ids "$INSTANCE_ID" >/dev/null && aws ec2 wait instance-terminated --instance-ids "$INSTANCE_ID"',
  };
  if (isStepRef(params(run.params.IamInstanceProfile).Name)) {
    runWithRetry(cli, args);
    s.made(undo);
    s.raw('echo "INSTANCE_ID=$INSTANCE_ID" >&2');
  } else {
    s.call('ec2', 'run-instances', args, {name: 'INSTANCE_ID', query: 'Instances[0].InstanceId'}, {undo});
  }
}

/** What AWS reports back for the controls, then how to get a shell when Session Manager is the way in. */
export function renderReport(cli: CliContext, sessionManager: boolean): void {
  const {s} = cli;
  s.section('Check', 'What AWS reports back for the controls above.');
  s.call(
    'ec2',
    'describe-instances',
    [
      ['--instance-ids', '"$INSTANCE_ID"'],
      [
        '--query',
        shellQuote(
          'Reservations[0].Instances[0].{Type:InstanceType,Tenancy:Placement.Tenancy,HttpTokens:MetadataOptions.HttpTokens,Profile:IamInstanceProfile.Arn,PublicIp:PublicIpAddress,Groups:SecurityGroups[].GroupId}',
        ),
      ],
      ['--output', 'table'],
    ],
    undefined,
    {show: true},
  );
  s.call(
    'ec2',
    'describe-volumes',
    [
      ['--filters', 'Name=attachment.instance-id,Values="$INSTANCE_ID"'],
      ['--query', shellQuote('Volumes[].{Volume:VolumeId,Encrypted:Encrypted,Key:KmsKeyId}')],
      ['--output', 'table'],
    ],
    undefined,
    {show: true},
  );
  // A stop noted during the last call still counts: the run removes what it made.
  s.raw('', 'if [ -n "$STOP" ]; then exit "$STOP"; fi', 'echo "launched $INSTANCE_ID (launch id $LAUNCH_ID)" >&2');
  if (sessionManager) s.raw('echo "shell: aws ssm start-session --target $INSTANCE_ID --region $REGION" >&2');
}
