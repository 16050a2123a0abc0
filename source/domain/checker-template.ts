// Reading a CloudFormation template the way Checkov does: resources by type, named
// "Type.LogicalId", with a Ref to a parameter replaced by the parameter's default (Checkov
// evaluates the defaults, so an SSH parameter defaulting to 0.0.0.0/0 fails CKV_AWS_24).
export interface CfnTemplate {
  Parameters?: {[name: string]: unknown};
  Resources: {[logicalId: string]: unknown};
}

export interface CfnResource {
  /** As Checkov names it: 'AWS::EC2::Instance.Instance'. */
  name: string;
  type: string;
  properties: Record<string, unknown>;
}

export function resourcesOfType(template: CfnTemplate, ...types: string[]): CfnResource[] {
  return Object.entries(template.Resources).flatMap(([logicalId, raw]) => {
    const resource = raw as {Type?: unknown; Properties?: unknown};
    if (typeof resource.Type !== 'string' || !types.includes(resource.Type)) return [];
    const properties = resource.Properties && typeof resource.Properties === 'object' ? (resource.Properties as Record<string, unknown>) : {};
    return [{name: `${resource.Type}.${logicalId}`, type: resource.Type, properties}];
  });
}

/** A literal, or the default of the parameter a Ref names; undefined for other intrinsics. */
export function literal(template: CfnTemplate, value: unknown): unknown {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const ref = (value as {Ref?: unknown}).Ref;
    if (typeof ref === 'string' && Object.keys(value).length === 1) {
      const parameter = template.Parameters?.[ref] as {Default?: unknown} | undefined;
      return parameter?.Default;
    }
    return undefined;
  }
  return value;
}

export function objects(value: unknown): Array<Record<string, unknown>> {
  return Array.isArray(value) ? value.filter((item): item is Record<string, unknown> => Boolean(item) && typeof item === 'object') : [];
}
