import {describe, expect, it} from 'vitest';
import {choosePlacement, withPlacement, type SubnetFact} from '../../../source/domain/controls/load-balancer-placement.js';
import {findingsFor} from '../../../source/domain/findings.js';
import {buildPlan} from '../../../source/domain/plan.js';
import {validateSpec} from '../../../source/domain/validate.js';
import {withDefaults} from '../../../source/store/profile-schema.js';

const subnet = (id: string, zone: string, kind: 'public' | 'private' | 'private-endpoint' | 'private-nat', free?: number): SubnetFact => ({
  id,
  zone,
  public: kind === 'public',
  natRoute: kind === 'private-nat',
  s3Endpoint: kind === 'private-endpoint',
  ...(free === undefined ? {} : {freeAddresses: free}),
});

const existing = (network: Record<string, unknown> = {}) => withDefaults({version: 1, network: {vpc: 'vpc-0abc1234', ...network}, loadBalancer: {}});

describe('placing a load balancer in an existing VPC', () => {
  it('takes a public subnet in each of two zones, the instance’s zone first, and a private subnet that reaches the packages', () => {
    const answer = choosePlacement(existing(), [
      subnet('subnet-0c', 'us-east-1c', 'public'),
      subnet('subnet-0b2', 'us-east-1b', 'public'),
      subnet('subnet-0b1', 'us-east-1b', 'public'),
      subnet('subnet-0a', 'us-east-1a', 'private'),
      subnet('subnet-0d', 'us-east-1c', 'private-endpoint'),
    ]);
    expect(answer).toEqual({ok: true, placement: {instanceSubnet: 'subnet-0d', loadBalancerSubnets: ['subnet-0c', 'subnet-0b1'], packagesReachable: true}});
  });

  it('keeps the subnets the profile names, and refuses ones that cannot hold the load balancer or the instance', () => {
    const facts = [subnet('subnet-0a', 'us-east-1a', 'public'), subnet('subnet-0b', 'us-east-1b', 'public'), subnet('subnet-0c', 'us-east-1a', 'private')];
    expect(choosePlacement(existing({subnet: 'subnet-0c', loadBalancerSubnets: ['subnet-0b', 'subnet-0a']}), facts)).toMatchObject({
      ok: true,
      placement: {instanceSubnet: 'subnet-0c', loadBalancerSubnets: ['subnet-0b', 'subnet-0a'], packagesReachable: false},
    });
    expect(choosePlacement(existing({subnet: 'subnet-0a'}), facts)).toMatchObject({
      ok: false,
      field: 'network.subnet',
      detail: expect.stringContaining('routes 0.0.0.0/0 to an internet gateway'),
    });
    expect(choosePlacement(existing({loadBalancerSubnets: ['subnet-0a', 'subnet-0c']}), facts)).toMatchObject({
      ok: false,
      field: 'network.loadBalancerSubnets',
      detail: 'subnet-0c has no route to an internet gateway',
    });
    expect(choosePlacement(existing({loadBalancerSubnets: ['subnet-0a', 'subnet-0f']}), facts)).toMatchObject({ok: false, detail: 'subnet-0f is not a subnet of vpc-0abc1234'});
  });

  it('puts the instance in a zone the load balancer serves, and refuses a named one outside its zones', () => {
    const facts = [
      subnet('subnet-0a', 'us-east-1a', 'public'),
      subnet('subnet-0b', 'us-east-1b', 'public'),
      subnet('subnet-0c', 'us-east-1c', 'private-endpoint'),
      subnet('subnet-0d', 'us-east-1b', 'private'),
    ];
    expect(choosePlacement(existing(), facts)).toMatchObject({ok: true, placement: {instanceSubnet: 'subnet-0d', loadBalancerSubnets: ['subnet-0b', 'subnet-0a'], packagesReachable: false}});
    expect(choosePlacement(existing({subnet: 'subnet-0c'}), facts)).toMatchObject({
      ok: false,
      field: 'network.subnet',
      detail: "the instance's subnet subnet-0c (us-east-1c) is in a zone the load balancer is not in (subnet-0a, subnet-0b), so it would get no traffic",
    });
  });

  it('refuses one zone, no public subnet, or no private subnet, naming what the VPC has', () => {
    const oneZone = choosePlacement(existing(), [subnet('subnet-0a', 'us-east-1a', 'public'), subnet('subnet-0b', 'us-east-1a', 'public'), subnet('subnet-0c', 'us-east-1a', 'private')]);
    expect(oneZone).toMatchObject({ok: false, field: 'network.loadBalancerSubnets'});
    expect(!oneZone.ok && oneZone.detail).toContain('vpc-0abc1234 has subnet-0a (us-east-1a), subnet-0b (us-east-1a), in 1 zone');
    // A subnet too full for a load balancer's nodes does not count.
    const full = choosePlacement(existing(), [subnet('subnet-0a', 'us-east-1a', 'public'), subnet('subnet-0b', 'us-east-1b', 'public', 3), subnet('subnet-0c', 'us-east-1a', 'private')]);
    expect(full.ok).toBe(false);
    const noPrivate = choosePlacement(existing(), [subnet('subnet-0a', 'us-east-1a', 'public'), subnet('subnet-0b', 'us-east-1b', 'public')]);
    expect(noPrivate).toMatchObject({
      ok: false,
      field: 'network.subnet',
      detail: expect.stringContaining('vpc-0abc1234 has none (its subnets: subnet-0a (us-east-1a), subnet-0b (us-east-1b))'),
    });
  });

  it('records the choice in the spec, and the plan reads the operator’s subnets without creating or deleting any', () => {
    const [a, b, c] = ['subnet-0aaa1111', 'subnet-0bbb2222', 'subnet-0ccc3333'];
    const spec = withPlacement(existing(), {instanceSubnet: c, loadBalancerSubnets: [a, b], packagesReachable: true});
    expect(validateSpec(spec)).toEqual([]);
    const plan = buildPlan(spec);
    expect(plan.steps.find((step) => step.action === 'CreateLoadBalancer')?.params.Subnets).toEqual([a, b]);
    expect(plan.steps.find((step) => step.id === 'subnet')?.params.SubnetIds).toEqual([c]);
    const created = plan.steps.flatMap((step) => step.creates);
    for (const kind of ['vpc', 'subnet', 'route-table', 'internet-gateway', 'vpc-endpoint'] as const) expect(created).not.toContain(kind);
    // No package endpoint of tandem's here, so no finding about its policy.
    expect(findingsFor(spec).map((finding) => finding.id)).not.toContain('package-endpoint-open');
    expect(findingsFor(withDefaults({version: 1, loadBalancer: {}})).map((finding) => finding.id)).toContain('package-endpoint-open');
    expect(plan.steps.find((step) => step.action === 'RunInstances')?.params).toMatchObject({NetworkInterfaces: [expect.objectContaining({AssociatePublicIpAddress: false})]});
  });
});
