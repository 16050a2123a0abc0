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
