// The load-balanced tier's steps as CloudFormation (docs/load-balancer.md, docs/design.md section 2):
// the zones the subnets are pinned to, the target group with its registered instance, the load
// balancer with its attributes, the listeners, and a requested certificate. Kept apart from export-cloudformation-steps.ts,
// whose helpers it uses; export-cloudformation.ts merges the two tables.
import {getAtt, logicalId, ref, type CfnContext, type CfnRenderer, type JsonObject} from './export-cloudformation-steps.js';
import {asRef, list, params, text} from './export-render.js';
import type {PlanStep} from './plan-types.js';

const properties = (cfn: CfnContext, id: string): JsonObject => ((cfn.template.Resources[logicalId(id)] as JsonObject | undefined)?.Properties ?? {}) as JsonObject;

/** The region's zones are CloudFormation's Fn::GetAZs; the Nth one the plan picks is Fn::Select N. */
const describeZones: CfnRenderer = {
  render: () => undefined,
  ref: (_step, output) => ({'Fn::Select': [Number(/^AvailabilityZones\.(\d+)\./.exec(output)?.[1] ?? 0), {'Fn::GetAZs': ''}]}),
};

const createTargetGroup: CfnRenderer = {
  render(step, cfn) {
    const p = step.params;
    cfn.template.Resources[logicalId(step.id)] = {
      Type: 'AWS::ElasticLoadBalancingV2::TargetGroup',
      Properties: {
        Name: text(p.Name),
        Protocol: text(p.Protocol),
        Port: p.Port as number,
        VpcId: cfn.value(p.VpcId),
        TargetType: text(p.TargetType),
        HealthCheckEnabled: true,
        HealthCheckProtocol: text(p.HealthCheckProtocol),
        HealthCheckPath: text(p.HealthCheckPath),
        Matcher: cfn.value(p.Matcher),
        Tags: cfn.tags(list(p.Tags)),
      },
    };
    cfn.template.Outputs.TargetGroupArn = {Description: 'The target group the instance is registered in (load-balancer)', Value: ref(logicalId(step.id))};
  },
  ref: (step, output) => (output.includes('TargetGroupArn') ? ref(logicalId(step.id)) : getAtt(logicalId(step.id), 'TargetGroupName')),
};

/** An internet-facing load balancer needs its subnets routed to an attached gateway first. */
function gatewayAttachment(step: PlanStep, cfn: CfnContext): string[] {
  return step.dependsOn.filter((id) => cfn.plan.step(id)?.action === 'CreateRoute').map(logicalId);
}

const createLoadBalancer: CfnRenderer = {
  render(step, cfn) {
    const p = step.params;
    const dependsOn = gatewayAttachment(step, cfn);
    cfn.template.Resources[logicalId(step.id)] = {
      Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
      ...(dependsOn.length > 0 ? {DependsOn: dependsOn} : {}),
      Properties: {
        Name: text(p.Name),
        Type: text(p.Type),
        Scheme: text(p.Scheme),
        IpAddressType: text(p.IpAddressType),
        Subnets: cfn.value(p.Subnets),
        SecurityGroups: cfn.value(p.SecurityGroups),
        Tags: cfn.tags(list(p.Tags)),
      },
    };
    // What verification reads back from a stack (a fleet's targets): the stack is its journal.
    const O = cfn.template.Outputs;
    O.LoadBalancerArn = {Description: 'The Application Load Balancer (load-balancer)', Value: ref(logicalId(step.id))};
    O.LoadBalancerDnsName = {Description: "The load balancer's address", Value: getAtt(logicalId(step.id), 'DNSName')};
    O.LoadBalancerGroupId = {Description: "The load balancer's security group (chained-groups)", Value: cfn.value(list(p.SecurityGroups)[0])};
  },
  ref: (step, output) => (output.includes('LoadBalancerArn') ? ref(logicalId(step.id)) : getAtt(logicalId(step.id), 'DNSName')),
};

