import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile, rename } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/**
 * Where uploaded files live. Local disk under SOHO_DATA_DIR/files by default; the
 * interface is small so an S3-compatible store can implement it.
 */
export type FileStorage = {
	/** Stores the bytes under a content-addressed key and returns it (same bytes → same key). */
	put: (data: Uint8Array, extension: string) => Promise<{ key: string }>;
	get: (key: string) => Promise<Uint8Array | null>;
	delete: (key: string) => Promise<void>;
};

const KEY_PATTERN = /^[a-f0-9]{64}\.[a-z0-9]{2,5}$/;

export function isFileKey(key: string): boolean {
	return KEY_PATTERN.test(key);
}

export function createDiskStorage({ dataDir }: { dataDir: string }): FileStorage {
	const root = join(resolve(dataDir), 'files');
	// Two levels of folders keep directories small; keys are validated so no path escapes root.
	const pathOf = (key: string) => {
		if (!isFileKey(key)) throw new Error(`Invalid file key: ${key}`);
		return join(root, key.slice(0, 2), key);
	};
	return {
		async put(data, extension) {
			const key = `${createHash('sha256').update(data).digest('hex')}.${extension}`;
			const path = pathOf(key);
			await mkdir(join(root, key.slice(0, 2)), { recursive: true });
			// Unique per write: nodes sharing the folder (one volume, every container its own pid 1) never share a partial file.
			const partial = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.partial`;
			await writeFile(partial, data);
			await rename(partial, path);
			return { key };
		},
		async get(key) {
			if (!isFileKey(key)) return null;
			try {
				return await readFile(pathOf(key));
			} catch (error) {
				if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
				throw error;
			}
		},
		async delete(key) {
			if (isFileKey(key)) await rm(pathOf(key), { force: true });
		}
	};
}
