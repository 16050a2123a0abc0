// Elastic Load Balancing resources that still carry a launch's id, for destroy's report of what
// it left behind. EC2's DescribeTags does not see them: load balancers and target groups keep
// their tags in Elastic Load Balancing, which can only be asked per resource (DescribeTags takes
// at most 20 ARNs), so the region's load balancers and target groups are listed first.
import type {AwsClients} from './clients.js';
import {send} from './actions.js';

/** What DescribeTags accepts in one call. */
const TAGS_PER_CALL = 20;

interface Tagged {
  resourceType: 'load-balancer' | 'target-group';
  id: string;
}

/** Every ARN of one kind in the region, page by page. */
async function allArns(clients: AwsClients, action: 'DescribeLoadBalancers' | 'DescribeTargetGroups'): Promise<string[]> {
  const [list, field] = action === 'DescribeLoadBalancers' ? ['LoadBalancers', 'LoadBalancerArn'] : ['TargetGroups', 'TargetGroupArn'];
  const arns: string[] = [];
  let marker: string | undefined;
  do {
    const page = await send(clients, 'elbv2', action, {PageSize: 400, ...(marker ? {Marker: marker} : {})});
    for (const item of (page[list] as Array<Record<string, unknown>> | undefined) ?? []) if (typeof item[field] === 'string') arns.push(item[field]);
    marker = page.NextMarker as string | undefined;
  } while (marker);
  return arns;
}

/** The load balancers and target groups tagged `tag=launchId`; they exist, since they were just listed. */
export async function taggedLoadBalancing(clients: AwsClients, tag: string, launchId: string): Promise<Tagged[]> {
  const kinds = new Map<string, Tagged['resourceType']>();
  for (const arn of await allArns(clients, 'DescribeLoadBalancers')) kinds.set(arn, 'load-balancer');
  for (const arn of await allArns(clients, 'DescribeTargetGroups')) kinds.set(arn, 'target-group');
  const arns = [...kinds.keys()];
  const found: Tagged[] = [];
  for (let start = 0; start < arns.length; start += TAGS_PER_CALL) {
    const response = await send(clients, 'elbv2', 'DescribeTags', {ResourceArns: arns.slice(start, start + TAGS_PER_CALL)});
    for (const description of (response.TagDescriptions as Array<{ResourceArn?: string; Tags?: Array<{Key?: string; Value?: string}>}> | undefined) ?? []) {
      const arn = description.ResourceArn;
      if (arn && description.Tags?.some((item) => item.Key === tag && item.Value === launchId)) found.push({resourceType: kinds.get(arn) ?? 'load-balancer', id: arn});
    }
  }
  return found;
}
