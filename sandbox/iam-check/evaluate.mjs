#!/usr/bin/env node
// Cairn IAM check: evaluates recorded AWS calls against IAM policies with @cloud-copilot/iam-simulate.
//
// Test-time only, run as a separate process (iam-simulate is AGPL-3.0; nothing here is shipped).
// stdin:  {"requests":[{id, principal, action, resource, resourceAccount, identityPolicies,
//                       permissionBoundary, resourcePolicy, context}, ...]}
// stdout: {"results":[{id, decision, statement, detail}, ...]}, one result per request, in order.
// decision is "Allowed", "ImplicitlyDenied" or "ExplicitlyDenied"; "Error" when iam-simulate rejected
// the input (invalid policy, unknown action, ...); then `error` says why. Exit code 0 unless stdin
// is not a request document (exit 2) or something crashed (exit 1).
//
// With --serve, one process decides calls as they happen (the live sandbox): each stdin line is one
// request object, each stdout line the result for it, in order, until stdin closes. A line that is
// not a request object is answered with decision "Error"; the process keeps serving.

import { getDenialReasons, getGrantReasons, runSimulation, runUnsafeSimulation } from '@cloud-copilot/iam-simulate';

const ARN = /^arn:([^:]+):([^:]*):([^:]*):([^:]*):(.+)$/;

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function hasKey(context, key) {
  const lower = key.toLowerCase();
  return Object.keys(context).some((k) => k.toLowerCase() === lower);
}

/**
 * The standard request context keys AWS would set for this caller, added only where the request
 * does not carry them. iam-simulate fills in none itself.
 */
function withStandardContext(request, now) {
  const context = { ...(request.context ?? {}) };
  const put = (key, value) => {
    if (value !== undefined && value !== null && value !== '' && !hasKey(context, key)) context[key] = value;
  };
  const principal = ARN.exec(request.principal);
  if (principal) {
    put('aws:PrincipalArn', request.principal);
    put('aws:PrincipalAccount', principal[4]);
    put('aws:PrincipalType', principal[5].startsWith('user/') ? 'User' : 'AssumedRole');
    put('aws:PrincipalIsAWSService', 'false');
    put('aws:ViaAWSService', 'false');
  } else if (request.principal.endsWith('.amazonaws.com')) {
    put('aws:PrincipalIsAWSService', 'true');
    put('aws:PrincipalServiceName', request.principal);
  }
  put('aws:SecureTransport', 'true');
  put('aws:CurrentTime', now.toISOString());
  put('aws:EpochTime', String(Math.floor(now.getTime() / 1000)));
  put('aws:ResourceAccount', request.resourceAccount);
  const resource = ARN.exec(request.resource ?? '');
  if (resource) put('aws:RequestedRegion', resource[3]);
  return context;
}

/** Accepts a bare policy document or {"name": ..., "policy": {...}}. */
function named(policy, fallbackName) {
  if (policy && typeof policy === 'object' && 'policy' in policy && !('Statement' in policy)) {
    return { name: String(policy.name ?? fallbackName), policy: policy.policy };
  }
  return { name: fallbackName, policy };
}

const POLICY_TYPE_NAMES = {
  identity: 'identity policy',
  resource: 'resource policy',
  pb: 'permissions boundary',
  scp: 'SCP',
  rcp: 'RCP',
  vpce: 'VPC endpoint policy',
  's3-bpa': 'S3 Block Public Access'
};

/** Finds the iam-policy Statement object a grant or denial points at, for its compact JSON. */
function findStatement(analysis, reason) {
  const byType = {
    identity: analysis.identityAnalysis,
    resource: analysis.resourceAnalysis,
    pb: analysis.permissionBoundaryAnalysis,
    vpce: analysis.endpointAnalysis
  }[reason.policyType];
  if (!byType) return undefined;
  const all = [...byType.allowStatements, ...byType.denyStatements];
  return all.find(
    (s) =>
      s.statement.index() === reason.statementIndex &&
      (reason.policyType === 'resource' || s.policyId === reason.policyIdentifier)
  )?.statement;
}

