import { createAuth, type Auth } from './auth/auth.ts';
import { parseConfig, type Config } from './config.ts';
import { seedDemo } from './demo/demo.ts';
import type { DemoSeedResult } from './demo/demo.types.ts';
import { SCHEDULED_JOBS } from './jobs/registry.ts';
import { startScheduler } from './jobs/scheduler.ts';
import { createLogger, LOG_FILE } from './logger.ts';
import { startMailWorker } from './mail/mail.worker.ts';
import { createDiskStorage, type FileStorage } from './files/storage.ts';
import { openDatabase, type OpenDatabase } from './runtime.ts';
import { PublicPageCache, watchPublicCacheVersion } from './http/public-cache.ts';
import { ObservatoryCache, watchObservatoryVersion } from './domain/observatory/observatory-cache.ts';
import { queuePasswordResetMail } from './domain/account/account.mails.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from './domain/account/account.seed.ts';
import { DEMO_EMPLOYMENT_PARTNER } from './domain/workspace/workspace.seed.ts';
import { openSetup } from './domain/setup/setup.service.ts';
import { describeProgramme, type ProgrammeOverview } from './domain/programme/programme-territory.service.ts';
import { listProgrammes } from './domain/programme/programme.service.ts';
import type { Db } from './db/index.ts';

const log = createLogger({ namespace: 'app' });

export type AppState = {
	config: Config;
	database: OpenDatabase;
	auth: Auth;
	/** Uploaded files (photos), content-addressed under SOHO_DATA_DIR/files. */
	storage: FileStorage;
	/** Sends queued mail; call `kick()` after a commit that queued a message to send it now. */
	mailer: { kick: () => Promise<void>; isActive: boolean };
	/**
	 * Rendered public pages (http/public-cache.ts), dropped when the database notifies a write;
	 * `afterWrite` checks the version after a write request of this process.
	 */
	publicCache: { pages: PublicPageCache; afterWrite: () => Promise<void> };
	/**
	 * Observatory results (domain/observatory/observatory-cache.ts), dropped when the database
	 * notifies a write to what the observatory reads; each read also checks the version.
	 */
	observatoryCache: ObservatoryCache;
	/** What start-up did, for the banner printed by `npm start`. */
	startup: {
		seed: DemoSeedResult | null;
		/** The demo programme's accounts, printed by `npm start` (null when not seeding the demo). */
		demo: { programme: string; password: string; accounts: { email: string; role: string }[] } | null;
		/** While no admin exists: the one-time code that opens /setup, printed by `npm start` (only its hash is stored). */
		setupCode: string | null;
		/** Where the JSON logs go when not to standard output. */
		logFile: string | null;
		/** What is missing and how to fix it, one line each (for the operator's terminal). */
		notes: string[];
	};
	stop: () => Promise<void>;
};

let current: AppState | undefined;
let starting: Promise<AppState> | undefined;

/**
 * Starts the server side of soho once: config, database (migrated), demo seed when
 * asked and the database is empty, background workers.
 */
