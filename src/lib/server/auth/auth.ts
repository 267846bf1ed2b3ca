import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { publicOrigin, type Config } from '../config.ts';
import { createLogger } from '../logger.ts';
import { generateId } from '../db/columns.ts';
import type { Db } from '../db/index.ts';
import {
	authAccountsTable,
	sessionsTable,
	usersTable,
	verificationsTable,
	type User
} from '../db/schema/index.ts';

/** Id prefixes of better-auth's models, matching the `id()` prefixes of the schema. */
const ID_PREFIXES: Record<string, string> = {
	user: 'usr',
	session: 'ses',
	account: 'acc',
	verification: 'ver'
};

export const SESSION_COOKIE_PREFIX = 'soho';
export const MIN_PASSWORD_LENGTH = 10;
export const RESET_TOKEN_TTL_SECONDS = 60 * 60;

const log = createLogger({ namespace: 'auth' });

export type ResetPasswordMailRequest = { user: User; token: string };

export type AuthDeps = {
	db: Db;
	config: Config;
	/** Queues the password-reset email (the link must carry `token`). */
	sendResetPasswordMail: (request: ResetPasswordMailRequest) => Promise<void>;
};

/**
 * The auth secret: SOHO_AUTH_SECRET, or outside production a random secret generated
 * once into SOHO_DATA_DIR so that sessions survive restarts of `npm start`.
 */
export function resolveAuthSecret(config: Config): string {
	if (config.authSecret) return config.authSecret;
	const dir = resolve(config.dataDir);
	const path = join(dir, 'auth-secret');
	if (existsSync(path)) return readFileSync(path, 'utf8').trim();
	mkdirSync(dir, { recursive: true });
	const secret = randomBytes(32).toString('base64url');
	writeFileSync(path, secret, { mode: 0o600 });
	return secret;
}

/**
 * better-auth does the cryptography (scrypt hashes, signed session cookies, reset
 * tokens) and stores sessions in our database. Its HTTP routes are not mounted:
 * pages call `auth.api.*` from form actions, which SvelteKit protects against CSRF.
 */
export function createAuth({ db, config, sendResetPasswordMail }: AuthDeps) {
	return betterAuth({
		appName: 'soho',
		baseURL: publicOrigin(config),
		secret: config.isTest
			? (config.authSecret ?? 'test-secret-test-secret-test-secret!')
			: resolveAuthSecret(config),
		database: drizzleAdapter(db, {
			provider: 'pg',
			schema: {
				user: usersTable,
				session: sessionsTable,
				account: authAccountsTable,
				verification: verificationsTable
			}
		}),
		emailAndPassword: {
			enabled: true,
			// Accounts are created by staff and by the application form, never by open sign-up.
			disableSignUp: true,
			minPasswordLength: MIN_PASSWORD_LENGTH,
			maxPasswordLength: 200,
			resetPasswordTokenExpiresIn: RESET_TOKEN_TTL_SECONDS,
			revokeSessionsOnPasswordReset: true,
			sendResetPassword: async ({ user, token }) => {
				await sendResetPasswordMail({ user: user as unknown as User, token });
			}
		},
		// Roles and scopes are in `memberships` (one per programme), read when the actor is built.
		user: {
			additionalFields: {
				locale: { type: 'string', required: false, input: false, defaultValue: 'fr' },
				isDemo: { type: 'boolean', required: false, input: false, defaultValue: false },
				// Set by an operator only (`soho user instance-admin grant`), never by a form.
				isInstanceAdmin: { type: 'boolean', required: false, input: false, defaultValue: false }
			}
		},
		session: { expiresIn: 60 * 60 * 24 * 14, updateAge: 60 * 60 * 24 },
		rateLimit: { enabled: false }, // soho rate-limits sign-in itself (account.service.ts), per email and per IP.
		telemetry: { enabled: false },
		// better-auth's own messages ("Invalid password"...) go to our JSON log at debug level.
		logger: {
			level: 'warn',
			log: (level, message) => (level === 'error' ? log.error(message) : log.debug({ level }, message))
		},
		advanced: {
			cookiePrefix: SESSION_COOKIE_PREFIX,
			database: { generateId: ({ model }) => generateId(ID_PREFIXES[model] ?? model.slice(0, 3)) }
		}
	});
}

export type Auth = ReturnType<typeof createAuth>;
