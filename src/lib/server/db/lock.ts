import { existsSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * PGlite runs inside one process: two processes opening the same data directory
 * would corrupt it. The server and the CLI take this lock file before opening it.
 */
export type LockOwner = 'server' | 'cli';
type LockInfo = { pid: number; owner: LockOwner; startedAt: string };

export class DataDirLockedError extends Error {
	constructor(
		readonly dataDir: string,
		readonly holder: LockInfo
	) {
		super(
			holder.owner === 'server'
				? `The data directory ${dataDir} is in use by a running soho server (pid ${holder.pid}). Stop the server first, or set DATABASE_URL to use PostgreSQL.`
				: `The data directory ${dataDir} is in use by another soho command (pid ${holder.pid}). Wait for it to finish.`
		);
		this.name = 'DataDirLockedError';
	}
}

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

export function lockPath(dataDir: string): string {
	return join(resolve(dataDir), 'soho.lock');
}

/** Who holds the data directory, if a live process does. */
export function readDataDirLock(dataDir: string): LockInfo | null {
	const path = lockPath(dataDir);
	if (!existsSync(path)) return null;
	try {
		const info = JSON.parse(readFileSync(path, 'utf8')) as LockInfo;
		return isAlive(info.pid) && info.pid !== process.pid ? info : null;
	} catch {
		return null;
	}
}

/** Takes the lock or throws DataDirLockedError; returns the function that releases it. */
export function acquireDataDirLock(dataDir: string, owner: LockOwner): () => void {
	const holder = readDataDirLock(dataDir);
	if (holder) throw new DataDirLockedError(resolve(dataDir), holder);
	mkdirSync(resolve(dataDir), { recursive: true });
	const path = lockPath(dataDir);
	const info: LockInfo = { pid: process.pid, owner, startedAt: new Date().toISOString() };
	writeFileSync(path, JSON.stringify(info));
	let released = false;
	const release = () => {
		if (released) return;
		released = true;
		try {
			const current = JSON.parse(readFileSync(path, 'utf8')) as LockInfo;
			if (current.pid === process.pid) rmSync(path, { force: true });
		} catch {
			// Already gone.
		}
	};
	process.once('exit', release);
	return release;
}
