// What moto 5.2.1's StackSets lacks, made up in the proxy between tandem and moto so that tests
// exercise tandem's real calls. Nothing here is asserted as AWS behaviour; each change says what
// AWS does instead:
// - moto builds every stack instance synchronously inside CreateStackInstances and never checks
//   the administration or execution role: each target's stack is made in the target account.
// - A template KMS key's Tags are read in the KMS API shape (HTTP 500) and a KeyPolicy given as an
//   object breaks later DescribeKey calls: the template sent to moto drops the key's tags and
//   passes the policy as text (Fn::Sub keeps the target's account in it).
// - Fn::GetAZs "" lists us-east-1's zones in every region (AWS: the stack's region); the copy sent
//   to moto names the region's first (or, for a load balancer's second subnet, second) zone instead.
// - AWS::EC2::Instance ignores NetworkInterfaces and LaunchTemplate: the copy sent to moto also
//   names the subnet and group the way moto reads them, and after CreateStackInstances the proxy
//   applies the launch template's metadata options to each instance, as AWS does at launch.
// - AWS::EC2::SubnetRouteTableAssociation is recorded apart from the route table (DescribeRouteTables
//   shows no association): the proxy makes the two associations the template declares.
// - ListStackInstances reports a made-up StackId (moto names the stack "StackSet:NAME"); the
//   proxy puts the id of the stack moto really made in that account and region.
// - Deleting a stack leaves its route tables and attached internet gateway, so the VPC cannot be
//   deleted (DependencyViolation); before DeleteStackInstances the proxy removes those two.
// - DescribeStackSetOperation of an id StackSets never started answers ValidationError "Stack with
//   id OPERATION does not exist"; AWS answers OperationNotFoundException, which the proxy puts instead.
// - moto deletes a stack instance's resources inside DeleteStackInstances and answers a resource
//   that cannot go (DependencyViolation) with an error for the whole call, after dropping the
//   stack. AWS accepts the call, the operation fails for that target with the resource's reason,
//   the stack stays (DELETE_FAILED) and its stack instance stays listed (OUTDATED); a later delete
//   tries again. `failNextDelete` makes the next delete of one target fail that way: the proxy
//   leaves that target out of the call moto gets and reports it as AWS would.
// - moto deletes a stack's load balancer even while its deletion protection is on; AWS fails that
//   delete (OperationNotPermitted) and the stack stays DELETE_FAILED. The proxy reads each target's
//   load balancer before DeleteStackInstances and lists the ones still protected in
//   `protectedAtDelete`, which a test expects empty.
// - AWS::ElasticLoadBalancingV2::LoadBalancer ignores LoadBalancerAttributes and TargetGroup ignores
//   Targets, on create and on update: after CreateStackInstances and UpdateStackSet the proxy sets
//   the attributes the template declares and registers the instance, as AWS's CloudFormation does.
//   Deleting the stack leaves its target group; the proxy deletes it after DeleteStackInstances.
// - Operations always succeed. A test can name a target that fails, with AWS's wording; the proxy
//   then reports it FAILED, and the operation FAILED when the failures exceed the
//   FailureToleranceCount tandem sent (as AWS decides it).
import {
  AssociateRouteTableCommand,
  DeleteInternetGatewayCommand,
  DeleteRouteTableCommand,
  DescribeInternetGatewaysCommand,
  DescribeLaunchTemplateVersionsCommand,
  DescribeRouteTablesCommand,
  DescribeSubnetsCommand,
  DetachInternetGatewayCommand,
  DisassociateRouteTableCommand,
  ModifyInstanceMetadataOptionsCommand,
} from '@aws-sdk/client-ec2';
import {DescribeStacksCommand} from '@aws-sdk/client-cloudformation';
import {DeleteTargetGroupCommand, DescribeLoadBalancerAttributesCommand, ModifyLoadBalancerAttributesCommand, RegisterTargetsCommand} from '@aws-sdk/client-elastic-load-balancing-v2';
import {parse} from 'yaml';
import {makeClients, makeCloudFormationClient} from '../../source/aws/clients.js';
import type {FleetTarget} from '../../source/domain/fleet.js';
import {settingsFor} from './fleet-org.js';
import type {Interceptor, ProxiedCall} from './fault-proxy.js';

