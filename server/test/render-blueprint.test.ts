/**
 * The Render Blueprints (render.yaml, render.free.yaml) checked for shape: only fields and values
 * that Render's Blueprint specification lists, commands that exist in package.json, environment
 * variables that our config schema knows and accepts in production, references that resolve, and a
 * health-check path the web process really serves.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configSchema, loadConfig } from '../src/config';
import { parseCredentialKeys } from '../src/credentials/keys';
import { createApp } from '../src/http/app';
import { NODE_FLAGS } from '../src/runtime';
import { testDeps } from './caller';
import { createTestDatabase, type TestDatabase } from './db';

const root = path.resolve(import.meta.dirname, '../..');
const serverDir = path.join(root, 'server');

// From https://render.com/docs/blueprint-spec (root, service, database and envVars fields).
const SPEC = {
  rootFields: ['services', 'databases', 'envVarGroups', 'projects', 'ungrouped', 'previews'],
  serviceFields: [
    'name',
    'type',
    'runtime',
    'plan',
    'previews',
    'buildCommand',
    'startCommand',
    'schedule',
    'preDeployCommand',
    'region',
    'repo',
    'branch',
    'autoDeployTrigger',
    'domains',
    'healthCheckPath',
    'maxShutdownDelaySeconds',
    'dockerCommand',
    'dockerfilePath',
    'dockerContext',
    'registryCredential',
    'image',
    'numInstances',
    'scaling',
    'buildFilter',
    'rootDir',
    'disk',
    'staticPublishPath',
    'headers',
    'routes',
    'ipAllowList',
    'maxmemoryPolicy',
    'envVars',
  ],
  serviceTypes: ['web', 'pserv', 'worker', 'cron', 'keyvalue'],
  runtimes: ['node', 'python', 'elixir', 'go', 'ruby', 'rust', 'docker', 'image', 'static'],
  servicePlans: ['free', 'starter', 'standard', 'pro', 'pro plus', 'pro max', 'pro ultra'],
  regions: ['oregon', 'ohio', 'virginia', 'frankfurt', 'singapore'],
  databaseFields: [
    'name',
    'plan',
    'previewPlan',
    'diskSizeGB',
    'previewDiskSizeGB',
    'region',
    'ipAllowList',
    'postgresMajorVersion',
    'databaseName',
    'user',
    'readReplicas',
    'highAvailability',
  ],
  databasePlans: [
    'free',
    'basic-256mb',
    'basic-1gb',
    'basic-4gb',
    'pro-4gb',
    'pro-8gb',
    'pro-16gb',
    'pro-32gb',
    'pro-64gb',
    'pro-128gb',
    'pro-192gb',
    'pro-256gb',
    'pro-384gb',
    'pro-512gb',
    'accelerated-16gb',
    'accelerated-32gb',
    'accelerated-64gb',
    'accelerated-128gb',
    'accelerated-256gb',
    'accelerated-384gb',
    'accelerated-512gb',
    'accelerated-768gb',
    'accelerated-1024gb',
  ],
  envVarSources: ['value', 'generateValue', 'sync', 'fromDatabase', 'fromService'],
  databaseProperties: ['connectionString', 'host', 'port', 'user', 'password', 'database'],
} as const;

// Read by Render itself, not by AutomateOS: the Node.js version its native runtime installs.
const PLATFORM_VARS = new Set(['NODE_VERSION']);

interface EnvVar {
  key?: string;
  value?: string | number | boolean;
  generateValue?: boolean;
  sync?: boolean;
  fromDatabase?: { name: string; property: string };
  fromService?: { type: string; name: string; property?: string; envVarKey?: string };
  fromGroup?: string;
}
interface Service {
  type: string;
  name: string;
  runtime: string;
  plan: string;
  region?: string;
  buildCommand: string;
  startCommand: string;
  preDeployCommand?: string;
  healthCheckPath?: string;
  maxShutdownDelaySeconds?: number;
  envVars: EnvVar[];
  [field: string]: unknown;
}
interface Database {
  name: string;
  plan: string;
  region?: string;
  postgresMajorVersion: string;
  [field: string]: unknown;
}
interface Blueprint {
  services: Service[];
  databases: Database[];
}

const scriptsOf = (dir: string) =>
  (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { scripts: Record<string, string> })
    .scripts;
const rootScripts = scriptsOf(root);
const serverScripts = scriptsOf(serverDir);

function load(file: string): Blueprint {
  return parse(readFileSync(path.join(root, file), 'utf8'), { uniqueKeys: true, strict: true }) as Blueprint;
}

/** `npm run <script> [-w @automateos/server]` → the script's body, or undefined. */
function npmScript(command: string): string | undefined {
  const match = /^npm run ([\w:-]+)( -w @automateos\/server)?$/.exec(command);
  if (!match?.[1]) return undefined;
  return (match[2] ? serverScripts : rootScripts)[match[1]];
}

