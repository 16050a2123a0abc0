// Every export carries what Session Manager needs, as the launch makes it.
import {describe, expect, it} from 'vitest';
import {cliScript} from '../../source/domain/export-cli.js';
import {cloudFormationObject} from '../../source/domain/export-cloudformation.js';
import {buildPlan} from '../../source/domain/plan.js';
import {explainDocument, renderMarkdown} from '../../source/domain/report.js';
import {defaultSpec, type LaunchSpec} from '../../source/domain/spec.js';

const options = {profile: 'web'};
const privateSpec = (): LaunchSpec => ({...defaultSpec('eu-west-1'), network: {vpc: 'new', subnet: 'private', cidr: '10.9.0.0/16', publicIp: false}});
const POLICY = {'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/AmazonSSMManagedInstanceCore'};

describe('exports with Session Manager', () => {
  it('CloudFormation: the role made for it holds only the managed policy; a created S3 role gets it too; an existing role is left alone', () => {
    const template = cloudFormationObject(defaultSpec(), options);
    const role = template.Resources.InstanceRole as {Properties: Record<string, unknown>};
    expect(role.Properties.ManagedPolicyArns).toEqual([POLICY]);
    expect(role.Properties).not.toHaveProperty('Policies');
    expect((template.Resources.Instance as {Properties: Record<string, unknown>}).Properties.IamInstanceProfile).toEqual({Ref: 'InstanceProfile'});
    const s3 = cloudFormationObject({...defaultSpec(), role: {mode: 'create', bucket: 'assets', access: 'read'}}, options);
    expect((s3.Resources.InstanceRole as {Properties: Record<string, unknown>}).Properties.ManagedPolicyArns).toEqual([POLICY]);
    const existing = cloudFormationObject({...defaultSpec(), role: {mode: 'existing', name: 'WebRole'}}, options);
    expect(existing.Resources).not.toHaveProperty('InstanceRole');
    const off = cloudFormationObject({...defaultSpec(), access: {sessionManager: false, instanceConnect: false}}, options);
    expect(off.Resources).not.toHaveProperty('InstanceRole');
  });

  it('CloudFormation: a private subnet gets the three interface endpoints with private DNS, behind HTTPS from the VPC', () => {
    const template = cloudFormationObject(privateSpec(), options);
    const endpoints = Object.values(template.Resources).filter((resource) => (resource as {Type: string}).Type === 'AWS::EC2::VPCEndpoint') as Array<{Properties: Record<string, unknown>}>;
    expect(endpoints.map((endpoint) => endpoint.Properties.ServiceName)).toEqual(
      ['ssm', 'ssmmessages', 'ec2messages'].map((service) => ({'Fn::Sub': `com.amazonaws.\${AWS::Region}.${service}`})),
    );
    for (const endpoint of endpoints) {
      expect(endpoint.Properties).toMatchObject({
        VpcEndpointType: 'Interface',
        PrivateDnsEnabled: true,
        SubnetIds: [{Ref: 'PrivateSubnet'}],
        SecurityGroupIds: [{'Fn::GetAtt': ['SessionEndpointSecurityGroup', 'GroupId']}],
      });
    }
    const group = template.Resources.SessionEndpointSecurityGroup as {Properties: {SecurityGroupIngress: unknown[]}};
    expect(group.Properties.SecurityGroupIngress).toEqual([{IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '10.9.0.0/16', Description: 'HTTPS from the VPC to the endpoints'}]);
    expect((template.Resources.Vpc as {Properties: Record<string, unknown>}).Properties).toMatchObject({EnableDnsSupport: true, EnableDnsHostnames: true});
  });

  it('CLI script: attaches the managed policy, builds the endpoints, and prints the start-session command', () => {
    // One line per call: the script continues long calls with a backslash.
    const script = cliScript(privateSpec(), options).replace(/ \\\n\s+/g, ' ');
    expect(script).toContain('aws iam create-role --role-name tandem-ssm-web-1');
    expect(script).toContain('aws iam attach-role-policy --role-name tandem-ssm-web-1 --policy-arn arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore');
    for (const service of ['ssm', 'ssmmessages', 'ec2messages']) expect(script).toContain(`--service-name "com.amazonaws.$REGION.${service}"`);
    expect(script.match(/--private-dns-enabled/g)).toHaveLength(3);
    expect(script).toContain('"FromPort":443');
    expect(script).toContain('echo "shell: aws ssm start-session --target $INSTANCE_ID --region $REGION" >&2');
  });

  it('markdown matrix: the Session Manager control, its way in, the endpoint cost, and the calls', () => {
    const spec = privateSpec();
    const markdown = renderMarkdown(explainDocument(spec, buildPlan(spec)));
    expect(markdown).toContain('| Key pair | Session Manager (session-manager) | both | shared |');
    expect(markdown).toMatch(
      /\| Way in \| Session Manager \(no open port, no key; interface endpoints ssm, ssmmessages, ec2messages, about \$0\.01 per endpoint-hour each \(varies by region\)\) \|/,
    );
    expect(markdown).toContain('iam:AttachRolePolicy');
    expect(markdown.match(/ec2:CreateVpcEndpoint/g)).toHaveLength(3);
    expect(markdown).toContain('Session Manager endpoints are billed hourly (session-endpoints-cost)');
    expect(markdown).toContain('Patch Manager');
  });
});