interface FailingTarget extends FleetTarget {
  reason: string;
}

type Resource = {Type: string; Properties: Record<string, unknown>};

function adaptTemplate(text: string): string {
  const template = parse(text) as {Resources: Record<string, Resource>};
  for (const resource of Object.values(template.Resources)) {
    if (resource.Type === 'AWS::KMS::Key') {
      delete resource.Properties.Tags;
      const policy = JSON.stringify(resource.Properties.KeyPolicy).replace(/\{"Fn::Sub":"([^"]*)"\}/g, '"$1"');
      resource.Properties.KeyPolicy = {'Fn::Sub': policy};
    }
    const zone = /^\{"Fn::Select":\[([01]),\{"Fn::GetAZs":""\}\]\}$/.exec(JSON.stringify(resource.Properties.AvailabilityZone));
    if (resource.Type === 'AWS::EC2::Subnet' && zone) {
      resource.Properties.AvailabilityZone = {'Fn::Sub': `\${AWS::Region}${zone[1] === '0' ? 'a' : 'b'}`};
    }
    if (resource.Type === 'AWS::EC2::Instance') {
      const [nic] = resource.Properties.NetworkInterfaces as Array<{SubnetId: unknown; GroupSet: unknown}>;
      resource.Properties.SubnetId = nic.SubnetId;
      resource.Properties.SecurityGroups = nic.GroupSet;
    }
  }
  return JSON.stringify(template);
}

function members(params: URLSearchParams, prefix: string): string[] {
  return [...params.entries()].filter(([key]) => key.startsWith(`${prefix}.member.`)).map(([, value]) => value);
}

function targetsOfCall(params: URLSearchParams): FleetTarget[] {
  return members(params, 'Regions').flatMap((region) => members(params, 'Accounts').map((account) => ({account, region})));
}

const tag = (xml: string, name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];

