import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { createDiskStorage } from './storage.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'soho-files-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

test('files are stored under a content-addressed key, read back and deleted', async () => {
	const storage = createDiskStorage({ dataDir });
	const bytes = new TextEncoder().encode('photo of the village square');
	const { key } = await storage.put(bytes, 'webp');
	expect(key).toMatch(/^[a-f0-9]{64}\.webp$/);
	expect((await storage.put(bytes, 'webp')).key).toBe(key);
	expect(Buffer.from((await storage.get(key))!).toString()).toBe('photo of the village square');
	await storage.delete(key);
	expect(await storage.get(key)).toBeNull();
});

test('a key that tries to leave the storage folder is refused', async () => {
	const storage = createDiskStorage({ dataDir });
	expect(await storage.get('../../etc/passwd')).toBeNull();
	await expect(storage.delete('../x')).resolves.toBeUndefined();
});
