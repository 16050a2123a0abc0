// The load-balanced tier's steps as AWS CLI calls (docs/load-balancer.md, docs/design.md section 2):
// the zones, the target group, the load balancer and its attributes, the listeners and the
// registered instance, each with what undoes it when the run fails. The load balancer's undo turns
// its deletion protection off first, as tandem destroy does. export-cli.ts merges this table with
// export-cli-steps.ts's.
import {json, shellQuote, variable} from './export-cli-script.js';
import {tagsOf, valueOf, variableOf, wordOf, type CliRenderer} from './export-cli-steps.js';
import {list, text} from './export-render.js';

/** ZONE and ZONE_1: the region's first two zones, which the subnets are pinned to. */
const describeZones: CliRenderer = (step, cli) => {
  const filters = ['--filters', 'Name=state,Values=available Name=zone-type,Values=availability-zone'] as [string, string];
  cli.s.call('ec2', 'describe-availability-zones', [filters], {name: 'ZONE', query: 'AvailabilityZones[0].ZoneName'});
  cli.s.call('ec2', 'describe-availability-zones', [filters], {name: 'ZONE_1', query: 'AvailabilityZones[1].ZoneName'});
  void step;
};

const createTargetGroup: CliRenderer = (step, cli) => {
  const id = variableOf(cli, {ref: step.id, output: 'TargetGroups.0.TargetGroupArn'});
  const p = step.params;
  cli.s.call(
    'elbv2',
    'create-target-group',
    [
      ['--name', shellQuote(text(p.Name))],
      ['--protocol', shellQuote(text(p.Protocol))],
      ['--port', typeof p.Port === 'number' ? String(p.Port) : text(p.Port)],
      ['--vpc-id', wordOf(cli, p.VpcId)],
      ['--target-type', shellQuote(text(p.TargetType))],
      ['--health-check-enabled'],
      ['--health-check-protocol', shellQuote(text(p.HealthCheckProtocol))],
      ['--health-check-path', shellQuote(text(p.HealthCheckPath))],
      ['--matcher', json(valueOf(cli, p.Matcher))],
      ['--tags', tagsOf(cli, p.Tags)],
    ],
    {name: id, query: 'TargetGroups[0].TargetGroupArn'},
    {undo: {what: `target group ${variable(id)}`, how: `aws elbv2 delete-target-group --target-group-arn "$${id}"`}},
  );
};

const createLoadBalancer: CliRenderer = (step, cli) => {
  const id = variableOf(cli, {ref: step.id, output: 'LoadBalancers.0.LoadBalancerArn'});
  const p = step.params;
  const protectionOff = `aws elbv2 modify-load-balancer-attributes --load-balancer-arn "$${id}" --attributes Key=deletion_protection.enabled,Value=false >/dev/null`;
  cli.s.call(
    'elbv2',
    'create-load-balancer',
    [
      ['--name', shellQuote(text(p.Name))],
      ['--type', shellQuote(text(p.Type))],
      ['--scheme', shellQuote(text(p.Scheme))],
      ['--ip-address-type', shellQuote(text(p.IpAddressType))],
      [
        '--subnets',
        list(p.Subnets)
          .map((subnet) => wordOf(cli, subnet))
          .join(' '),
      ],
      [
        '--security-groups',
        list(p.SecurityGroups)
          .map((group) => wordOf(cli, group))
          .join(' '),
      ],
      ['--tags', tagsOf(cli, p.Tags)],
    ],
    {name: id, query: 'LoadBalancers[0].LoadBalancerArn'},
    {undo: {what: `load balancer ${variable(id)}`, how: `${protectionOff} && aws elbv2 delete-load-balancer --load-balancer-arn "$${id}"`}},
  );
};

const modifyAttributes: CliRenderer = (step, cli) => {
  cli.s.call('elbv2', 'modify-load-balancer-attributes', [
    ['--load-balancer-arn', wordOf(cli, step.params.LoadBalancerArn)],
    ['--attributes', json(valueOf(cli, step.params.Attributes))],
  ]);
};

const createListener: CliRenderer = (step, cli) => {
  const id = variableOf(cli, {ref: step.id, output: 'Listeners.0.ListenerArn'});
  const p = step.params;
  cli.s.call(
    'elbv2',
    'create-listener',
    [
      ['--load-balancer-arn', wordOf(cli, p.LoadBalancerArn)],
      ['--protocol', shellQuote(text(p.Protocol))],
      ['--port', typeof p.Port === 'number' ? String(p.Port) : text(p.Port)],
      ...(p.SslPolicy ? ([['--ssl-policy', shellQuote(text(p.SslPolicy))]] as Array<[string, string]>) : []),
      ...(p.Certificates ? ([['--certificates', json(valueOf(cli, p.Certificates))]] as Array<[string, string]>) : []),
      ['--default-actions', json(valueOf(cli, p.DefaultActions))],
    ],
    {name: id, query: 'Listeners[0].ListenerArn'},
    {undo: {what: `listener ${variable(id)}`, how: `aws elbv2 delete-listener --listener-arn "$${id}"`}},
  );
};

const registerTargets: CliRenderer = (step, cli) => {
  cli.s.call('elbv2', 'register-targets', [
    ['--target-group-arn', wordOf(cli, step.params.TargetGroupArn)],
    ['--targets', json(valueOf(cli, step.params.Targets))],
  ]);
};

