import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createStaff, deactivateStaff, resetStaffPassword } from '../services/staff/index.js';
import { loadConfig } from '../shared/config/index.js';
import { createLogger } from '../shared/logger/index.js';
import { createServiceContext, openInfrastructure } from '../shared/runtime/index.js';
import { createStaffSchema, passwordSchema } from '../shared/staff/index.js';

const usage = `Staff accounts (npm run staff -- <command> [options]):
  create     --email E --name N --role inspector|regulator|admin --jurisdiction 410702 [--specialties metrology,child_safety] [--password P]
  deactivate --email E
  reset      --email E [--password P]
A password left out is generated and printed once.`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    email: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string' },
    jurisdiction: { type: 'string' },
    specialties: { type: 'string' },
    password: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

const command = positionals[0];
if (values.help || !command || !['create', 'deactivate', 'reset'].includes(command) || !values.email) {
  console.log(usage);
  process.exit(values.help ? 0 : 2);
}

const config = loadConfig();
const logger = createLogger('warn');
const infra = await openInfrastructure(config, logger, { allowEmbedded: true, migrate: true });
const ctx = createServiceContext({ db: infra.db, config, logger });
const generated = values.password ? undefined : randomBytes(12).toString('base64url');
const password = values.password ?? generated!;
try {
  if (command === 'create') {
    const input = createStaffSchema.parse({
      email: values.email,
      name: values.name,
      role: values.role,
      jurisdictionCode: values.jurisdiction,
      specialties: values.specialties ? values.specialties.split(',').map((s) => s.trim()) : [],
      password,
    });
    console.log(JSON.stringify(await createStaff(ctx, { account: input })));
  } else if (command === 'deactivate') {
    console.log(JSON.stringify(await deactivateStaff(ctx, { by: { email: values.email } })));
  } else {
    console.log(JSON.stringify(await resetStaffPassword(ctx, { by: { email: values.email }, password: passwordSchema.parse(password) })));
  }
  if (generated && command !== 'deactivate') console.log(`password: ${generated}`);
} catch (err) {
  console.error(
    err instanceof z.ZodError
      ? err.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n')
      : err instanceof Error
        ? err.message
        : err,
  );
  process.exitCode = 1;
} finally {
  await infra.close();
}
