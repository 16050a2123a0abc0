// The review: the whole spec, the findings (each can be accepted as a recorded risk with a
// reason), a drawing of the resources marked by owner, the count of controls per owner, and the
// API calls in the order the launch makes them. Then: launch, save as profile, back, quit.
import React from 'react';
import {Box, Text} from 'ink';
import {controlById, specControls} from '../domain/catalog.js';
import type {ControlId, Owner} from '../domain/catalog-types.js';
import {findingsFor, type Finding} from '../domain/findings.js';
import {buildPlan, orderedSteps} from '../domain/plan.js';
import {ownerCounts} from '../domain/report.js';
import type {LaunchSpec} from '../domain/spec.js';
import {validateSpec} from '../domain/validate.js';
import {checkerList} from './panel.js';
import {PreflightBlock} from './review-preflight.js';
import {ReferencesBlock} from './review-references.js';
import {SEVERITY_COLOR} from './theme.js';
import {reviewCursor, reviewItems, type WizardState} from './wizard-state.js';
import {LabelledRow, OwnerBadge, Para, Prose} from './widgets.js';

const IMAGE_NAMES: Record<LaunchSpec['instance']['image'], string> = {al2023: 'Amazon Linux 2023', al2: 'Amazon Linux 2', ami: 'AMI'};

/** The spec as label/value lines a person reads top to bottom. */
export function specLines(spec: LaunchSpec): Array<[string, string]> {
  const {instance, network, role, storage, securityGroup: sg, keyPair} = spec;
  const image = instance.image === 'ami' ? `AMI ${instance.amiId ?? '(none)'}` : IMAGE_NAMES[instance.image];
  const vpc = network.vpc === 'default' ? 'default VPC' : network.vpc === 'new' ? `new VPC ${network.cidr ?? ''}`.trim() : `VPC ${network.vpc}`;
  const subnet = network.vpc === 'new' ? `${network.subnet} subnet` : network.subnet === 'default' ? 'a default subnet' : `subnet ${network.subnet}`;
  const roleText =
    role.mode === 'none'
      ? 'none'
      : role.mode === 'create'
        ? `create ${role.name ?? 'EC2AccessToS3Role'} (${role.access ?? 'read'} on bucket ${role.bucket ?? '?'})`
        : `existing ${role.name ?? ''}`;
  const key = !storage.encrypted
    ? 'NOT encrypted'
    : storage.kmsKey === 'new'
      ? 'encrypted, new customer key'
      : storage.kmsKey === 'aws/ebs'
        ? 'encrypted with the account default key (aws/ebs unless changed)'
        : `encrypted with ${storage.kmsKey}`;
  const rules =
    sg.mode === 'existing'
      ? `existing ${sg.groupId ?? ''}`
      : [
          sg.http ? `HTTP from ${sg.http}` : undefined,
          sg.https ? `HTTPS from ${sg.https}` : undefined,
          sg.ssh === false ? 'no SSH' : `SSH from ${sg.ssh || '?'}`,
        ]
          .filter(Boolean)
          .join(', ');
  const keyText =
    keyPair.mode === 'none'
      ? 'none'
      : keyPair.mode === 'create'
        ? `create ${keyPair.name} (${keyPair.type ?? 'ed25519'}), private key to ${keyPair.path}`
        : keyPair.mode === 'import'
          ? `import ${keyPair.path} as ${keyPair.name}`
          : `existing ${keyPair.name ?? ''}`;
  return [
    ['region', spec.region],
    ['image', `${image}, ${instance.arch}`],
    ['instance', `${instance.name}, ${instance.type}, tenancy ${instance.tenancy}`],
    ['network', `${vpc}, ${subnet}, ${network.publicIp ? 'public IPv4' : 'no public IPv4'}`],
    ['role', roleText],
    ['storage', `${storage.sizeGiB} GiB ${storage.type}, ${key}`],
    ['firewall', `${sg.mode === 'create' ? `create ${sg.name}: ` : ''}${rules}`],
    ['key pair', keyText],
    ['metadata', `${instance.imds === 'required' ? 'IMDSv2 required' : 'IMDSv1 allowed'}, hop limit ${instance.hopLimit}`],
  ];
}

