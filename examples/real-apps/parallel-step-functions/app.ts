#!/usr/bin/env node
// Glue: upstream's stack (API Gateway, an Express state machine, two Lambdas in a VPC that a
// NestedStack defines, log retention through a CDK-generated handler) in one Stage per Cairn
// environment, on aws-cdk-lib 2.100. Upstream's constructor takes no props, so each stack takes
// its account and region from its Stage. The vendored index.ts differs from upstream in two
// places, both for 2.100: its module-level App is removed, and the Lambdas run on Node.js 18
// (2.100 has no NODEJS_24_X).
import * as cdk from 'aws-cdk-lib';
import { ApiGatewayParallelStepFunctionsStack } from './upstream/index';

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
  new ApiGatewayParallelStepFunctionsStack(environment, 'ParallelStepFunctionsStack');
}
app.synth();