export function startApp(env: Record<string, string | undefined> = process.env): Promise<AppState> {
	starting ??= (async () => {
		const config = parseConfig(env);
		const database = await openDatabase(config, { owner: 'server' });
		log.info({ database: database.kind }, 'Database ready');
		// Several nodes may start together on one PostgreSQL: one at a time seeds the demo (the
		// others find it seeded) and issues the setup code (the code printed last is the valid one).
		const { seed, setupCode } = await database.exclusive(async () => {
			let seed: DemoSeedResult | null = null;
			if (config.seedDemo) {
				seed = await seedDemo(
					{ log: (line) => process.stdout.write(`  ${line}\n`) },
					{ db: database.db, config }
				);
				log.info({ status: seed.status }, 'Demo seed');
			}
			// No admin yet (no demo): a new one-time code opens /setup; it is printed, never logged.
			const { code: setupCode } = await openSetup({}, { db: database.db });
			return { seed, setupCode };
		});
		if (setupCode) log.info('Setup open: no admin yet');
		const auth = createAuth({
			db: database.db,
			config,
			sendResetPasswordMail: async ({ user, token }) => {
				await queuePasswordResetMail({ user, token }, { db: database.db, config });
				// Send now, without making the person wait for the SMTP exchange.
				void current?.mailer?.kick();
			}
		});
		const stoppers: Array<() => Promise<void> | void> = [];
		const pages = new PublicPageCache({
			maxBytes: config.publicCacheMb * 1024 * 1024,
			maxAgeMs: config.publicCacheMaxAgeSeconds * 1000
		});
		const publicCacheWatch = pages.isEnabled
			? await watchPublicCacheVersion({ cache: pages }, { database })
			: { afterWrite: async () => {}, stop: async () => {} };
		stoppers.push(publicCacheWatch.stop);
		const observatoryCache = new ObservatoryCache({ maxBytes: config.observatoryCacheMb * 1024 * 1024 });
		if (observatoryCache.isEnabled)
			stoppers.push((await watchObservatoryVersion({ cache: observatoryCache }, { database })).stop);
		const mailWorker = startMailWorker({ db: database.db, config });
		stoppers.push(mailWorker.stop);
		// Scheduled jobs (reminders, digests...). Several nodes may run it: each period is claimed once.
		if (!config.isTest) stoppers.push(startScheduler({ db: database.db, config, jobs: SCHEDULED_JOBS }).stop);
		const state: AppState = {
			config,
			database,
			auth,
			storage: createDiskStorage({ dataDir: config.dataDir }),
			mailer: { kick: mailWorker.kick, isActive: mailWorker.isActive },
			publicCache: { pages, afterWrite: publicCacheWatch.afterWrite },
			observatoryCache,
			startup: {
				seed,
				setupCode,
				logFile: LOG_FILE,
				notes: await startupNotes({ db: database.db, config }),
				demo: seed
					? {
							programme: seed.programme.name,
							password: DEMO_PASSWORD,
							accounts: [
								...DEMO_ACCOUNTS.map(({ email, role }) => ({ email, role })),
								{ email: DEMO_EMPLOYMENT_PARTNER.email, role: 'partner' }
							]
						}
					: null
			},
			stop: async () => {
				for (const stop of stoppers.reverse()) await stop();
				await database.close();
				current = undefined;
				starting = undefined;
			}
		};
		current = state;
		(globalThis as Record<symbol, unknown>)[Symbol.for('soho.app')] = state;
		return state;
	})();
	return starting;
}

function describeMissing(slug: string, item: ProgrammeOverview['missing'][number]): string {
	switch (item.key) {
		case 'no_metropole':
			return `programme ${slug}: no metropole, so no distances — soho programme set ${slug} metropole INSEE_CODE`;
		case 'no_metropole_position':
			return `programme ${slug}: the metropole's position is unknown, so no distances — soho programme set ${slug} metropole-position LAT,LON`;
		case 'no_communes':
			return `programme ${slug}: no commune of département ${item.departement} — soho territory init --departement ${item.departement} --programme ${slug}`;
		case 'no_outlines':
			return `programme ${slug}: communes of département ${item.departement} have no outline, so the map is empty — import them in the back office or with soho geo fetch --programme ${slug}`;
	}
}

/** What an operator should know at start: what is missing and how to fix it (English, like the rest of the banner). */
async function startupNotes({ db, config }: { db: Db; config: Config }): Promise<string[]> {
	const notes: string[] = [];
	if (!config.smtpUrl) {
		notes.push(
			'mail is not sent: it waits in the outbox that admins read at /backoffice/outbox — set SMTP_URL to send it'
		);
	}
	for (const programme of (await listProgrammes({}, { db })).programmes) {
		const overview = await describeProgramme({ slug: programme.slug }, { db });
		for (const item of overview.missing) notes.push(describeMissing(programme.slug, item));
	}
	return notes;
}

/** The running app; throws if start-up has not completed. */
export function getApp(): AppState {
	if (!current) throw new Error('soho is not started');
	return current;
}

export async function stopApp(): Promise<void> {
	if (current) await current.stop();
}