export function motoStackSets(motoEndpoint: string, options: {failing?: FailingTarget} = {}) {
  /** Operation id -> how many targets failed and how many the request tolerated. */
  const failedOperations = new Map<string, {failed: number; tolerance: number; deleteFailure?: FailingTarget}>();
  /** The target the next DeleteStackInstances fails in, and the one it is being sent for now. */
  let deleteToFail: FailingTarget | undefined;
  let deleteFailing: FailingTarget | undefined;
  /** Targets whose last delete failed: still listed, OUTDATED, with the reason. */
  let failedDeletes: FailingTarget[] = [];
  const sameTarget = (a: FleetTarget, b: FleetTarget) => a.account === b.account && a.region === b.region;

  const target = async (account: string, region: string) => {
    const settings = {...settingsFor(motoEndpoint, account), region};
    return {clients: await makeClients(settings), cfn: await makeCloudFormationClient(settings)};
  };
  const stackOf = async (account: string, region: string, name: string) => {
    const {cfn} = await target(account, region);
    const stack = (await cfn.send(new DescribeStacksCommand({StackName: `StackSet:${name}`}))).Stacks?.[0];
    const outputs = Object.fromEntries((stack?.Outputs ?? []).map((output) => [output.OutputKey ?? '', output.OutputValue] as const));
    return {stackId: stack?.StackId ?? '', outputs};
  };
  const isFailing = (where: FleetTarget) => options.failing?.account === where.account && options.failing.region === where.region;

  const applyLaunchTemplate = async (where: FleetTarget, name: string) => {
    const {outputs} = await stackOf(where.account, where.region, name);
    const {clients} = await target(where.account, where.region);
    const versions = await clients.ec2.send(new DescribeLaunchTemplateVersionsCommand({LaunchTemplateId: outputs.LaunchTemplateId}));
    const metadata = versions.LaunchTemplateVersions?.[0]?.LaunchTemplateData?.MetadataOptions ?? {};
    await clients.ec2.send(
      new ModifyInstanceMetadataOptionsCommand({
        InstanceId: outputs.InstanceId,
        HttpTokens: metadata.HttpTokens,
        HttpPutResponseHopLimit: metadata.HttpPutResponseHopLimit,
        HttpEndpoint: metadata.HttpEndpoint,
      }),
    );
  };

  /** The route-table associations the template declares, made the way AWS's CloudFormation makes them. */
  const associateRouteTables = async (where: FleetTarget, name: string) => {
    const {outputs} = await stackOf(where.account, where.region, name);
    const {clients} = await target(where.account, where.region);
    const logicalId = (tags: Array<{Key?: string; Value?: string}> | undefined) => tags?.find((item) => item.Key === 'aws:cloudformation:logical-id')?.Value;
    const filter = [{Name: 'vpc-id', Values: [outputs.VpcId ?? '']}];
    const {Subnets = []} = await clients.ec2.send(new DescribeSubnetsCommand({Filters: filter}));
    const {RouteTables = []} = await clients.ec2.send(new DescribeRouteTablesCommand({Filters: filter}));
    // Behind a load balancer: a second public subnet, and the private subnet's own table.
    const pairs = [
      ['PublicSubnet', 'PublicRouteTable'],
      ['PrivateSubnet', 'PrivateRouteTable'],
      ['SubnetPublic2', 'PublicRouteTable'],
      ['PrivateSubnet', 'RouteTablePrivate'],
    ];
    for (const [subnetId, tableId] of pairs) {
      const subnet = Subnets.find((item) => logicalId(item.Tags) === subnetId);
      const table = RouteTables.find((item) => logicalId(item.Tags) === tableId);
      if (subnet && table && !table.Associations?.some((association) => association.SubnetId === subnet.SubnetId)) {
        await clients.ec2.send(new AssociateRouteTableCommand({RouteTableId: table.RouteTableId, SubnetId: subnet.SubnetId}));
      }
    }
  };

  /** Load balancers of the target's stack whose deletion protection is on (AWS would refuse to delete them). */
  const protectedAtDelete: string[] = [];
  const protectedLoadBalancers = async (where: FleetTarget, name: string): Promise<string[]> => {
    const none: Record<string, string | undefined> = {};
    const {outputs} = await stackOf(where.account, where.region, name).catch(() => ({outputs: none}));
    const arn = outputs.LoadBalancerArn;
    if (!arn) return [];
    const {clients} = await target(where.account, where.region);
    const {Attributes = []} = await clients.elbv2.send(new DescribeLoadBalancerAttributesCommand({LoadBalancerArn: arn}));
    return Attributes.some((item) => item.Key === 'deletion_protection.enabled' && item.Value === 'true') ? [arn] : [];
  };

  /** The template each StackSet was last given, and the targets it has stack instances in. */
  const templates = new Map<string, {Resources: Record<string, Resource>}>();
  const targetsOf = new Map<string, FleetTarget[]>();
  /** What AWS's CloudFormation does with a load balancer's attributes and a target group's targets. */
  const applyLoadBalancer = async (where: FleetTarget, name: string) => {
    const {outputs} = await stackOf(where.account, where.region, name);
    const resources = Object.values(templates.get(name)?.Resources ?? {});
    const lb = resources.find((resource) => resource.Type === 'AWS::ElasticLoadBalancingV2::LoadBalancer');
    if (!lb || !outputs.LoadBalancerArn) return;
    const {clients} = await target(where.account, where.region);
    const attributes = (lb.Properties.LoadBalancerAttributes ?? []) as Array<{Key: string; Value: string}>;
    await clients.elbv2.send(new ModifyLoadBalancerAttributesCommand({LoadBalancerArn: outputs.LoadBalancerArn, Attributes: attributes}));
    if (outputs.TargetGroupArn && outputs.InstanceId) {
      await clients.elbv2.send(new RegisterTargetsCommand({TargetGroupArn: outputs.TargetGroupArn, Targets: [{Id: outputs.InstanceId, Port: 80}]}));
    }
  };
  /** Target groups of the stacks a DeleteStackInstances removes, deleted once moto has removed the rest. */
  let targetGroupsLeft: Array<{where: FleetTarget; arn: string}> = [];

  const removeWhatMotoKeeps = async (where: FleetTarget, name: string) => {
    const none: Record<string, string | undefined> = {};
    const {outputs} = await stackOf(where.account, where.region, name).catch(() => ({outputs: none}));
    const vpcId = outputs.VpcId;
    if (!vpcId) return;
    const {clients} = await target(where.account, where.region);
    const {RouteTables = []} = await clients.ec2.send(new DescribeRouteTablesCommand({Filters: [{Name: 'vpc-id', Values: [vpcId]}]}));
    for (const table of RouteTables) {
      if (table.Associations?.some((association) => association.Main)) continue;
      for (const association of table.Associations ?? []) {
        await clients.ec2.send(new DisassociateRouteTableCommand({AssociationId: association.RouteTableAssociationId}));
      }
      await clients.ec2.send(new DeleteRouteTableCommand({RouteTableId: table.RouteTableId}));
    }
    const {InternetGateways = []} = await clients.ec2.send(new DescribeInternetGatewaysCommand({Filters: [{Name: 'attachment.vpc-id', Values: [vpcId]}]}));
    for (const gateway of InternetGateways) {
      await clients.ec2.send(new DetachInternetGatewayCommand({InternetGatewayId: gateway.InternetGatewayId, VpcId: vpcId}));
      await clients.ec2.send(new DeleteInternetGatewayCommand({InternetGatewayId: gateway.InternetGatewayId}));
    }
  };

  const interceptor: Interceptor = {
    async request(call: ProxiedCall) {
      if (call.service !== 'cloudformation') return undefined;
      const params = new URLSearchParams(call.body);
      if ((call.action === 'CreateStackSet' || call.action === 'UpdateStackSet') && params.get('TemplateBody')) {
        params.set('TemplateBody', adaptTemplate(params.get('TemplateBody')!));
        templates.set(params.get('StackSetName') ?? '', JSON.parse(params.get('TemplateBody')!) as {Resources: Record<string, Resource>});
        return params.toString();
      }
      if (call.action === 'DeleteStackInstances') {
        const name = params.get('StackSetName') ?? '';
        const failing = deleteToFail && targetsOfCall(params).some((where) => sameTarget(where, deleteToFail!)) ? deleteToFail : undefined;
        deleteFailing = failing;
        if (failing) deleteToFail = undefined;
        for (const where of targetsOfCall(params)) {
          protectedAtDelete.push(...(await protectedLoadBalancers(where, name)));
          const arn = (await stackOf(where.account, where.region, name).catch(() => undefined))?.outputs.TargetGroupArn;
          if (arn) targetGroupsLeft.push({where, arn});
          if (!(failing && sameTarget(where, failing))) await removeWhatMotoKeeps(where, name);
        }
        if (failing) {
          const accounts = members(params, 'Accounts');
          const regions = members(params, 'Regions');
          if (accounts.length !== 1 || regions.length < 2) throw new Error('failNextDelete: the test double can only leave one region of one account out of a call');
          const kept = new URLSearchParams([...params.entries()].filter(([key]) => !key.startsWith('Regions.member.')));
          regions.filter((region) => region !== failing.region).forEach((region, index) => kept.set(`Regions.member.${index + 1}`, region));
          return kept.toString();
        }
      }
      return undefined;
    },
    async response(call: ProxiedCall, answer: string) {
      if (call.service !== 'cloudformation') return undefined;
      const params = new URLSearchParams(call.body);
      const name = params.get('StackSetName') ?? '';
      if (call.action === 'CreateStackInstances' && answer.includes('<OperationId>')) {
        const targets = targetsOfCall(params);
        for (const where of targets) {
          await applyLaunchTemplate(where, name);
          await associateRouteTables(where, name);
          await applyLoadBalancer(where, name);
        }
        targetsOf.set(name, [...(targetsOf.get(name) ?? []), ...targets]);
        const failed = targets.filter(isFailing).length;
        if (failed > 0) {
          const tolerance = Number(params.get('OperationPreferences.FailureToleranceCount') ?? '0');
          failedOperations.set(tag(answer, 'OperationId')!, {failed, tolerance});
        }
        return undefined;
      }
      if (call.action === 'UpdateStackSet' && answer.includes('<OperationId>')) {
        for (const where of targetsOf.get(name) ?? []) await applyLoadBalancer(where, name);
        return undefined;
      }
      if (call.action === 'DeleteStackInstances') {
        const gone = targetGroupsLeft.filter((item) => !(deleteFailing && sameTarget(item.where, deleteFailing)));
        targetGroupsLeft = [];
        for (const {where, arn} of gone) {
          const {clients} = await target(where.account, where.region);
          await clients.elbv2.send(new DeleteTargetGroupCommand({TargetGroupArn: arn})).catch(() => undefined);
        }
        targetsOf.set(
          name,
          (targetsOf.get(name) ?? []).filter((item) => !gone.some((other) => sameTarget(item, other.where))),
        );
      }
      if (call.action === 'DeleteStackInstances' && deleteFailing && answer.includes('<OperationId>')) {
        const tolerance = Number(params.get('OperationPreferences.FailureToleranceCount') ?? '0');
        failedOperations.set(tag(answer, 'OperationId')!, {failed: 1, tolerance, deleteFailure: deleteFailing});
        failedDeletes.push(deleteFailing);
        deleteFailing = undefined;
        return undefined;
      }
      if (call.action === 'DeleteStackInstances' && answer.includes('<OperationId>')) {
        // A delete that went through: the target is no longer one whose delete failed.
        failedDeletes = failedDeletes.filter((item) => !targetsOfCall(params).some((where) => sameTarget(item, where)));
        return undefined;
      }
      const operationId = params.get('OperationId') ?? '';
      if (call.action === 'DescribeStackSetOperation' && answer.includes('<Code>ValidationError</Code>') && answer.includes(`Stack with id ${operationId} does not exist`)) {
        return answer
          .replace('<Code>ValidationError</Code>', '<Code>OperationNotFoundException</Code>')
          .replace(/<Message>[^<]*<\/Message>/, `<Message>Operation ${operationId} not found</Message>`);
      }
      const failedOperation = failedOperations.get(operationId);
      if (call.action === 'DescribeStackSetOperation' && failedOperation && failedOperation.failed > failedOperation.tolerance) {
        return answer.replace('<Status>SUCCEEDED</Status>', '<Status>FAILED</Status>');
      }
      if (call.action === 'ListStackSetOperationResults' && failedOperation?.deleteFailure) {
        const {account, region, reason} = failedOperation.deleteFailure;
        return answer.replace(
          '</Summaries>',
          `<member><Region>${region}</Region><Account>${account}</Account><Status>FAILED</Status><StatusReason>${reason}</StatusReason></member></Summaries>`,
        );
      }
      if (call.action === 'ListStackSetOperationResults' && failedOperation) {
        return answer.replace(/<member>([\s\S]*?)<\/member>/g, (member: string) =>
          isFailing({account: tag(member, 'Account') ?? '', region: tag(member, 'Region') ?? ''})
            ? member.replace('<Status>SUCCEEDED</Status>', `<Status>FAILED</Status><StatusReason>${options.failing!.reason}</StatusReason>`)
            : member,
        );
      }
      if (call.action === 'ListStackInstances') {
        const rewritten: string[] = [];
        const parts = answer.split(/(<member>[\s\S]*?<\/member>)/);
        for (const part of parts) {
          if (!part.startsWith('<member>')) {
            rewritten.push(part);
            continue;
          }
          const where = {account: tag(part, 'Account') ?? '', region: tag(part, 'Region') ?? ''};
          const {stackId} = await stackOf(where.account, where.region, name);
          let member = part.replace(/<StackId>[^<]*<\/StackId>/, `<StackId>${stackId}</StackId>`);
          const failedDelete = failedDeletes.find((item) => sameTarget(item, where));
          if (failedDelete) member = member.replace('<Status>CURRENT</Status>', `<Status>OUTDATED</Status><StatusReason>${failedDelete.reason}</StatusReason>`);
          else if (isFailing(where) && failedOperations.size > 0)
            member = member.replace('<Status>CURRENT</Status>', `<Status>OUTDATED</Status><StatusReason>${options.failing!.reason}</StatusReason>`);
          rewritten.push(member);
        }
        return rewritten.join('');
      }
      return undefined;
    },
  };
  return Object.assign(interceptor, {
    protectedAtDelete,
    /** The next DeleteStackInstances that names `target` fails there, as AWS reports a resource that cannot be deleted. */
    failNextDelete(target: FailingTarget) {
      deleteToFail = target;
    },
  });
}
