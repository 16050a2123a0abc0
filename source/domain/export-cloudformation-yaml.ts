// The CloudFormation template of export-cloudformation.ts written out as YAML. Kept apart so the
// template object, which the wizard's verification screens reach, does not pull the yaml library
// into the interactive first frame; only `tandem export` and `tandem fleet deploy` need the text.
import {Document, parse} from 'yaml';
import {cloudFormationObject, type ExportOptions} from './export-cloudformation.js';
import type {LaunchSpec} from './spec.js';

/** The template as YAML, with a header comment saying where it came from. */
export function cloudFormationTemplate(spec: LaunchSpec, options: ExportOptions): string {
  // YAML 1.1 quoting: CloudFormation reads 1.1, where an unquoted 2010-09-09 or "on" is not a string.
  const doc = new Document(cloudFormationObject(spec, options), {version: '1.1', aliasDuplicateObjects: false});
  doc.commentBefore = [
    ` CloudFormation template exported by tandem from launch profile ${options.profile.replace(/[\r\n]+/g, ' ')}${options.generatedAt ? ` on ${options.generatedAt}` : ''}.`,
    ' Deploy: aws cloudformation deploy --template-file FILE --stack-name NAME --capabilities CAPABILITY_IAM',
    ' The stack name becomes the tandem:launch-id tag of every resource.',
  ].join('\n');
  return doc.toString({lineWidth: 0});
}

type Resources = Record<string, {Type?: string; Properties?: {LoadBalancerAttributes?: Array<{Key?: string; Value?: unknown}>}}>;

/**
 * The template with every load balancer's deletion protection turned off, or undefined when none
 * has it on. A fleet's destroy deploys this first (docs/fleets.md): deleting a stack whose load
 * balancer is protected fails on AWS (OperationNotPermitted), and the stack stays DELETE_FAILED.
 */
export function withDeletionProtectionLifted(templateBody: string): string | undefined {
  const template = parse(templateBody, {version: '1.1'}) as {Resources?: Resources} | null;
  let lifted = false;
  for (const resource of Object.values(template?.Resources ?? {})) {
    if (resource.Type !== 'AWS::ElasticLoadBalancingV2::LoadBalancer') continue;
    for (const attribute of resource.Properties?.LoadBalancerAttributes ?? []) {
      if (attribute.Key === 'deletion_protection.enabled' && String(attribute.Value) === 'true') {
        attribute.Value = 'false';
        lifted = true;
      }
    }
  }
  return lifted ? new Document(template, {version: '1.1', aliasDuplicateObjects: false}).toString({lineWidth: 0}) : undefined;
}