function describeStatement(analysis, reason) {
  if (reason.statementId) return reason.statementId;
  const where = reason.policyType === 'resource' ? 'resource' : `${reason.policyType}:${reason.policyIdentifier}`;
  const statement = findStatement(analysis, reason);
  const json = statement ? ' ' + JSON.stringify(statement.toJSON()) : '';
  return `${where}#${reason.statementIndex}${json}`;
}

function describe(analysis, action) {
  const summary = (r) => ({
    policyType: r.policyType,
    ...(r.policyIdentifier !== undefined && { policy: r.policyIdentifier }),
    ...(r.statementId !== undefined && { sid: r.statementId }),
    ...(r.statementIndex !== undefined && { index: r.statementIndex }),
    ...(r.statementIndex !== undefined && { statement: describeStatement(analysis, r) }),
    ...(r.denialType !== undefined && { denialType: r.denialType }),
    ...(r.blocking && { blocking: true })
  });
  if (analysis.result === 'Allowed') {
    const grants = getGrantReasons(analysis).filter((g) => g.policyType !== 'scp' && g.policyType !== 'rcp');
    // Same account: the identity grant decides (or the resource grant alone), except that the trust
    // policy decides sts:AssumeRole*. Cross-account: both must grant, and both are named.
    const identity = grants.find((g) => g.policyType === 'identity');
    const resource = grants.find((g) => g.policyType === 'resource');
    const decisive = !analysis.sameAccount
      ? [identity, resource]
      : isAssumeRole(action)
        ? [resource ?? identity]
        : [identity ?? resource];
    const named = decisive.filter(Boolean).map((g) => describeStatement(analysis, g));
    return {
      statement: named.length > 0 ? named.join(' + ') : 'Allowed (no statement named)',
      grants: grants.map(summary)
    };
  }
  const denials = getDenialReasons(analysis);
  if (analysis.result === 'ExplicitlyDenied') {
    const decisive = denials.find((d) => d.denialType === 'Explicit');
    return {
      statement: decisive ? describeStatement(analysis, decisive) : 'ExplicitlyDenied (no statement named)',
      denials: denials.map(summary)
    };
  }
  const missing = denials.map((d) => POLICY_TYPE_NAMES[d.policyType] ?? d.policyType);
  if (missing.length === 0) {
    // iam-simulate names no policy when a cross-account request lacks one of its two grants.
    if (analysis.identityAnalysis?.result !== 'Allowed') missing.push(POLICY_TYPE_NAMES.identity);
    const resourceResult = analysis.resourceAnalysis?.result;
    if (!analysis.sameAccount && resourceResult !== 'Allowed' && resourceResult !== 'AllowedForAccount') {
      missing.push(`${POLICY_TYPE_NAMES.resource} (cross-account)`);
    }
  }
  return {
    statement:
      missing.length > 0
        ? `no Allow in ${[...new Set(missing)].join(', ')}`
        : 'no Allow',
    denials: denials.map(summary)
  };
}

function isAssumeRole(action) {
  return /^sts:AssumeRole/i.test(action);
}

/** Rules iam-simulate does not enforce by itself; each returns a result or undefined. */
function precheck(request) {
  // A role always has a trust policy, and sts:AssumeRole is decided by it (with the caller's identity
  // grant). iam-simulate trusts the caller's account when no trust policy is passed, so a request
  // that forgot it would be Allowed: deny it instead and say why.
  if (isAssumeRole(request.action) && !request.resourcePolicy) {
    return {
      decision: 'ImplicitlyDenied',
      statement: 'no trust policy: sts:AssumeRole needs the role trust policy as resourcePolicy',
      detail: { precheck: 'missing-trust-policy' }
    };
  }
  return undefined;
}

/**
 * Resources a service's guide documents for an action that the Service Authorization Reference
 * (iam-simulate's data) does not list, so iam-simulate refuses them ("no.resource.types").
 * CloudFormation authorizes CreateChangeSet of a template with a transform also on the transform,
 * an AWS-owned resource: arn:<partition>:cloudformation:<region>:aws:transform/<name> (User Guide,
 * "Control access with IAM"). These are decided by the same policy evaluation without the
 * resource-type check; no other request is.
 */
