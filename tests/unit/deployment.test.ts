import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { envSchema } from '../../shared/config/index.js';

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

  it('starts compiled entrypoints whose sources exist, and health-checks the stateful services and the API', () => {
    for (const service of Object.values(compose.services)) {
      const file = service.command?.find((a) => a.startsWith('dist/'));
      if (file) expect(existsSync(path.join(root, file.replace(/^dist\//, '').replace(/\.js$/, '.ts'))), file).toBe(true);
    }
    for (const name of ['postgres', 'redis', 'api', 'workers']) expect(compose.services[name]?.healthcheck, name).toBeDefined();
  });

  it('runs Redis as production needs it: noeviction and AOF', () => {
    const cmd = (compose.services.redis as { command: string[] }).command.join(' ');
    expect(cmd).toContain('--maxmemory-policy noeviction');
    expect(cmd).toContain('--appendonly yes');
  });

  it('the Dockerfile builds every source folder and runs the compiled API as the node user with a data volume', () => {
    const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8');
    for (const dir of ['services', 'workers', 'migrations', 'shared', 'bin']) expect(dockerfile).toContain(`COPY ${dir} ./${dir}`);
    expect(dockerfile).toContain('RUN npm run build');
    expect(dockerfile).toMatch(/chown node:node \/app\/data/);
    expect(dockerfile).toContain('USER node');
    expect(dockerfile).toContain('VOLUME ["/app/data"]');
    expect(dockerfile).toContain('CMD ["node", "dist/services/main.js"]');
    const ignored = readFileSync(path.join(root, '.dockerignore'), 'utf8').split('\n');
    for (const dir of ['services', 'workers', 'migrations', 'shared', 'bin']) expect(ignored).not.toContain(dir);
  });

  it('keeps the app services’ data on a volume', () => {
    for (const name of ['api', 'workers']) expect(JSON.stringify(compose.services[name])).toContain('/app/data');
  });
});
