#!/usr/bin/env node
// Glue: upstream's main.ts (kept as upstream/main.ts.orig) builds one bucket stack and two SFTP
// stacks at module level; here each Cairn environment gets a Stage holding that bucket stack and
// one SFTP server stack, on aws-cdk-lib 2.100. The bucket is passed across stacks as upstream does
// (an Fn::ImportValue); autoDeleteObjects adds a CDK-generated handler whose code asset the
// Stage's manifest references at the root as ../asset.*. The SFTP stack declares the SAM
// transform so that the corpus holds a template needing CAPABILITY_AUTO_EXPAND; no example in
// the upstream repository declares a transform.
import * as cdk from 'aws-cdk-lib';
import { aws_iam as iam, aws_s3 as s3 } from 'aws-cdk-lib';
import { SftpServerStack } from './upstream/aws-transfer-sftp-server';

// No stack traces in *.metadata.json: they hold absolute paths of the machine that synthesized.
const app = new cdk.App({
  context: { 'aws:cdk:disable-stack-trace': true, 'aws:cdk:disable-creation-stack-traces': true },
});
for (const [name, account] of [['Stage', '111111111111'], ['Prod', '222222222222']]) {
  const props: cdk.StackProps = { env: { account, region: 'us-east-1' } };
  // A Cairn installation's execution role creates only roles that carry the environment's workload
  // boundary (cairn-<environment>-workload-boundary): the Stage applies it to every role inside.
  const environment = new cdk.Stage(app, name, {
    ...props,
    permissionsBoundary: cdk.PermissionsBoundary.fromName(
      `cairn-${name.toLowerCase()}-workload-boundary`,
    ),
  });
  // As upstream main.ts, lines 25-34.
  const bucketStack = new cdk.Stack(environment, 'IncomingDataStack', { terminationProtection: true });
  const bucket = new s3.Bucket(bucketStack, 'IncomingDataBucket', {
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    bucketName: `sftp-server-data-bucket-${account}-us-east-1`,
    encryption: s3.BucketEncryption.KMS_MANAGED,
    enforceSSL: true,
    removalPolicy: cdk.RemovalPolicy.DESTROY,
    autoDeleteObjects: true,
  });
  const sftp = new SftpServerStack(environment, 'SftpServerStack', {
    userName: 'sftp-user',
    userPublicKeys: [],
    dataBucket: bucket,
  });
  sftp.addTransform('AWS::Serverless-2016-10-31');
  // Upstream names its role and managed policy outright (SftpAccessRole, SftpAccessPolicy): a Cairn
  // installation's execution role creates IAM names only under the environment's stack prefix, so
  // the names keep upstream's but start with the Stage's (still CAPABILITY_NAMED_IAM).
  const role = sftp.node.findChild('SftpAccessRole').node.defaultChild as iam.CfnRole;
  role.roleName = `${name}-SftpAccessRole`;
  const policy = sftp.node.findChild('SftpAccessPolicy').node.defaultChild as iam.CfnManagedPolicy;
  policy.managedPolicyName = `${name}-SftpAccessPolicy`;
}
app.synth();
