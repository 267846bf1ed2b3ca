import * as v from 'valibot';

/**
 * Every operator setting, defined once: its environment variable, its schema, its
 * default and one sentence of documentation. `.env.example` is generated from this
 * list (`soho config example`), and a test checks that the committed file is current.
 */
const booleanSchema = v.pipe(
	v.picklist(['true', 'false', '1', '0', 'yes', 'no'], 'must be true or false'),
	v.transform((value) => ['true', '1', 'yes'].includes(value))
);
const integerSchema = (min: number, max: number) =>
	v.pipe(
		v.string(),
		v.regex(/^\d+$/, 'must be a whole number'),
		v.transform(Number),
		v.minValue(min, `must be at least ${min}`),
		v.maxValue(max, `must be at most ${max}`)
	);
const urlSchema = (protocols: string[]) =>
	v.pipe(
		v.string(),
		v.check(
			(value) => {
				try {
					return protocols.includes(new URL(value).protocol);
				} catch {
					return false;
				}
			},
			`must be a URL starting with ${protocols.map((p) => p + '//').join(' or ')}`
		)
	);

export const configDefinition = {
	databaseUrl: {
		env: 'DATABASE_URL',
		schema: v.optional(urlSchema(['postgres:', 'postgresql:'])),
		default: undefined,
		doc: 'PostgreSQL connection URL (production). When unset, soho uses the embedded PGlite database in SOHO_DATA_DIR.'
	},
	readDatabaseUrl: {
		env: 'SOHO_READ_DATABASE_URL',
		schema: v.optional(urlSchema(['postgres:', 'postgresql:'])),
		default: undefined,
		doc: 'Read-only PostgreSQL connection URL (a streaming replica of DATABASE_URL): the observatory’s pages, API, exports and report read there, everything else uses DATABASE_URL. Their figures may lag the primary by the replication delay. Ignored without DATABASE_URL.'
	},
	dataDir: {
		env: 'SOHO_DATA_DIR',
		schema: v.pipe(v.string(), v.minLength(1, 'must not be empty')),
		default: './data',
		doc: 'Folder for the embedded database (pglite/), the generated auth secret and uploaded files.'
	},
	port: {
		env: 'PORT',
		schema: integerSchema(1, 65535),
		default: '3000',
		doc: 'HTTP port the web server listens on.'
	},
	host: {
		env: 'HOST',
		schema: v.pipe(v.string(), v.minLength(1, 'must not be empty')),
		default: '0.0.0.0',
		doc: 'Network interface the web server listens on.'
	},
	origin: {
		env: 'ORIGIN',
		schema: v.optional(urlSchema(['http:', 'https:'])),
		default: undefined,
		doc: 'Public URL of the site (used in emails and for CSRF checks). Defaults to http://localhost:PORT. Leave unset when programmes have host names of their own (behind a proxy, set PROTOCOL_HEADER and HOST_HEADER instead).'
	},
	authSecret: {
		env: 'SOHO_AUTH_SECRET',
		schema: v.optional(v.pipe(v.string(), v.minLength(32, 'must be at least 32 characters long'))),
		default: undefined,
		doc: 'Secret used to sign sessions and tokens (32+ characters). Required in production; otherwise generated once into SOHO_DATA_DIR.'
	},
	smtpUrl: {
		env: 'SMTP_URL',
		schema: v.optional(urlSchema(['smtp:', 'smtps:'])),
		default: undefined,
		doc: 'SMTP server for outgoing mail, e.g. smtp://user:password@mail.example.org:587. When unset, mail stays in the outbox that admins read in the app.'
	},
	mailFrom: {
		env: 'MAIL_FROM',
		schema: v.pipe(v.string(), v.minLength(3, 'must not be empty')),
		default: 'soho <no-reply@localhost>',
		doc: 'Sender address of outgoing mail.'
	},
	logLevel: {
		env: 'LOG_LEVEL',
		schema: v.picklist(
			['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
			'must be one of fatal, error, warn, info, debug, trace, silent'
		),
		default: 'info',
		doc: 'Minimum level of the JSON logs. At debug or trace they are written to standard output even on a terminal.'
	},
	logFile: {
		env: 'SOHO_LOG_FILE',
		schema: v.optional(v.pipe(v.string(), v.minLength(1, 'must not be empty'))),
		default: undefined,
		doc: 'File for the JSON logs. When unset, they go to SOHO_DATA_DIR/logs/soho.log if standard output is a terminal (npm start keeps it for readable lines), and to standard output otherwise (a service, docker). "-" means standard output.'
	},
	seedDemo: {
		env: 'SOHO_SEED_DEMO',
		schema: booleanSchema,
		default: 'false',
		doc: 'Seed the synthetic demo programme "Gers" when the database is empty (npm start turns this on).'
	},
	geoFile: {
		env: 'SOHO_GEO_FILE',
		schema: v.optional(v.pipe(v.string(), v.minLength(1))),
		default: undefined,
		doc: 'GeoJSON file of commune outlines imported by the demo seed. Unset: the outlines bundled with soho when they cover the programme (the Gers), otherwise geo.api.gouv.fr. `none`: no outlines.'
	},
	inseeDir: {
		env: 'SOHO_INSEE_DIR',
		schema: v.optional(v.pipe(v.string(), v.minLength(1))),
		default: undefined,
		doc: "Folder with INSEE's commune table (table-appartenance-geo-communes-*.csv or .xlsx) and the COG cantons file (cog-cantons*.csv or v_canton*.csv), imported by the demo seed. Unset: the tables bundled with soho when they cover the programme (the Gers). `none`: no INSEE attributes."
	},
	geoApiUrl: {
		env: 'SOHO_GEO_API_URL',
		schema: urlSchema(['http:', 'https:']),
		default: 'https://geo.api.gouv.fr',
		doc: 'Base URL of the French geographic API used by `soho geo fetch`.'
	},
	tileUrl: {
		env: 'SOHO_TILE_URL',
		schema: v.pipe(
			v.string(),
			v.check((value) => {
				if (value === 'none') return true;
				try {
					return ['http:', 'https:'].includes(new URL(value).protocol) && /\{z\}.*\{x\}.*\{y\}/.test(value);
				} catch {
					return false;
				}
			}, 'must be none or an http(s) URL template containing {z}, {x} and {y}'),
			v.transform((value) => (value === 'none' ? '' : value))
		),
		default: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
		doc: 'Background tiles of the public map (URL template with {z}, {x}, {y}). `none`: no tiles, the commune outlines are drawn on a plain background.'
	},
	tileAttribution: {
		env: 'SOHO_TILE_ATTRIBUTION',
		schema: v.string(),
		default: '© OpenStreetMap contributors',
		doc: 'Credit shown on the map for the tiles of SOHO_TILE_URL (plain text).'
	},
	signInMaxAttempts: {
		env: 'SOHO_SIGNIN_MAX_ATTEMPTS',
		schema: integerSchema(1, 1000),
		default: '5',
		doc: 'Failed sign-ins allowed for one email address from one IP address before it is locked (four times as many per IP address over all emails within SOHO_SIGNIN_WINDOW_MINUTES).'
	},
	signInWindowMinutes: {
		env: 'SOHO_SIGNIN_WINDOW_MINUTES',
		schema: integerSchema(1, 1440),
		default: '15',
		doc: 'First sign-in lock, in minutes; it doubles with each further failure (up to SOHO_SIGNIN_MAX_LOCK_MINUTES).'
	},
	signInMaxLockMinutes: {
		env: 'SOHO_SIGNIN_MAX_LOCK_MINUTES',
		schema: integerSchema(1, 10080),
		default: '1440',
		doc: 'Longest sign-in lock, in minutes; failures older than this are forgotten.'
	},
	limitApplicationsPerHour: {
		env: 'SOHO_LIMIT_APPLICATIONS_PER_HOUR',
		schema: integerSchema(1, 100000),
		default: '5',
		doc: 'Applications accepted per client address per hour on the public apply form.'
	},
	limitRegistrationsPerHour: {
		env: 'SOHO_LIMIT_REGISTRATIONS_PER_HOUR',
		schema: integerSchema(1, 100000),
		default: '10',
		doc: 'Event registrations accepted per client address per hour.'
	},
	limitSurveysPerHour: {
		env: 'SOHO_LIMIT_SURVEYS_PER_HOUR',
		schema: integerSchema(1, 100000),
		default: '20',
		doc: 'Follow-up survey answers accepted per client address per hour.'
	},
	limitPasswordResetsPerHour: {
		env: 'SOHO_LIMIT_PASSWORD_RESETS_PER_HOUR',
		schema: integerSchema(1, 100000),
		default: '10',
		doc: 'Password-reset requests accepted per client address per hour (and one live reset link per account).'
	},
	limitMailsPerRecipientPerHour: {
		env: 'SOHO_LIMIT_MAILS_PER_RECIPIENT_PER_HOUR',
		schema: integerSchema(1, 100000),
		default: '3',
		doc: 'Mails the public forms may send to one e-mail address per hour.'
	},
	sessionIdleMinutes: {
		env: 'SOHO_SESSION_IDLE_MINUTES',
		schema: integerSchema(5, 43200),
		default: '120',
		doc: 'A session unused for this many minutes ends; the person signs in again.'
	},
	mailIntervalSeconds: {
		env: 'SOHO_MAIL_INTERVAL_SECONDS',
		schema: integerSchema(1, 3600),
		default: '30',
		doc: 'How often the server retries mail that could not be sent.'
	},
	publicCacheMb: {
		env: 'SOHO_PUBLIC_CACHE_MB',
		schema: integerSchema(0, 4096),
		default: '64',
		doc: 'Memory, in MB, of the cache of rendered public pages served to visitors who are not signed in (home, villages, offers, events…), dropped by any write that changes them. 0 turns the cache off.'
	},
	publicCacheMaxAgeSeconds: {
		env: 'SOHO_PUBLIC_CACHE_MAX_AGE_SECONDS',
		schema: integerSchema(1, 86400),
		default: '60',
		doc: 'Longest time a cached public page is served: what changes without a write (next events, figures of the home page built from cases) is at most this old.'
	},
	observatoryCacheMb: {
		env: 'SOHO_OBSERVATORY_CACHE_MB',
		schema: integerSchema(0, 4096),
		default: '32',
		doc: 'Memory, in MB, of the cache of observatory results (per reader kind, filter set and day), dropped by any write to what the observatory reads, on every process. 0 turns the cache off.'
	},
	chromiumPath: {
		env: 'SOHO_CHROMIUM_PATH',
		schema: v.pipe(v.string(), v.minLength(1, 'must not be empty')),
		default: '/usr/bin/chromium',
		doc: 'Headless Chromium used to print the observatory’s annual report as PDF (with playwright-core). When missing, the PDF link answers 503 and the report is printed from the browser.'
	}
} as const;

type Definition = typeof configDefinition;
export type Config = {
	[K in keyof Definition]: v.InferOutput<Definition[K]['schema']>;
} & { isProduction: boolean; isTest: boolean };

export type ConfigIssue = { env: string; message: string };

export class ConfigError extends Error {
	constructor(readonly issues: ConfigIssue[]) {
		super(`Invalid configuration:\n${issues.map((issue) => `  - ${issue.env} ${issue.message}`).join('\n')}`);
		this.name = 'ConfigError';
	}
}

/** Parses the environment once; lists every invalid variable in one ConfigError. */
export function parseConfig(env: Record<string, string | undefined> = process.env): Config {
	const issues: ConfigIssue[] = [];
	const result: Record<string, unknown> = {};
	for (const [key, definition] of Object.entries(configDefinition)) {
		const raw = env[definition.env];
		const value = raw === undefined || raw === '' ? definition.default : raw.trim();
		const parsed = v.safeParse(definition.schema as v.GenericSchema, value);
		if (parsed.success) result[key] = parsed.output;
		else issues.push({ env: definition.env, message: parsed.issues[0].message });
	}
	if (issues.length > 0) throw new ConfigError(issues);
	const nodeEnv = env.NODE_ENV ?? 'development';
	const config = result as Config;
	config.isProduction = nodeEnv === 'production';
	config.isTest = nodeEnv === 'test' || env.VITEST !== undefined;
	if (config.isProduction && !config.authSecret && !config.isTest) {
		throw new ConfigError([{ env: 'SOHO_AUTH_SECRET', message: 'is required when NODE_ENV=production' }]);
	}
	return config;
}

/** The public URL of the site, without a trailing slash. */
export function publicOrigin(config: Pick<Config, 'origin' | 'port'>): string {
	return (config.origin ?? `http://localhost:${config.port}`).replace(/\/$/, '');
}

/** `.env.example`, generated from the definitions above. */
export function renderEnvExample(): string {
	const lines = [
		'# soho configuration. Every variable is optional unless its comment says otherwise.',
		'# Generated by `soho config example`; do not edit by hand.',
		''
	];
	for (const definition of Object.values(configDefinition)) {
		lines.push(`# ${definition.doc}`);
		lines.push(
			definition.default === undefined ? `# ${definition.env}=` : `# ${definition.env}=${definition.default}`
		);
		lines.push('');
	}
	return lines.join('\n');
}