function Section({title, children}: {title: string; children: React.ReactNode}) {
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text bold underline>
        {title}
      </Text>
      {children}
    </Box>
  );
}

function Resource({control, label}: {control: ControlId; label: string}) {
  return (
    <Box columnGap={1}>
      <Box flexShrink={0}>
        <OwnerBadge owner={controlById(control).owner} />
      </Box>
      <Para>{label}</Para>
    </Box>
  );
}

/** VPC ⊃ subnet ⊃ security group ⊃ instance (with its volume, key and key pair); the role beside. */
export function ResourceDrawing({spec}: {spec: LaunchSpec}) {
  const {network, storage, securityGroup, keyPair, role, instance} = spec;
  const box = {borderStyle: 'round' as const, flexDirection: 'column' as const, paddingX: 1};
  return (
    <Box flexDirection="column">
      <Box {...box}>
        <Resource control="vpc-isolation" label={network.vpc === 'new' ? `new VPC ${network.cidr ?? ''}` : network.vpc === 'default' ? 'default VPC' : network.vpc} />
        <Box {...box}>
          <Resource control="subnet-routing" label={`subnet: ${network.vpc === 'new' ? network.subnet : network.subnet === 'default' ? 'default' : network.subnet}`} />
          <Box {...box}>
            <Resource control="security-group-rules" label={`security group ${securityGroup.mode === 'create' ? securityGroup.name : (securityGroup.groupId ?? '')}`} />
            <Resource control="instance-type" label={`instance ${instance.name} ${instance.type} (${instance.tenancy})`} />
            <Resource control="ebs-encryption" label={`volume ${storage.sizeGiB} GiB ${storage.encrypted ? 'encrypted' : 'unencrypted'}`} />
            {storage.encrypted ? <Resource control="kms-key" label={`key ${storage.kmsKey === 'new' ? 'new customer key' : storage.kmsKey}`} /> : null}
            {keyPair.mode !== 'none' ? <Resource control="key-pair" label={`key pair ${keyPair.name ?? ''}`} /> : null}
          </Box>
        </Box>
      </Box>
      <Resource control="iam-instance-role" label={role.mode === 'none' ? 'no instance role' : `role ${role.name ?? ''} (IAM, outside the VPC)`} />
    </Box>
  );
}

export function OwnerCounts({spec}: {spec: LaunchSpec}) {
  const counts = ownerCounts(specControls(spec));
  return (
    <Box flexWrap="wrap" columnGap={2}>
      {(Object.keys(counts) as Owner[]).map((owner) => (
        <Text key={owner}>
          <OwnerBadge owner={owner} /> {counts[owner]} {owner === 'AWS' ? 'run by AWS' : owner === 'Customer' ? 'yours alone' : 'owned by both'}
        </Text>
      ))}
    </Box>
  );
}

function FindingView({finding, selected, open}: {finding: Finding; selected: boolean; open: boolean}) {
  return (
    <Box flexDirection="column">
      <Box>
        <Box width={3} flexShrink={0}>
          <Text color="cyan"> {selected ? '›' : ' '}</Text>
        </Box>
        <Box flexGrow={1} flexShrink={1}>
          <Text wrap="wrap">
            <Text color={SEVERITY_COLOR[finding.severity]} bold>
              {finding.severity.toUpperCase()}
            </Text>{' '}
            {finding.title}
            {finding.accepted ? <Text color="green">{`  accepted: ${finding.accepted.reason}`}</Text> : null}
          </Text>
        </Box>
      </Box>
      {open ? (
        <Box flexDirection="column" paddingLeft={3}>
          <Para dimColor>{finding.explanation}</Para>
          {finding.checkers.length ? <Para dimColor>{checkerList(finding)}</Para> : null}
        </Box>
      ) : null}
    </Box>
  );
}

