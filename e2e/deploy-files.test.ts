/**
 * Fast checks of the deployment files without a Docker engine (e2e/compose.test.ts runs the stack
 * itself): the compose environment must load through the backend's real config validation, every
 * path a Dockerfile copies or runs must exist, and nginx's upstreams must match the services.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../backend/src/config.ts';

const ROOT = resolve(import.meta.dirname, '..');
const read = (path: string) => readFileSync(resolve(ROOT, path), 'utf8');

/** The `environment:` map of one compose service, with `${VAR:-default}` taken at its default. */
function composeEnvironment(compose: string, service: string): Record<string, string> {
  const lines = compose.split('\n');
  const start = lines.findIndex((l) => l === `  ${service}:`);
  if (start < 0) throw new Error(`docker-compose.yml has no service "${service}"`);
  const env: Record<string, string> = {};
  let inEnv = false;
  for (const line of lines.slice(start + 1)) {
    if (/^ {2}\S/.test(line) || /^\S/.test(line)) break; // next service or top-level key
    if (/^ {4}environment:\s*$/.test(line)) { inEnv = true; continue; }
    if (inEnv && /^ {4}\S/.test(line)) break;
    const match = inEnv ? /^ {6}([A-Z0-9_]+):\s*(.*)$/.exec(line) : null;
    if (match) env[match[1]!] = match[2]!.replace(/^"(.*)"$/, '$1').replace(/^\$\{[A-Z0-9_]+:-(.*)\}$/, '$1');
  }
  return env;
}

function dockerfileSources(dockerfile: string): string[] {
  return [...dockerfile.matchAll(/^COPY (?!--from)(.+)$/gm)].flatMap((m) => m[1]!.trim().split(/\s+/).slice(0, -1));
}

describe('docker-compose.yml', () => {
  const compose = read('docker-compose.yml');

  it('passes the backend environment through the real config validation', () => {
    const env = composeEnvironment(compose, 'backend');
    expect(env.ALMREADY_TRUST_PROXY).toBe('1');
    expect(env.ALMREADY_DATA_DIR).toBe('/data');
    const dataDir = mkdtempSync(join(tmpdir(), 'almready-compose-'));
    try {
      const config = loadConfig({ ...env, ALMREADY_DATA_DIR: dataDir }, ROOT);
      expect(config.trustProxy).toBe(true);
      expect(config.port).toBe(8080);
      expect(config.maxUploadMb).toBe(512);
      expect(config.sessionTtlDays).toBe(30);
      expect(config.corsOrigins).toEqual([]);
      expect(config.adminPassword).toBeNull();
      expect(config.publicUrl).toBeNull();
      expect(loadConfig({ ...env, ALMREADY_DATA_DIR: dataDir, ALMREADY_PUBLIC_URL: 'https://alm.bank.internal:8443/' }, ROOT).publicUrl).toBe('https://alm.bank.internal:8443');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('Dockerfiles', () => {
  it('copy only paths that exist and start the CLI entry that exists', () => {
    for (const file of ['docker/backend.Dockerfile', 'docker/frontend.Dockerfile']) {
      const missing = dockerfileSources(read(file)).filter((source) => !existsSync(resolve(ROOT, source)));
      expect(missing, file).toEqual([]);
    }
    const backend = read('docker/backend.Dockerfile');
    const cmd = /^CMD \["node", "([^"]+)", "serve"\]$/m.exec(backend);
    expect(cmd?.[1]).toBe('backend/bin/almready.mjs');
    expect(existsSync(resolve(ROOT, cmd![1]!))).toBe(true);
  });
});

describe('nginx upstreams', () => {
  it('point at the compose services and the ports they listen on', () => {
    const nginx = read('docker/nginx.conf');
    const compose = read('docker-compose.yml');
    expect(nginx).toContain(`set $almready_backend backend:${composeEnvironment(compose, 'backend').ALMREADY_PORT};`);
    const frontendPort = /^\s*listen (\d+);/m.exec(read('docker/frontend-nginx.conf'))?.[1];
    expect(frontendPort).toBeDefined();
    expect(nginx).toContain(`set $almready_frontend frontend:${frontendPort};`);
  });
});
