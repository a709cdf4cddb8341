#!/usr/bin/env node
// Glue: upstream's stack (CodeCommit, CodeBuild, CodePipeline, CodeDeploy, ECS behind an ALB, a
// Lambda and an AwsCustomResource, all in one template over CloudFormation's 51,200-byte inline
// limit) in one Stage per Cairn environment. Upstream reads ./.gitignore and ./lambda relative to
// the working directory, which is its project root; upstream/ stands in for that root here.
import * as cdk from 'aws-cdk-lib';
import * as path from 'path';
import { CodepipelineBuildDeployStack } from './upstream/lib/codepipeline-build-deploy-stack';

// The CLI passes the output directory relative to the directory it started the app in: pin it
// before moving, and move back before synthesizing.
const started = process.cwd();
process.env.CDK_OUTDIR = path.resolve(process.env.CDK_OUTDIR ?? 'cdk.out');
process.chdir(path.join(__dirname, 'upstream'));
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
  new CodepipelineBuildDeployStack(environment, 'CodepipelineBuildDeployStack');
}
process.chdir(started);
app.synth();