/** The values Render puts in the environment, with stand-ins for what it generates or asks for. */
function renderEnvironment(blueprint: Blueprint, service: Service): Record<string, string> {
  const env: Record<string, string> = {};
  for (const entry of service.envVars) {
    if (!entry.key) continue;
    if (entry.value !== undefined) env[entry.key] = String(entry.value);
    // Render's generator: a base64-encoded 256-bit value.
    else if (entry.generateValue) env[entry.key] = randomBytes(32).toString('base64');
    // Render's internal connection string has this shape (no port, no TLS on the private network).
    else if (entry.fromDatabase) env[entry.key] = 'postgresql://automateos:pw@dpg-d0abc123-a/automateos';
    else if (entry.sync === false) env[entry.key] = `https://${service.name}.onrender.com`;
    else if (entry.fromService) {
      const other = blueprint.services.find((s) => s.name === entry.fromService?.name);
      if (!other) throw new Error(`no service ${entry.fromService.name}`);
      const key = entry.fromService.envVarKey;
      if (key) env[entry.key] = renderEnvironment(blueprint, other)[key] ?? '';
    }
  }
  return env;
}

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb.close();
});

describe.each(['render.yaml', 'render.free.yaml'])('%s', (file) => {
  const blueprint = load(file);
  const free = file === 'render.free.yaml';

  it('uses only fields and values of the Blueprint specification', () => {
    for (const key of Object.keys(blueprint)) expect(SPEC.rootFields).toContain(key);
    expect(blueprint.services.length).toBeGreaterThan(0);
    expect(new Set(blueprint.services.map((s) => s.name)).size).toBe(blueprint.services.length);
    for (const service of blueprint.services) {
      for (const key of Object.keys(service))
        expect(SPEC.serviceFields, `${service.name}.${key}`).toContain(key);
      expect(SPEC.serviceTypes).toContain(service.type);
      expect(service.runtime).toBe('node');
      expect(SPEC.servicePlans).toContain(service.plan);
      if (service.region) expect(SPEC.regions).toContain(service.region);
      // Free instances exist only for web services, and they have no pre-deploy command.
      if (service.plan === 'free') {
        expect(service.type).toBe('web');
        expect(service.preDeployCommand).toBeUndefined();
      }
      if (service.maxShutdownDelaySeconds !== undefined) {
        expect(Number.isInteger(service.maxShutdownDelaySeconds)).toBe(true);
        expect(service.maxShutdownDelaySeconds).toBeGreaterThanOrEqual(1);
        expect(service.maxShutdownDelaySeconds).toBeLessThanOrEqual(300);
      }
      for (const entry of service.envVars) {
        if (entry.fromGroup !== undefined) {
          expect(Object.keys(entry)).toEqual(['fromGroup']);
          continue;
        }
        expect(typeof entry.key).toBe('string');
        const sources = Object.keys(entry).filter((k) => k !== 'key');
        expect(sources, entry.key).toHaveLength(1);
        expect(SPEC.envVarSources).toContain(sources[0]);
        if (entry.sync !== undefined) expect(entry.sync).toBe(false);
        if (entry.generateValue !== undefined) expect(entry.generateValue).toBe(true);
      }
    }
    for (const database of blueprint.databases) {
      for (const key of Object.keys(database))
        expect(SPEC.databaseFields, `${database.name}.${key}`).toContain(key);
      expect(SPEC.databasePlans).toContain(database.plan);
      if (database.region) expect(SPEC.regions).toContain(database.region);
      // The specification wants a string here ("17"), not a YAML number.
      expect(database.postgresMajorVersion).toMatch(/^\d+$/);
    }
  });

  it('has the expected services and database', () => {
    const byType = (type: string) => blueprint.services.filter((s) => s.type === type);
    expect(byType('web')).toHaveLength(1);
    expect(byType('worker')).toHaveLength(free ? 0 : 1);
    expect(blueprint.databases).toHaveLength(1);
    const web = byType('web')[0] as Service;
    expect(web.healthCheckPath).toBe('/readyz');
    if (free) {
      expect(web.plan).toBe('free');
      expect(blueprint.databases[0]?.plan).toBe('free');
    } else {
      for (const service of blueprint.services) expect(service.preDeployCommand).toBeDefined();
    }
    // Services and database in one region, so the internal connection string works.
    const regions = new Set([...blueprint.services, ...blueprint.databases].map((r) => r.region ?? 'oregon'));
    expect(regions.size).toBe(1);
  });

  it('runs commands that exist in package.json, with plain node at run time', () => {
    for (const service of blueprint.services) {
      const [install, ...builds] = service.buildCommand.split(' && ');
      // Render's environment has NODE_ENV=production at build time too: keep the build tools.
      expect(install).toBe('npm ci --include=dev');
      for (const build of builds) expect(npmScript(build), build).toBeDefined();

      if (service.preDeployCommand) {
        const script = npmScript(service.preDeployCommand);
        expect(script, service.preDeployCommand).toBeDefined();
        expect(script).toMatch(/^node dist\/[\w.-]+\.js$/);
      }
      // `node X` from the repository root is the server package's own script `node X` run in server/.
      const startScript = service.type === 'web' ? 'start:prod' : 'worker:prod';
      const script = serverScripts[startScript];
      // With the flags every start of the built processes uses (NODE_FLAGS: npm start, the benchmark).
      expect(script).toBe(
        `node ${NODE_FLAGS.join(' ')} dist/${service.type === 'web' ? 'main' : 'worker'}.js`,
      );
      expect(service.startCommand).toBe(script?.replace(' dist/', ' server/dist/'));
    }
  });

  it('sets only variables the configuration knows, and production accepts them', () => {
    const known = new Set(Object.keys(configSchema.shape));
    for (const service of blueprint.services) {
      for (const { key } of service.envVars) {
        if (key && !PLATFORM_VARS.has(key)) expect(known, `${service.name}: ${key}`).toContain(key);
      }
      const env = renderEnvironment(blueprint, service);
      expect(env.NODE_VERSION).toBe(process.versions.node.split('.')[0]);
      const config = loadConfig(env);
      expect(config.NODE_ENV).toBe('production');
      expect(config.JWT_SECRET?.length).toBeGreaterThanOrEqual(32);
      // Render generates one key without an id: it reads as the key `default`.
      expect(parseCredentialKeys(config.CREDENTIALS_KEYS ?? '').active.id).toBe('default');
      expect(config.DATABASE_URL).toBeDefined();
      if (service.type === 'web') {
        expect(config.TRUST_PROXY).toBe(1);
        expect(config.WORKER_MODE).toBe(free ? 'inline' : 'separate');
        expect(config.MIGRATE_ON_START).toBe(free);
      }
    }
  });

  it('references only resources it defines', () => {
    for (const service of blueprint.services) {
      for (const entry of service.envVars) {
        if (entry.fromDatabase) {
          expect(blueprint.databases.map((d) => d.name)).toContain(entry.fromDatabase.name);
          expect(SPEC.databaseProperties).toContain(entry.fromDatabase.property);
        }
        if (entry.fromService) {
          const other = blueprint.services.find((s) => s.name === entry.fromService?.name);
          expect(other?.type).toBe(entry.fromService.type);
          expect(other?.envVars.map((e) => e.key)).toContain(entry.fromService.envVarKey);
        }
      }
    }
  });

  it('asks for the Postgres major version the tests run against', async () => {
    const [row] = await tdb.sql<{ v: string }[]>`select current_setting('server_version_num') as v`;
    const major = String(Math.floor(Number(row?.v) / 10000));
    expect(blueprint.databases[0]?.postgresMajorVersion).toBe(major);
  });

  it('points the health check at a path the web process serves', async () => {
    const web = blueprint.services.find((s) => s.type === 'web') as Service;
    const server: Server = createApp({ deps: testDeps(tdb.db), sql: tdb.sql }).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const res = await fetch(
        `http://127.0.0.1:${(server.address() as AddressInfo).port}${web.healthCheckPath}`,
      );
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ ok: true });
    } finally {
      server.close();
    }
  });
});
