#!/usr/bin/env node
// Glue: upstream's aurora.ts with its module-level App removed (lines 522- of the original), one
// Aurora stack per Cairn environment in a Stage, against a VPC given by id as upstream expects.
// The cluster is stateful, so its stack gets termination protection and its events go to an
// operations topic, as a production app would configure them.
import * as cdk from 'aws-cdk-lib';
import { Aurora } from './upstream/aurora';

// No stack traces in *.metadata.json: they hold absolute paths of the machine that synthesized.
const app = new cdk.App({
  context: { 'aws:cdk:disable-stack-trace': true, 'aws:cdk:disable-creation-stack-traces': true },
});
for (const [name, account] of [['Stage', '111111111111'], ['Prod', '222222222222']]) {
  // A Cairn installation's execution role creates only roles that carry the environment's workload
  // boundary (cairn-<environment>-workload-boundary): the Stage applies it to every role inside.
  const environment = new cdk.Stage(app, name, {
    env: { account, region: 'us-east-1' },
    permissionsBoundary: cdk.PermissionsBoundary.fromName(
      `cairn-${name.toLowerCase()}-workload-boundary`,
    ),
  });
  new Aurora(environment, 'AuroraStack', {
    description: 'Aurora Stack',
    vpcId: 'vpc-0a1b2c3d4e5f60718',
    subnetIds: ['subnet-0a1b2c3d4e5f60718', 'subnet-18f7e6d5c4b3a2910'],
    dbName: 'sampledb',
    engine: 'postgresql',
    terminationProtection: true,
    notificationArns: [`arn:aws:sns:us-east-1:${account}:cloudformation-events`],
    tags: { 'cost-center': 'databases' },
  });
}
app.synth();
