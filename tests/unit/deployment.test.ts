import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { envSchema } from '../../shared/config.js';

const root = path.resolve(import.meta.dirname, '../..');
const compose = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, { environment?: Record<string, string>; command?: string[]; healthcheck?: unknown; image?: string }>;
};

// No Docker engine runs here, so the compose file is checked against the code it starts.
describe('docker-compose.yml', () => {
  it('runs postgres, redis, mailpit, the API and the workers', () => {
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['postgres', 'redis', 'mailpit', 'api', 'workers']));
  });

  it('sets only variables the config schema knows', () => {
    const known = Object.keys(envSchema.shape);
    for (const [name, service] of Object.entries(compose.services)) {
      if (service.image) continue;
      for (const key of Object.keys(service.environment ?? {})) expect(known, `${name}: ${key}`).toContain(key);
    }
  });

  it('starts entrypoints that exist, and health-checks the stateful services and the API', () => {
    for (const service of Object.values(compose.services)) {
      const file = service.command?.find((a) => a.endsWith('.ts'));
      if (file) expect(existsSync(path.join(root, file)), file).toBe(true);
    }
    for (const name of ['postgres', 'redis', 'api', 'workers']) expect(compose.services[name]?.healthcheck, name).toBeDefined();
  });

  it('runs Redis as production needs it: noeviction and AOF', () => {
    const cmd = (compose.services.redis as { command: string[] }).command.join(' ');
    expect(cmd).toContain('--maxmemory-policy noeviction');
    expect(cmd).toContain('--appendonly yes');
  });

  it('the Dockerfile copies every source folder', () => {
    const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8');
    for (const dir of ['services', 'workers', 'migrations', 'shared', 'bin']) expect(dockerfile).toContain(`COPY ${dir} ./${dir}`);
  });
});
