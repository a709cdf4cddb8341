#!/usr/bin/env node
// Prints the execution-policy statements the sandbox's "any app" installation
// (cdk/cairn.config.sandbox-any-app.json) needs for the types of resource-handler-permissions.json:
// per service, every action on the account's resources of that service (or "*" where the action
// has no resource-level permission). Review the output, then put it in the config.
import fs from 'node:fs';
import path from 'node:path';
import url from 'node:url';

const here = path.dirname(url.fileURLToPath(import.meta.url));
const data = JSON.parse(fs.readFileSync(path.resolve(
  here, '../../src/main/resources/dev/cairn/sandbox/iam/resource-handler-permissions.json'))).types;
const byService = new Map();
const add = (service, action, resource) => {
  if (!byService.has(service)) byService.set(service, new Map());
  const m = byService.get(service);
  if (!m.has(resource)) m.set(resource, new Set());
  m.get(resource).add(action);
};
for (const entry of Object.values(data)) {
  for (const op of ['CREATE', 'UPDATE', 'DELETE']) {
    for (const {action, resource} of entry[op]) {
      const service = action.split(':')[0];
      // Calls on the app's roles are granted on them (AppRoles); ResourceHandlerPermissions
      // records none on other principals.
      if (/:iam::\{account\}:(role|user|group)\/\*$/.test(resource)) continue;
      let scope;
      if (resource === '*') scope = '*';
      else if (service === 'iam') scope = 'arn:{partition}:iam::{account}:policy/{prefix}-*';
      else scope = resource.replace(/^(arn:\{partition\}:[^:]+:[^:]*:[^:]*:).*$/, '$1*');
      add(service, action, scope);
    }
  }
}
const statements = [];
for (const [service, m] of [...byService].sort()) {
  const name = service.split('-').map(w => w[0].toUpperCase() + w.slice(1)).join('');
  const scoped = [...m].filter(([r]) => r !== '*');
  if (scoped.length > 0) {
    statements.push({
      sid: 'Schema' + name,
      actions: [...new Set(scoped.flatMap(([, a]) => [...a]))].sort(),
      resources: scoped.map(([r]) => r).sort(),
    });
  }
  if (m.has('*')) {
    statements.push({
      sid: 'Schema' + name + 'NoResourceLevel', actions: [...m.get('*')].sort(), resources: ['*'],
    });
  }
}
console.log(JSON.stringify(statements, null, 2));