export function ReviewScreen({state, width}: {state: WizardState; width: number}) {
  const {spec} = state;
  const items = reviewItems(state);
  const cursor = reviewCursor(state);
  const current = items[cursor];
  const findings = findingsFor(spec);
  const problems = validateSpec(spec);
  const steps = problems.length === 0 ? orderedSteps(buildPlan(spec)) : [];
  const input = state.review.input;
  const wide = width >= 100;

  const left = (
    <Box flexDirection="column">
      <Section title="Your launch">
        {specLines(spec).map(([label, value]) => (
          <LabelledRow key={label} label={label} width={10}>
            {value}
          </LabelledRow>
        ))}
      </Section>
      {problems.length > 0 ? (
        <Section title="Problems to fix (esc to go back)">
          {problems.map((problem) => (
            <Para key={problem.field} color="red">{`✗ ${problem.field}: ${problem.message}`}</Para>
          ))}
        </Section>
      ) : null}
      <Section title="Resources and who owns them">
        <ResourceDrawing spec={spec} />
        <OwnerCounts spec={spec} />
      </Section>
    </Box>
  );

  const right = (
    <Box flexDirection="column">
      <Section title={`Findings (${findings.length})`}>
        {findings.length === 0 ? <Text dimColor>none</Text> : null}
        {findings.map((finding) => {
          const selected = current?.kind === 'finding' && current.id === finding.id;
          return <FindingView key={finding.id} finding={finding} selected={selected} open={selected || Boolean(input?.kind === 'accept' && input.finding === finding.id)} />;
        })}
        {findings.some((finding) => !finding.accepted) ? (
          <Para dimColor>enter on a finding records it as an accepted risk, with your reason</Para>
        ) : null}
      </Section>
      <Section title={`API calls, in order (${steps.length})`}>
        {steps.map((step, index) => (
          <Box key={step.id}>
            <Box width={4} flexShrink={0}>
              <Text dimColor>{String(index + 1).padStart(2)}.</Text>
            </Box>
            <Box flexGrow={1} flexShrink={1}>
              <Prose spans={[{text: `${step.service}:${step.action} `}, {text: step.summary, dimColor: true}]} />
            </Box>
          </Box>
        ))}
      </Section>
    </Box>
  );

  return (
    <Box flexDirection="column">
      <Text bold>Review</Text>
      <Para dimColor>
        {state.live ? 'Nothing has been created yet. Check everything below, then launch.' : 'Explain mode: this is the complete plan; nothing will be created.'}
      </Para>
      {state.references ? <ReferencesBlock state={state.references} /> : null}
      {state.preflight ? <PreflightBlock state={state.preflight} /> : null}
      {wide ? (
        <Box flexDirection="row">
          <Box width={Math.floor(width * 0.45)} flexShrink={0} paddingRight={2}>
            {left}
          </Box>
          <Box flexGrow={1} flexShrink={1}>
            {right}
          </Box>
        </Box>
      ) : (
        <>
          {left}
          {right}
        </>
      )}
      <Section title="What next">
        {items
          .filter((item) => item.kind === 'action')
          .map((item) => {
            if (item.kind !== 'action') return null;
            const selected = current === item;
            return (
              <Box key={item.action}>
                <Box width={3} flexShrink={0}>
                  <Text color="cyan"> {selected ? '›' : ' '}</Text>
                </Box>
                <Box flexGrow={1} flexShrink={1}>
                  <Prose spans={[{text: `${item.label}${item.disabled ? ` — ${item.disabled}` : ''}`, color: selected ? 'cyan' : undefined, dimColor: Boolean(item.disabled)}]} />
                </Box>
              </Box>
            );
          })}
      </Section>
      {input ? (
        <Box flexDirection="column" marginTop={1}>
          <Text bold wrap="wrap">
            {input.kind === 'accept'
              ? `Why is "${input.finding}" acceptable here?`
              : input.kind === 'overwrite'
                ? `A profile named "${input.name}" exists. Type yes to replace it`
                : 'Profile name'}
          </Text>
          <Text>
            <Text color="cyan"> › </Text>
            {input.draft}
            <Text inverse> </Text>
          </Text>
          {input.error ? (
            <Text color="red" wrap="wrap">
              {'   '}✗ {input.error}
            </Text>
          ) : (
            <Text dimColor>{'   '}enter to record · esc to cancel</Text>
          )}
        </Box>
      ) : null}
      {state.review.notice ? (
        <Box marginTop={1}>
          <Para color="green">{state.review.notice}</Para>
        </Box>
      ) : null}
    </Box>
  );
}

