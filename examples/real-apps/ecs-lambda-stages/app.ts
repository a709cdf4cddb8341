#!/usr/bin/env node
// Glue: deploys upstream's application stage (VPC, Lambda API, ECS Fargate with a Docker image
// asset, async Lambdas, Aurora) without its CodePipeline, nested inside one Stage per Cairn
// environment, so the cloud assembly is nested two deep and the Lambda code and Docker build
// context are shared at the root as ../../asset.*.
import * as cdk from 'aws-cdk-lib';
import { pipelineAppStage } from './upstream/lib/stage-app';

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
  new pipelineAppStage(environment, 'EcsLambda');
}
app.synth();