/** The attributes are a property of the load balancer. */
const modifyAttributes: CfnRenderer = {
  render(step, cfn) {
    const target = asRef(step.params.LoadBalancerArn)?.ref ?? '';
    properties(cfn, target).LoadBalancerAttributes = list(step.params.Attributes).map((attribute) => ({Key: text(params(attribute).Key), Value: text(params(attribute).Value)}));
  },
};

const createListener: CfnRenderer = {
  render(step, cfn) {
    const p = step.params;
    cfn.template.Resources[logicalId(step.id)] = {
      Type: 'AWS::ElasticLoadBalancingV2::Listener',
      Properties: {
        LoadBalancerArn: cfn.value(p.LoadBalancerArn),
        Protocol: text(p.Protocol),
        Port: p.Port as number,
        ...(p.SslPolicy ? {SslPolicy: text(p.SslPolicy)} : {}),
        ...(p.Certificates ? {Certificates: cfn.value(p.Certificates)} : {}),
        DefaultActions: cfn.value(p.DefaultActions),
      },
    };
  },
  ref: (step) => ref(logicalId(step.id)),
};

/** The registered instance is a property of the target group. */
const registerTargets: CfnRenderer = {
  render(step, cfn) {
    const target = asRef(step.params.TargetGroupArn)?.ref ?? '';
    properties(cfn, target).Targets = cfn.value(step.params.Targets);
  },
};

/** The parameter that names the Route 53 zone CloudFormation writes the validation record into. */
export const VALIDATION_ZONE_PARAMETER = 'CertificateValidationZoneId';

/**
 * `certificate: request`: an AWS::CertificateManager::Certificate validated by DNS. CloudFormation
 * writes the validation record itself when it is given the Route 53 zone (the parameter, empty by
 * default: a zone id differs per account); without one the stack shows the record in its events
 * and waits for it, as the launch does. The record and the wait have no resource of their own.
 */
const requestCertificate: CfnRenderer = {
  render(step, cfn) {
    const p = step.params;
    const domain = text(p.DomainName);
    cfn.template.Parameters[VALIDATION_ZONE_PARAMETER] = {
      Type: 'String',
      Default: '',
      AllowedPattern: '^(Z[A-Z0-9]{1,31})?$',
      Description: `Route 53 public hosted zone that serves ${domain}: CloudFormation writes the DNS validation record there. Empty: create the record the stack events show.`,
    };
    const conditions = (cfn.template.Conditions ?? {}) as JsonObject;
    conditions.CertificateValidationZoneGiven = {'Fn::Not': [{'Fn::Equals': [ref(VALIDATION_ZONE_PARAMETER), '']}]};
    cfn.template.Conditions = conditions;
    cfn.template.Resources[logicalId(step.id)] = {
      Type: 'AWS::CertificateManager::Certificate',
      Properties: {
        DomainName: domain,
        ValidationMethod: text(p.ValidationMethod),
        DomainValidationOptions: {'Fn::If': ['CertificateValidationZoneGiven', [{DomainName: domain, HostedZoneId: ref(VALIDATION_ZONE_PARAMETER)}], ref('AWS::NoValue')]},
        Tags: cfn.tags(list(p.Tags)),
      },
    };
    cfn.template.Outputs.CertificateArn = {Description: `The ACM certificate for ${domain} (lb-certificate)`, Value: ref(logicalId(step.id))};
  },
  ref: (step) => ref(logicalId(step.id)),
};

export const LOAD_BALANCER_RENDERERS: Record<string, CfnRenderer> = {
  RequestCertificate: requestCertificate,
  DescribeAvailabilityZones: describeZones,
  CreateTargetGroup: createTargetGroup,
  CreateLoadBalancer: createLoadBalancer,
  ModifyLoadBalancerAttributes: modifyAttributes,
  CreateListener: createListener,
  RegisterTargets: registerTargets,
};
