// Copies the files the compiled code reads at run time (static web assets) next to it: node bin/copy-assets.mjs dist
import { cpSync, existsSync } from 'node:fs';
import path from 'node:path';

const out = process.argv[2] ?? 'dist';
for (const dir of ['services/web/static']) {
  if (existsSync(dir)) cpSync(dir, path.join(out, dir), { recursive: true });
}
