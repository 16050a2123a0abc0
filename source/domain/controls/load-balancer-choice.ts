// The wizard's switch between the two ways web traffic reaches the server (docs/load-balancer.md
// section 2): straight to the instance, or through the load balancer with the instance in a private
// subnet. Switching moves every setting the other way contradicts, as a profile's defaults do
// (store/profile-schema.ts withDefaults), so the screen never holds a spec validation refuses for
// a reason the operator did not choose.
import {LOAD_BALANCED_NETWORK, LOAD_BALANCER_DEFAULTS} from './load-balancer.js';
import {loadBalancerOf, subnetDefaults, type LaunchSpec, type LoadBalancerSpec} from '../spec.js';

export type WebTraffic = 'direct' | 'load-balancer';

export const webTrafficOf = (spec: LaunchSpec): WebTraffic => (loadBalancerOf(spec) ? 'load-balancer' : 'direct');

/** The certificate choices of the wizard: none, one ACM issues for a domain, or an ARN typed in. */
export type CertificateChoice = 'none' | 'request' | 'arn';

export function certificateChoice(lb: LoadBalancerSpec): CertificateChoice {
  return lb.certificate === 'none' || lb.certificate === 'request' ? lb.certificate : 'arn';
}

/** The load balancer with its certificate chosen; an ARN starts empty for the operator to type. */
export function withCertificate(spec: LaunchSpec, choice: CertificateChoice): LaunchSpec {
  const lb = loadBalancerOf(spec);
  if (!lb || certificateChoice(lb) === choice) return spec;
  const certificate = choice === 'arn' ? '' : choice;
  return {...spec, loadBalancer: {...lb, certificate}};
}

/**
 * Behind a load balancer: the defaults of `loadBalancer: {}`, a new VPC (the default VPC has no
 * private subnet), the instance in its private subnet without a public address, and httpd installed
 * (the packages come through the S3 gateway endpoint). The instance's own group does not open 443:
 * the load balancer's does when it has a certificate.
 */
function behind(spec: LaunchSpec): LaunchSpec {
  const vpc = spec.network.vpc === 'default' ? 'new' : spec.network.vpc;
  const network = vpc === 'new' ? {...spec.network, ...LOAD_BALANCED_NETWORK, cidr: spec.network.cidr ?? '10.0.0.0/16'} : {...spec.network, publicIp: false};
  return {
    ...spec,
    loadBalancer: {...LOAD_BALANCER_DEFAULTS},
    network,
    instance: {...spec.instance, userData: 'httpd'},
    securityGroup: {...spec.securityGroup, http: spec.securityGroup.http === false ? '0.0.0.0/0' : spec.securityGroup.http, https: false},
  };
}

/** Straight to the server: no load balancer, and a new VPC's public subnet with a public address. */
function direct(spec: LaunchSpec): LaunchSpec {
  const {loadBalancer: _dropped, ...rest} = spec;
  const network = rest.network.vpc === 'new' ? {...rest.network, subnet: 'public'} : rest.network;
  const placed = subnetDefaults(network);
  return {...rest, network: {...network, publicIp: placed.publicIp}, instance: {...rest.instance, userData: placed.userData}};
}

/** The spec with web traffic arriving the chosen way; unchanged when it already does. */
export function withWebTraffic(spec: LaunchSpec, choice: WebTraffic): LaunchSpec {
  if (webTrafficOf(spec) === choice) return spec;
  return choice === 'load-balancer' ? behind(spec) : direct(spec);
}
