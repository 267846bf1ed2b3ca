import { boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { id, timestamps } from '../columns.ts';

export const ROLES = ['admin', 'advisor', 'committee', 'partner', 'member', 'candidate'] as const;
/** admin, advisor (programme staff), committee (village), partner (organisation), member (installed solo), candidate. */
export type Role = (typeof ROLES)[number];

/*
 * A person's role and scope in a programme live in `memberships` (schema/people.ts),
 * not in the user row: one person may hold roles in several programmes.
 *
 * The four tables below are the ones better-auth needs (user, session, account,
 * verification). Property names must stay as better-auth expects them; SQL names
 * follow our snake_case plural convention.
 */
export const usersTable = pgTable(
	'users',
	{
		id: id('usr'),
		name: text('name').notNull(),
		email: text('email').notNull(),
		emailVerified: boolean('email_verified').notNull().default(false),
		image: text('image'),
		locale: text('locale').$type<'fr' | 'en'>().notNull().default('fr'),
		/** Demo accounts are synthetic and labelled as such. */
		isDemo: boolean('is_demo').notNull().default(false),
		/**
		 * Instance admin (set by an operator, `soho user instance-admin grant`): creates, suspends and
		 * resumes programmes and sees their usage on /instance. Not programme staff by itself: it
		 * gives no access to any programme's households (a membership does).
		 */
		isInstanceAdmin: boolean('is_instance_admin').notNull().default(false),
		...timestamps()
	},
	(table) => [
		// Sign-in looks users up by email, which is unique on the instance.
		uniqueIndex('users_email_unique').on(table.email)
	]
);

export const sessionsTable = pgTable(
	'sessions',
	{
		id: id('ses'),
		token: text('token').notNull(),
		userId: text('user_id')
			.notNull()
			.references(() => usersTable.id, { onDelete: 'cascade' }),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		ipAddress: text('ip_address'),
		userAgent: text('user_agent'),
		/** Last request seen on this session (refreshed at most once a minute); idle sessions end. */
		lastActiveAt: timestamp('last_active_at', { withTimezone: true }).notNull().defaultNow(),
		/** Password accepted, second factor still awaited: the session grants nothing yet. */
		isTwoFactorPending: boolean('is_two_factor_pending').notNull().default(false),
		/** Wrong second-factor codes typed on this pending session (it ends after a few). */
		twoFactorFailures: integer('two_factor_failures').notNull().default(0),
		...timestamps()
	},
	(table) => [
		// Every request resolves its session by the cookie's token.
		uniqueIndex('sessions_token_unique').on(table.token),
		index('sessions_user_idx').on(table.userId)
	]
);

export const authAccountsTable = pgTable(
	'auth_accounts',
	{
		id: id('acc'),
		accountId: text('account_id').notNull(),
		providerId: text('provider_id').notNull(),
		userId: text('user_id')
			.notNull()
			.references(() => usersTable.id, { onDelete: 'cascade' }),
		accessToken: text('access_token'),
		refreshToken: text('refresh_token'),
		idToken: text('id_token'),
		accessTokenExpiresAt: timestamp('access_token_expires_at', { withTimezone: true }),
		refreshTokenExpiresAt: timestamp('refresh_token_expires_at', { withTimezone: true }),
		scope: text('scope'),
		/** Password hash (scrypt, by better-auth) for the credential provider. */
		password: text('password'),
		...timestamps()
	},
	(table) => [index('auth_accounts_user_idx').on(table.userId)]
);

export const verificationsTable = pgTable(
	'verifications',
	{
		id: id('ver'),
		identifier: text('identifier').notNull(),
		value: text('value').notNull(),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		...timestamps()
	},
	(table) => [
		// Password-reset tokens are looked up by identifier.
		index('verifications_identifier_idx').on(table.identifier)
	]
);

/**
 * A user's TOTP second factor (RFC 6238). `enabledAt` is null while the enrolment awaits its
 * first code. Recovery codes are stored as SHA-256 hashes and removed when used.
 */
export const twoFactorsTable = pgTable(
	'two_factors',
	{
		id: id('tfa'),
		userId: text('user_id')
			.notNull()
			.references(() => usersTable.id, { onDelete: 'cascade' }),
		/** Base32 TOTP secret. */
		secret: text('secret').notNull(),
		recoveryCodeHashes: jsonb('recovery_code_hashes').$type<string[]>().notNull().default([]),
		/** The last accepted 30-second step: a code of this step or an earlier one is refused (no replay). */
		lastUsedStep: integer('last_used_step'),
		enabledAt: timestamp('enabled_at', { withTimezone: true }),
		...timestamps()
	},
	(table) => [uniqueIndex('two_factors_user_unique').on(table.userId)]
);

export type TwoFactor = typeof twoFactorsTable.$inferSelect;

/**
 * Every sign-in attempt, kept to rate-limit by email + IP address and by IP address. A row is
 * written BEFORE the password is checked (`is_success` null while it is being checked), under
 * an advisory lock, so parallel requests cannot all pass the count before any is recorded.
 */
export const signInAttemptsTable = pgTable(
	'sign_in_attempts',
	{
		id: id('sia'),
		email: text('email').notNull(),
		ipAddress: text('ip_address'),
		/** null while the password is being checked (counted as a failure until then). */
		isSuccess: boolean('is_success'),
		/** Set when the account owner used an unlock link: the failure no longer locks them out. */
		clearedAt: timestamp('cleared_at', { withTimezone: true }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(table) => [
		// The rate limit counts recent failures per email (and IP address) and per IP address.
		index('sign_in_attempts_email_idx').on(table.email, table.createdAt),
		index('sign_in_attempts_ip_idx').on(table.ipAddress, table.createdAt)
	]
);

/**
 * One-time links mailed to an account owner when sign-in got locked for their email: the link
 * clears the failures that lock it. Only the SHA-256 of the token is stored.
 */
export const signInUnlocksTable = pgTable(
	'sign_in_unlocks',
	{
		id: id('siu'),
		email: text('email').notNull(),
		/** SHA-256 of the link's token, hex. */
		tokenHash: text('token_hash').notNull(),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		usedAt: timestamp('used_at', { withTimezone: true }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(table) => [
		// The unlock page finds the link by its token's hash.
		uniqueIndex('sign_in_unlocks_token_unique').on(table.tokenHash)
	]
);

/**
 * Password-less sign-in links (candidates get one on applying, anyone may ask for one on the
 * sign-in page): valid once and briefly. Only the SHA-256 of the token is stored; a used link
 * keeps its row (`used_at`) so the page can tell "already used" from "expired".
 */
export const signInLinksTable = pgTable(
	'sign_in_links',
	{
		id: id('sil'),
		userId: text('user_id')
			.notNull()
			.references(() => usersTable.id, { onDelete: 'cascade' }),
		/** SHA-256 of the link's token, hex. */
		tokenHash: text('token_hash').notNull(),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		usedAt: timestamp('used_at', { withTimezone: true }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(table) => [
		// The link page finds the link by its token's hash.
		uniqueIndex('sign_in_links_token_unique').on(table.tokenHash),
		index('sign_in_links_user_idx').on(table.userId)
	]
);

export type SignInLink = typeof signInLinksTable.$inferSelect;

export type User = typeof usersTable.$inferSelect;
