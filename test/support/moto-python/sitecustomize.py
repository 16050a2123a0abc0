# Loaded by the test moto server only (test/support/moto-server.ts puts this folder on PYTHONPATH).
# AWS managed policies exist in every AWS account; moto creates them only with
# MOTO_IAM_LOAD_MANAGED_POLICIES=true, and then builds all of them (about 1,100) for every account
# and partition it touches. A request that names no account makes moto look through every
# account's IAM in every partition, creating what is missing, so with many test accounts that
# stalled moto for tens of seconds. tandem attaches two managed policies (Session Manager's to the
# instance role, AWS Backup's to the backup role), so only those are kept.
import json
import os

KEEP = {"AmazonSSMManagedInstanceCore", "AWSBackupServiceRolePolicyForBackup"}

if os.environ.get("MOTO_IAM_LOAD_MANAGED_POLICIES", "").lower() == "true":
    import moto.iam.models as iam_models

    _all = json.loads(iam_models.aws_managed_policies_data)
    iam_models.aws_managed_policies_data = json.dumps({name: policy for name, policy in _all.items() if name in KEEP})

# AWS gives every new VPC's default security group an inbound rule admitting the group's own
# members (besides the outbound rule to 0.0.0.0/0, which moto does add); moto 5.2 leaves the
# inbound rule out. Security Hub EC2.2 and Prowler ec2_securitygroup_default_restrict_traffic
# judge exactly these rules, and tandem revokes both, so the test server adds it as AWS does.
import moto.ec2.models.vpcs as vpc_models

_create_vpc = vpc_models.VPCBackend.create_vpc


def _create_vpc_with_aws_default_group(self, *args, **kwargs):
    vpc = _create_vpc(self, *args, **kwargs)
    group = self.get_security_group_from_name("default", vpc_id=vpc.id)
    if group is not None and not group.ingress_rules:
        self.authorize_security_group_ingress(group.id, "-1", None, None, [], source_groups=[{"GroupId": group.id}], vpc_id=vpc.id)
    return vpc


vpc_models.VPCBackend.create_vpc = _create_vpc_with_aws_default_group
