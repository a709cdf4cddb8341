#!/usr/bin/env node
// Glue: upstream's bin/app.ts (kept as upstream/bin/app.ts.orig) with its stack in one Stage per
// Cairn environment instead of an environment-agnostic account. Upstream's stack holds two
// NestedStacks, the second with an explicit addDependency on the first, that pass the key ARNs
// through exports and Fn::ImportValue, and an AwsCustomResource that replicates the key.
import * as cdk from 'aws-cdk-lib';
import { GlobalDDBTableCMK } from './upstream/lib/global-ddb-cmk';

const TABLE_NAME: string = 'global-ddb-cmk-demo';
const REPLICATIONS_REGIONS: string[] = ['us-west-2', 'us-east-2'];
const KEY_ALIAS: string = `alias/CMK-for-global-DDB-table-${TABLE_NAME}`;

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
  new GlobalDDBTableCMK(environment, 'global-ddb-cmk', {
    tableName: TABLE_NAME,
    replicationRegions: REPLICATIONS_REGIONS,
    keyAlias: KEY_ALIAS,
    // What a production stack of a stateful resource sets: its events go to the account's
    // operations topic (moved here from aurora-dashboard, now in examples/refused-apps).
    notificationArns: [`arn:aws:sns:us-east-1:${account}:cloudformation-events`],
  });
}
app.synth();
