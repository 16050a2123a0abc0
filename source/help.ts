// The --help text. Kept beside the command table so both change together; the exit codes come
// from EXIT, so the list cannot fall behind the codes tandem really uses.
import {EXIT} from './exit.js';

export const HELP = `
  Launch an EC2 web server safely, and see who owns each security control.

  Usage
    $ tandem                                 guided launch (same as tandem launch)
    $ tandem launch [PROFILE] [--yes] [--dry-run] [--keep] [--accept-risk FINDING=REASON]... [--output json]
    $ tandem explain [PROFILE] [--format text|markdown|json]
    $ tandem verify LAUNCH_ID [--strict] [--output json]
    $ tandem destroy LAUNCH_ID [--yes] [--output json]
    $ tandem launches [--output json]
    $ tandem profiles list|show NAME|rm NAME|export NAME|import FILE [--name N] [--force]
    $ tandem export PROFILE --format markdown|cloudformation|cli
    $ tandem fleet deploy PROFILE --regions R1,R2 (--accounts A1,A2 | --org-units OU1)
                          [--max-concurrent N] [--failure-tolerance N] [--name NAME] [--accept-risk FINDING=REASON]
                          [--yes] [--keep] [--output json]
    $ tandem fleet verify NAME [--strict] [--output json]     every control in every account and region
    $ tandem fleet destroy NAME [--yes] [--output json]
    $ tandem fleet list [--output json]

  PROFILE is a saved launch profile name or a path to a profile YAML file.

  Options
    --region REGION        AWS region (else the profile's region, else AWS_REGION)
    --profile NAME         AWS credentials profile, as in the AWS CLI (else AWS_PROFILE)
    --endpoint-url URL     send AWS calls to this endpoint (else AWS_ENDPOINT_URL)
    --yes                  run without prompts (needed when there is no terminal)
    --dry-run              pre-flight, then check every EC2 call with DryRun; create nothing
    --accept-risk F=REASON accept finding F for this launch or fleet, recorded like a profile's acceptedRisks;
                           F1,F2=REASON records one reason for several
                           (just F for a finding tandem offers a reason for, such as role-trust-unscoped)
    --keep                 a failed launch keeps what it made (for a look), instead of rolling back
    --strict               verify, fleet verify: also exit 3 when a checker would fail what no accepted risk covers
    --output json          one JSON object per line on stdout, human text on stderr
    --format FORMAT        output format for explain and export
    --regions, --accounts, --org-units   fleet targets, comma-separated (StackSets)
    --max-concurrent N     fleet: accounts worked on at once per region (StackSets' default: 1)
    --failure-tolerance N  fleet: failed accounts per region before StackSets stops (default 0)
    --no-color             plain text (NO_COLOR is honoured too)
    --help, --version

  Exit codes
    ${EXIT.ok} ok · ${EXIT.failed} failed (and rolled back) · ${EXIT.usage} bad usage or input
    ${EXIT.verificationFailed} verification found a failing control (or, with --strict, an unaccepted checker failure)
    ${EXIT.interrupted} / ${EXIT.terminated} / ${EXIT.hungUp} stopped by SIGINT (Ctrl+C) / SIGTERM (time-out, docker stop) / SIGHUP (lost session)

  TANDEM_HOME moves all saved state (profiles, launch journals, fleets); default ~/.tandem
`;
