// The review's drawing of the resources, nested as AWS nests them and marked by owner, and the
// count of controls per owner.
import {Box} from 'ink';
import {Text} from '../text.js';
import {controlById, specControls} from '../../domain/catalog.js';
import type {ControlId, Owner} from '../../domain/catalog-types.js';
import {ownerCounts} from '../../domain/owners.js';
import {loadBalancerOf, type LaunchSpec} from '../../domain/spec.js';
import {loadBalancerGroupName, loadBalancerName, servesHttps} from '../../domain/controls/load-balancer.js';
import {createdRoleName, instanceProfileName} from '../../domain/plan.js';
import {needsSsmEndpoints, SSM_ENDPOINT_SERVICES} from '../../domain/controls/ways-in.js';
import {isEncrypted, keyLabel} from '../../domain/controls/storage.js';
import {OwnerBadge, Para} from '../widgets.js';

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

/**
 * VPC ⊃ subnet ⊃ security group ⊃ instance (with its volume, key and key pair); the role beside.
 * Behind a load balancer, its public subnets come first with the load balancer and its group.
 */
export function ResourceDrawing({spec}: {spec: LaunchSpec}) {
  const {network, storage, securityGroup, keyPair, role, instance} = spec;
  const lb = loadBalancerOf(spec);
  const box = {borderStyle: 'round' as const, flexDirection: 'column' as const, paddingX: 1};
  return (
    <Box flexDirection="column">
      <Box {...box}>
        <Resource control="vpc-isolation" label={network.vpc === 'new' ? `new VPC ${network.cidr ?? ''}` : network.vpc === 'default' ? 'default VPC' : network.vpc} />
        {lb ? (
          <Box {...box}>
            <Resource control="subnet-routing" label="public subnets in two zones" />
            <Resource control="chained-groups" label={`security group ${loadBalancerGroupName(spec)}`} />
            <Resource control="load-balancer" label={`load balancer ${loadBalancerName(spec)} (internet-facing)`} />
            <Resource
              control="lb-certificate"
              label={servesHttps(lb) ? `certificate ${lb.certificate === 'request' ? `for ${lb.domain ?? '?'} (requested)` : lb.certificate}` : 'no certificate (HTTP only)'}
            />
          </Box>
        ) : null}
        <Box {...box}>
          <Resource control="subnet-routing" label={`subnet: ${network.vpc === 'new' ? network.subnet : network.subnet === 'default' ? 'default' : network.subnet}`} />
          <Box {...box}>
            <Resource control="security-group-rules" label={`security group ${securityGroup.mode === 'create' ? securityGroup.name : (securityGroup.groupId ?? '')}`} />
            <Resource control="instance-type" label={`instance ${instance.name} ${instance.type} (${instance.tenancy})`} />
            <Resource control="ebs-encryption" label={`volume ${storage.sizeGiB} GiB ${isEncrypted(storage) ? 'encrypted' : 'unencrypted'}`} />
            {keyLabel(storage) ? <Resource control="kms-key" label={`key ${keyLabel(storage)}`} /> : null}
            {keyPair.mode !== 'none' ? <Resource control="key-pair" label={`key pair ${keyPair.name ?? ''}`} /> : null}
          </Box>
          {needsSsmEndpoints(spec) ? <Resource control="session-manager" label={`endpoints ${SSM_ENDPOINT_SERVICES.join(', ')} (HTTPS from the VPC)`} /> : null}
        </Box>
      </Box>
      <Resource
        control="iam-instance-role"
        label={instanceProfileName(spec) === undefined ? 'no instance role' : `role ${role.mode === 'existing' ? (role.name ?? '') : (createdRoleName(spec) ?? '')} (IAM, outside the VPC)`}
      />
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