const UNLISTED_RESOURCES = [
  { action: 'cloudformation:createchangeset', resource: /^arn:[^:]+:cloudformation:[a-z0-9-]+:aws:transform\/[A-Za-z0-9-]+$/ }
];

function unlisted(request) {
  const action = request.action.toLowerCase();
  return UNLISTED_RESOURCES.some((u) => u.action === action && u.resource.test(request.resource));
}

async function evaluate(request, now) {
  for (const field of ['id', 'principal', 'action', 'resource', 'resourceAccount']) {
    if (typeof request[field] !== 'string' || request[field] === '') {
      return { decision: 'Error', statement: '', error: { message: `request.${field} missing` } };
    }
  }
  const early = precheck(request);
  if (early) return early;
  const contextVariables = withStandardContext(request, now);
  const simulation = {
    request: {
      principal: request.principal,
      action: request.action,
      resource: { resource: request.resource, accountId: request.resourceAccount },
      contextVariables
    },
    identityPolicies: (request.identityPolicies ?? []).map((p, i) => named(p, `identity[${i}]`)),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(request.permissionBoundary && {
      permissionBoundaryPolicies: [named(request.permissionBoundary, 'permissionBoundary')]
    }),
    ...(request.resourcePolicy && { resourcePolicy: named(request.resourcePolicy, 'resource').policy })
  };
  if (unlisted(request)) {
    // Only the decision: the unvalidated engine names no statement.
    return {
      decision: runUnsafeSimulation(simulation, { simulationMode: 'Strict' }),
      statement: '',
      detail: { unlistedResource: true, contextSent: contextVariables }
    };
  }
  const response = await runSimulation(simulation, { simulationMode: 'Strict' });
  if (response.resultType === 'error') {
    return { decision: 'Error', statement: '', error: response.errors };
  }
  if (response.resultType !== 'single') {
    return {
      decision: 'Error',
      statement: '',
      error: { message: `resource must be a concrete ARN, got ${request.resource}` }
    };
  }
  const analysis = response.result.analysis;
  const { statement, ...reasons } = describe(analysis, request.action);
  return {
    decision: response.overallResult,
    statement,
    detail: {
      ...reasons,
      sameAccount: analysis.sameAccount,
      ...(analysis.blockedBy?.length && { blockedBy: analysis.blockedBy }),
      ignoredContextKeys: response.result.ignoredContextKeys ?? [],
      contextSent: contextVariables
    }
  };
}

async function serve() {
  const { createInterface } = await import('node:readline');
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    let request;
    try {
      request = JSON.parse(line);
    } catch (e) {
      process.stdout.write(
        JSON.stringify({ id: null, decision: 'Error', statement: '', error: { message: `not JSON: ${e.message}` } }) + '\n'
      );
      continue;
    }
    let result;
    try {
      result = { id: request?.id ?? null, ...(await evaluate(request ?? {}, new Date())) };
    } catch (e) {
      result = { id: request?.id ?? null, decision: 'Error', statement: '', error: { message: String(e?.message ?? e) } };
    }
    process.stdout.write(JSON.stringify(result) + '\n');
  }
}

async function main() {
  if (process.argv.includes('--serve')) {
    await serve();
    return;
  }
  let input;
  try {
    input = JSON.parse(await readStdin());
  } catch (e) {
    process.stderr.write(`iam-check: stdin is not JSON: ${e.message}\n`);
    process.exit(2);
  }
  if (!input || !Array.isArray(input.requests)) {
    process.stderr.write('iam-check: expected {"requests":[...]} on stdin\n');
    process.exit(2);
  }
  const now = new Date();
  const results = [];
  for (const request of input.requests) {
    results.push({ id: request?.id ?? null, ...(await evaluate(request ?? {}, now)) });
  }
  process.stdout.write(JSON.stringify({ results }) + '\n');
}

main().catch((e) => {
  process.stderr.write(`iam-check: ${e.stack ?? e}\n`);
  process.exit(1);
});
