// The dashboard in a real browser (headless Debian chromium through playwright-core): starts
// `cairn sandbox up`, runs `sandbox run --reuse` for happy, prod-smoke-fails and audit-tamper, and
// after each loads the page and checks what it shows; screenshots go to OUT_DIR. Exits non-zero
// (failing the build) when the page is wrong or anything does not start.
//
// Usage: node browser-test.mjs CAIRN_JAR REPO_ROOT OUT_DIR [--only-happy]
//   --only-happy: stop after happy (scripts/dashboard-screenshot.sh, the README's picture).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const [jarArg, repoArg, outArg] = process.argv.slice(2);
const onlyHappy = process.argv.includes('--only-happy');
if (!jarArg || !repoArg || !outArg) {
  console.error('usage: node browser-test.mjs CAIRN_JAR REPO_ROOT OUT_DIR [--only-happy]');
  process.exit(2);
}
const jar = resolve(jarArg);
const repo = resolve(repoArg);
const out = resolve(outArg);
const CHROMIUM = process.env.CAIRN_CHROMIUM || '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) {
  console.error(`browser test: no chromium at ${CHROMIUM} (apt-get install -y chromium; .ci/run installs it)`);
  process.exit(1);
}
mkdirSync(out, { recursive: true });
const started = Date.now();
const children = [];
const work = mkdtempSync(join(tmpdir(), 'cairn-dashboard-test-'));

function fail(message) {
  console.error('DASHBOARD BROWSER TEST FAILED: ' + message);
  cleanup();
  process.exit(1);
}

function cleanup() {
  for (const c of children) {
    if (c.exitCode === null) c.kill('SIGTERM');
  }
  rmSync(work, { recursive: true, force: true });
}

/** Starts a long-running cairn command; resolves with its output once `ready` matches. */
function startCairn(args, ready, env = process.env) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('java', ['-jar', jar, ...args], { env, cwd: repo });
    children.push(child);
    let text = '';
    const timer = setTimeout(() => reject(new Error(`cairn ${args[0]} did not start:\n${text}`)), 120_000);
    const onData = (d) => {
      text += d;
      if (ready.test(text)) {
        clearTimeout(timer);
        resolvePromise(text);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (d) => { text += d; });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`cairn ${args[0]} exited ${code}:\n${text}`));
    });
  });
}

