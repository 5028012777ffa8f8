import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Where attachment bytes live. The file store is the default; object storage can implement the same calls. */
export interface AttachmentStorage {
  put(key: string, bytes: Uint8Array): Promise<void>;
  get(key: string): Promise<Uint8Array>;
  delete(key: string): Promise<void>;
  /** Every stored key with when it was written, for the orphan sweep. */
  list(): AsyncIterable<{ key: string; writtenAt: Date }>;
}

const safeKey = /^[a-z0-9][a-z0-9/-]{0,200}$/;

export class FileStorage implements AttachmentStorage {
  constructor(private readonly root: string) {}

  private file(key: string) {
    if (!safeKey.test(key) || key.includes('..')) throw new Error(`unsafe storage key ${key}`);
    return path.join(this.root, key);
  }

  async put(key: string, bytes: Uint8Array) {
    const file = this.file(key);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, bytes, { flag: 'wx', mode: 0o600 });
  }

  get(key: string) {
    return readFile(this.file(key));
  }

  async delete(key: string) {
    await rm(this.file(key), { force: true });
  }

  async *list(): AsyncIterable<{ key: string; writtenAt: Date }> {
    let entries;
    try {
      entries = await readdir(this.root, { recursive: true, withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    for (const e of entries) {
      if (!e.isFile()) continue;
      const full = path.join(e.parentPath, e.name);
      const key = path.relative(this.root, full).split(path.sep).join('/');
      if (!safeKey.test(key)) continue;
      yield { key, writtenAt: (await stat(full)).mtime };
    }
  }
}