// `certificate: request` (docs/load-balancer.md): the certificate, its DNS validation record and
// the wait for ISSUED, as the launch does them. The record goes into the account's Route 53 zone
// that serves the domain when there is one (its undo deletes it); otherwise it is printed for the
// operator to create while the script waits.

const requestCertificate: CliRenderer = (step, cli) => {
  const p = step.params;
  cli.s.call(
    'acm',
    'request-certificate',
    [
      ['--domain-name', shellQuote(text(p.DomainName))],
      ['--validation-method', 'DNS'],
      ['--idempotency-token', '"${LAUNCH_ID//[^a-zA-Z0-9]/}"'],
      ['--tags', tagsOf(cli, p.Tags)],
    ],
    {name: 'CERTIFICATE_ARN', query: 'CertificateArn'},
    {undo: {what: `certificate ${variable('CERTIFICATE_ARN')}`, how: 'aws acm delete-certificate --certificate-arn "$CERTIFICATE_ARN"'}},
  );
};

/** Every parent name of the domain, longest first, as bash words: the zones that could serve it. */
function zoneCandidates(domain: string): string {
  const labels = domain.replace(/^\*\./, '').split('.');
  return labels
    .slice(0, -1)
    .map((_label, index) => shellQuote(`${labels.slice(index).join('.')}.`))
    .join(' ');
}

const writeValidationRecord: CliRenderer = (step, cli) => {
  const domain = text(step.params.DomainName);
  cli.s.comment('ACM names the DNS validation record a few seconds after the request.');
  cli.s.raw(
    'for _ in $(seq 30); do',
    `  RECORD=$(aws acm describe-certificate --certificate-arn "$CERTIFICATE_ARN" --query 'Certificate.DomainValidationOptions[0].ResourceRecord.[Name,Type,Value]' --output text)`,
    '  [ -n "$RECORD" ] && [ "$RECORD" != None ] && break',
    '  sleep 2',
    'done',
    'read -r RECORD_NAME RECORD_TYPE RECORD_VALUE <<<"$RECORD"',
  );
  cli.s.comment('The Route 53 public hosted zone of this account that serves the domain (the longest name that matches), if any.');
  cli.s.raw(
    'ZONE_ID=""',
    `for name in ${zoneCandidates(domain)}; do`,
    // JMESPath literals (`false`) are backquoted: escaped here for bash's double quotes.
    '  ZONE_ID=$(aws route53 list-hosted-zones-by-name --dns-name "$name" --query "HostedZones[?Name==\'$name\' && Config.PrivateZone==\\`false\\`] | [0].Id" --output text)',
    '  [ -n "$ZONE_ID" ] && [ "$ZONE_ID" != None ] && break',
    '  ZONE_ID=""',
    'done',
    'CHANGE=\'{"Changes":[{"Action":"%s","ResourceRecordSet":{"Name":"%s","Type":"%s","TTL":300,"ResourceRecords":[{"Value":"%s"}]}}]}\'',
    // ACM asks every certificate of the name in the account for the same record: one already there is someone's, and stays.
    'EXISTING=""',
    '[ -n "$ZONE_ID" ] && EXISTING=$(aws route53 list-resource-record-sets --hosted-zone-id "$ZONE_ID" --start-record-name "$RECORD_NAME" --start-record-type "$RECORD_TYPE" --max-items 1 --query "ResourceRecordSets[?Name==\'$RECORD_NAME\'].ResourceRecords[0].Value" --output text)',
    'if [ -n "$ZONE_ID" ] && [ "$EXISTING" = "$RECORD_VALUE" ]; then',
    '  echo "the validation record $RECORD_NAME is already in zone $ZONE_ID; it stays as it is" >&2',
    'elif [ -n "$ZONE_ID" ]; then',
    '  aws route53 change-resource-record-sets --hosted-zone-id "$ZONE_ID" --change-batch "$(printf "$CHANGE" UPSERT "$RECORD_NAME" "$RECORD_TYPE" "$RECORD_VALUE")" >/dev/null',
    `  made "validation record $RECORD_NAME" 'aws route53 change-resource-record-sets --hosted-zone-id "$ZONE_ID" --change-batch "$(printf "$CHANGE" DELETE "$RECORD_NAME" "$RECORD_TYPE" "$RECORD_VALUE")" >/dev/null'`,
    'else',
    `  echo "No Route 53 public hosted zone in this account serves ${domain}: create this DNS record where its DNS is served, so ACM can issue the certificate:" >&2`,
    '  echo "  $RECORD_NAME $RECORD_TYPE $RECORD_VALUE" >&2',
    'fi',
  );
};

const waitValidated: CliRenderer = (step, cli) => {
  cli.s.comment('Waits until ACM has issued the certificate (the AWS CLI gives up after 40 minutes); renewal needs the record to stay.');
  cli.s.call('acm', 'wait', [['certificate-validated'], ['--certificate-arn', wordOf(cli, step.params.CertificateArn)]]);
};

export const LOAD_BALANCER_CLI: Record<string, CliRenderer> = {
  RequestCertificate: requestCertificate,
  WriteValidationRecord: writeValidationRecord,
  WaitUntilCertificateValidated: waitValidated,
  DescribeAvailabilityZones: describeZones,
  CreateTargetGroup: createTargetGroup,
  CreateLoadBalancer: createLoadBalancer,
  ModifyLoadBalancerAttributes: modifyAttributes,
  CreateListener: createListener,
  RegisterTargets: registerTargets,
};