function reuse(scenario, env) {
  const r = spawnSync('java', ['-jar', jar, 'sandbox', 'run', '--reuse', '--scenario', scenario, '--format', 'json', '--repo', repo],
    { env, cwd: repo, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) fail(`sandbox run --reuse --scenario ${scenario} exited ${r.status}:\n${r.stderr}\n${r.stdout.slice(-2000)}`);
  return JSON.parse(r.stdout);
}

function expect(cond, message) {
  if (!cond) throw new Error(message);
}

async function main() {
  const upText = await startCairn(
    ['sandbox', 'up', '--port', '0', '--dynamodb-port', '0', '--s3-port', '0', '--repo', repo, '--state-dir', join(work, 'state')],
    /Ctrl-C stops the sandbox/);
  const env = { ...process.env };
  for (const m of upText.matchAll(/^export ([A-Z0-9_]+)=(.*)$/gm)) env[m[1]] = m[2];
  const dashText = await startCairn(['dashboard', '--port', '0'], /http:\/\/127\.0\.0\.1:\d+\//, env);
  const url = dashText.match(/http:\/\/127\.0\.0\.1:\d+\//)[0];

  // A fresh profile (--user-data-dir, which playwright passes for a persistent context).
  const browser = await chromium.launchPersistentContext(join(work, 'chromium'), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 1000 },
    // playwright-core adds --headless; the rest are ENVIRONMENT-NOTES' flags.
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = browser.pages()[0] ?? await browser.newPage();
    const external = [];
    page.on('request', (r) => { if (!r.url().startsWith(url)) external.push(r.url()); });
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));

    async function load(name) {
      await page.goto(url, { waitUntil: 'load' });
      await page.waitForFunction(() => document.body.dataset.loaded, null, { timeout: 30_000 });
      const loaded = await page.evaluate(() => document.body.dataset.loaded);
      expect(loaded !== 'error', 'the page could not load its data: ' + await page.textContent('#error'));
      expect(errors.length === 0, 'script errors: ' + errors.join('; '));
      expect(external.length === 0, 'the page reached outside the dashboard: ' + external.join(', '));
      await page.screenshot({ path: join(out, `dashboard-${name}.png`), fullPage: true });
    }

    const cell = (service, status, env) =>
      page.locator(`table[data-service="${service}"] tr[data-status="${status}"] td[data-env="${env}"]`);

    // 1. happy: the artifact promoted, deployed and tested in prod; the chain verified.
    const happy = reuse('happy', env);
    const happyService = happy.artifacts[0].service;
    await load('happy');
    expect(await page.getAttribute('#chain', 'data-verdict') === 'verified',
      'after happy the chain should read verified, not ' + await page.textContent('#chain-verdict'));
    const prod = cell(happyService, 'promoted', 'prod');
    expect(await prod.count() === 1, `no promoted ${happyService} row`);
    expect(await prod.getAttribute('data-env-status') === 'deployed', 'prod is not deployed');
    expect(await prod.getAttribute('data-test-status') === 'test_passed', 'prod tests did not pass');
    expect(await page.locator(`#timeline-list details[data-artifact^="${happyService}@"] tr[data-action="ArtifactPromoted"]`).count() >= 1,
      'the timeline has no ArtifactPromoted');
    expect((await page.textContent('#timeline-list')).includes('filter audit_sequence = '),
      'the timeline carries no Logs Insights query');
    expect(await page.locator('#kpi-charts [data-chart] canvas').count() === 4, 'the four KPI charts are not drawn');
    if (onlyHappy) return;

    // 2. prod-smoke-fails: the failed smoke test and the rollback to the last known good commit.
    const smoke = reuse('prod-smoke-fails', env);
    const smokeService = smoke.artifacts[0].service;
    await load('prod-smoke-fails');
    const rolledBack = cell(smokeService, 'rollback_succeeded', 'prod');
    expect(await rolledBack.count() === 1, `no rolled-back ${smokeService} row`);
    expect(await rolledBack.getAttribute('data-test-status') === 'test_failed', 'the failed smoke test is not shown');
    const good = smoke.artifacts[0].commit_sha.slice(0, 12);
    expect((await page.textContent(`table[data-service="${smokeService}"] tr[data-status="rollback_succeeded"]`)).includes(good),
      'the rolled-back row does not name the last known good commit ' + good);
    expect((await page.textContent('#kpi-cards [data-kpi="rollback_rate"]')).includes('(1)'),
      'the rollback is not counted in the KPIs');

    // 3. audit-tamper: the chain broken at the sequence the run reports.
    const tamper = reuse('audit-tamper', env);
    const bad = tamper.audit.first_bad_sequence ?? tamper.audit.anchor?.sequence;
    expect(bad !== undefined, 'the audit-tamper run reports no first bad sequence: ' + JSON.stringify(tamper.audit));
    await load('audit-tamper');
    expect(await page.getAttribute('#chain', 'data-verdict') === 'broken',
      'after audit-tamper the chain should read broken, not ' + await page.textContent('#chain-verdict'));
    expect(await page.getAttribute('#chain', 'data-first-bad-sequence') === String(bad),
      `the first bad sequence should be ${bad}, the page says ${await page.getAttribute('#chain', 'data-first-bad-sequence')}`);
    // The rest of the table is still shown after the bad entry, its figures marked untrusted.
    const artifacts = await page.locator('#artifact-tables tr[data-commit]').count();
    expect(await page.locator('#timeline-list details[data-artifact]').count() === artifacts,
      `a broken chain should still show every artifact's timeline (${artifacts})`);
    expect(await page.locator('#kpi-cards [data-untrusted]').count() === 1, 'the KPIs are not marked untrusted');
  } finally {
    await browser.close();
  }
}

main()
  .then(() => {
    console.log(`dashboard browser test passed in ${Math.round((Date.now() - started) / 1000)} s; screenshots in ${out}`);
    cleanup();
    process.exit(0);
  })
  .catch((e) => fail(e.stack || String(e)));
