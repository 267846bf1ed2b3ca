import type { Config } from './config.ts';
import { createDb, pgliteDir, redactUrl, type DbHandle } from './db/index.ts';
import { acquireDataDirLock, type LockOwner } from './db/lock.ts';

export type OpenDatabase = DbHandle & { description: string };

/**
 * Opens the configured database for the server or the CLI: PostgreSQL when
 * DATABASE_URL is set (with the observatory's replica of SOHO_READ_DATABASE_URL), otherwise
 * PGlite in SOHO_DATA_DIR guarded by the lock file.
 * Applies pending migrations unless `migrate: false`.
 */
export async function openDatabase(
	config: Config,
	{ owner, migrate = true }: { owner: LockOwner; migrate?: boolean }
): Promise<OpenDatabase> {
	if (config.databaseUrl) {
		const handle = await createDb({ url: config.databaseUrl, readUrl: config.readDatabaseUrl });
		if (migrate) await handle.migrate();
		const replica = config.readDatabaseUrl ? `, observatory reads ${redactUrl(config.readDatabaseUrl)}` : '';
		return { ...handle, description: `PostgreSQL ${redactUrl(config.databaseUrl)}${replica}` };
	}
	const release = acquireDataDirLock(config.dataDir, owner);
	try {
		const dir = pgliteDir(config.dataDir);
		const handle = await createDb({ dataDir: dir });
		if (migrate) await handle.migrate();
		return {
			...handle,
			description: `PGlite ${dir}`,
			close: async () => {
				try {
					await handle.close();
				} finally {
					release();
				}
			}
		};
	} catch (error) {
		release();
		throw error;
	}
}
