import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { chmod, rename, rm, stat } from 'node:fs/promises';
import { createGzip, createGunzip } from 'node:zlib';
import { is, sql, type SQL } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import * as v from 'valibot';
import packageJson from '../../../../package.json' with { type: 'json' };
import { translate, type Locale, type MessageKey, type MessageParams } from '../../i18n/index.ts';
import { createLogger } from '../logger.ts';
import type { Db } from './index.ts';
import * as schema from './schema/index.ts';

const log = createLogger({ namespace: 'db:backup' });

/*
 * A soho backup is a gzipped JSON document written one value per line, so that both
 * backup and restore stream it (tables of commune outlines can be large):
 *
 *   {"header":{…},
 *   "tables":[
 *   {"name":"programmes","rows":[
 *   {"id":"prg_…",…},          ← one row per line, as PostgreSQL's row_to_json wrote it
 *   {"id":"prg_…",…}
 *   ]},
 *   {"name":"epcis","rows":[
 *   ]}
 *   ]}
 *
 * Rows are never parsed in JavaScript: PostgreSQL writes them (row_to_json) and reads
 * them back (json_populate_recordset), so timestamps keep their microseconds and jsonb,
 * numeric and bigint values keep every digit, on PGlite and PostgreSQL alike.
 */
export const BACKUP_FORMAT = 'soho-backup';
export const BACKUP_FORMAT_VERSION = 1;

/** A translated sentence: a message key (messages/…/ops.json) and its parameters. */
type Sentence = { key: MessageKey; params?: MessageParams };

/**
 * Why a backup or restore was refused: one clear sentence for the operator, in their language
 * (`messageIn`); `message` is the English one (logs). A file that is no valid backup says why in
 * a second sentence (`why`), set in the first.
 */
export class BackupError extends Error {
	constructor(
		readonly code:
			| 'backup.invalid_file'
			| 'backup.not_migrated'
			| 'backup.migration_mismatch'
			| 'backup.schema_mismatch'
			| 'backup.target_not_empty'
			| 'backup.unsupported_schema',
		readonly sentence: Sentence,
		readonly why?: Sentence
	) {
		super('');
		this.name = 'BackupError';
		this.message = this.messageIn('en');
	}

	messageIn(locale: Locale): string {
		const params: MessageParams = { ...this.sentence.params };
		if (this.why) params.why = translate(locale, this.why.key, this.why.params);
		return translate(locale, this.sentence.key, params);
	}
}

const migrationStateSchema = v.object({
	count: v.pipe(v.number(), v.integer(), v.minValue(0)),
	lastHash: v.nullable(v.string()),
	lastCreatedAt: v.nullable(v.string())
});
export type MigrationState = v.InferOutput<typeof migrationStateSchema>;

const backupHeaderSchema = v.object({
	format: v.literal(BACKUP_FORMAT),
	formatVersion: v.literal(BACKUP_FORMAT_VERSION),
	sohoVersion: v.string(),
	createdAt: v.pipe(v.string(), v.isoTimestamp()),
	/** The database the backup was taken from; restore works into either kind. */
	source: v.picklist(['pglite', 'postgres', 'unknown']),
	migrations: migrationStateSchema,
	tables: v.array(
		v.object({
			name: v.pipe(v.string(), v.regex(/^[a-z_][a-z0-9_]*$/)),
			columns: v.array(v.string()),
			rows: v.pipe(v.number(), v.integer(), v.minValue(0))
		})
	)
});
export type BackupHeader = v.InferOutput<typeof backupHeaderSchema>;

export type BackupTable = {
	name: string;
	table: PgTable;
	/** Columns written and restored (generated columns are left out: PostgreSQL computes them). */
	columns: string[];
	primaryKey: string[];
	/** Tables this one references (its own name excluded). */
	dependsOn: string[];
	/** True when a foreign key points to the same table: its rows are restored in one statement. */
	isSelfReferencing: boolean;
	hasIdentity: boolean;
};

/**
 * Tables never written to a backup, nor restored from an older one: live secrets and
 * throw-away security records. A backup file leaves the server (another disk, a colleague's
 * laptop); a session or a password-reset token in it would let its reader act as a user.
 * After a restore everybody signs in again and asks for new links.
 * Must list every table of sessions, one-time tokens or sign-in throttling a change adds, and
 * the derived public cache version.
 */
export const BACKUP_EXCLUDED_TABLES: ReadonlySet<string> = new Set([
	'sessions',
	// better-auth's one-time tokens: password reset, unlock, sign-in links.
	'verifications',
	'sign_in_attempts',
	// The one-time links that lift a sign-in lock, and the public forms' rate-limit counters.
	'sign_in_unlocks',
	'rate_limit_hits',
	// The first-run code's hash and its throttle: a restored instance has its admin.
	'setup_codes',
	'setup_attempts'
]);

/**
 * Every application table of the Drizzle schema, parents before children, so rows can
 * be inserted in this order with the foreign keys checked.
 */
export function listBackupTables(): BackupTable[] {
	const tables = new Map<string, BackupTable>();
	for (const value of Object.values(schema)) {
		if (!is(value, PgTable)) continue;
		const config = getTableConfig(value);
		if (config.schema && config.schema !== 'public') continue;
		if (BACKUP_EXCLUDED_TABLES.has(config.name)) continue;
		const references = config.foreignKeys.map((fk) => getTableConfig(fk.reference().foreignTable).name);
		tables.set(config.name, {
			name: config.name,
			table: value,
			columns: config.columns.filter((column) => !column.generated).map((column) => column.name),
			primaryKey: [
				...config.columns.filter((column) => column.primary).map((column) => column.name),
				...config.primaryKeys.flatMap((pk) => pk.columns.map((column) => column.name))
			],
			dependsOn: [...new Set(references.filter((name) => name !== config.name))],
			isSelfReferencing: references.includes(config.name),
			hasIdentity: config.columns.some((column) => column.generatedIdentity !== undefined)
		});
	}
	// Depth-first topological sort; schema order breaks ties, so the order is stable.
	const ordered: BackupTable[] = [];
	const state = new Map<string, 'visiting' | 'done'>();
	const visit = (name: string, path: string[]) => {
		if (state.get(name) === 'done') return;
		if (state.get(name) === 'visiting') {
			throw new BackupError('backup.unsupported_schema', {
				key: 'error_backup_unsupported_schema',
				params: { cycle: [...path, name].join(' → ') }
			});
		}
		const table = tables.get(name);
		if (!table) return; // A table outside the schema (none today).
		state.set(name, 'visiting');
		for (const parent of table.dependsOn) visit(parent, [...path, name]);
		state.set(name, 'done');
		ordered.push(table);
	};
	for (const name of tables.keys()) visit(name, []);
	return ordered;
}

/** The excluded tables the schema holds (emptied by a restore). */
function excludedSchemaTables(): string[] {
	const names: string[] = [];
	for (const value of Object.values(schema)) {
		if (!is(value, PgTable)) continue;
		const { name } = getTableConfig(value);
		if (BACKUP_EXCLUDED_TABLES.has(name)) names.push(name);
	}
	return names;
}

function rowsOf<T>(result: unknown): T[] {
	return (result as { rows: T[] }).rows;
}

const quote = (name: string) => sql.identifier(name);
const columnList = (columns: string[]): SQL =>
	sql.join(
		columns.map((column) => quote(column)),
		sql`, `
	);

/** The migrations applied to the database, from drizzle's journal; null when it was never migrated. */
export async function readMigrationState({ db }: { db: Db }): Promise<MigrationState | null> {
	const [exists] = rowsOf<{ exists: boolean }>(
		await db.execute(sql`select to_regclass('drizzle.__drizzle_migrations') is not null as "exists"`)
	);
	if (!exists?.exists) return null;
	const rows = rowsOf<{ hash: string; created_at: string | number }>(
		await db.execute(
			sql`select hash, created_at::text as created_at from drizzle.__drizzle_migrations order by id`
		)
	);
	const last = rows.at(-1);
	return {
		count: rows.length,
		lastHash: last?.hash ?? null,
		lastCreatedAt: last ? String(last.created_at) : null
	};
}

function sameMigrations(a: MigrationState, b: MigrationState): boolean {
	return a.count === b.count && a.lastHash === b.lastHash;
}

async function writeChunk(stream: NodeJS.WritableStream, chunk: string): Promise<void> {
	if (!stream.write(chunk)) await once(stream, 'drain');
}

const FETCH_SIZE = 500;

/**
 * Writes every row of every application table to `file` (gzipped JSON), from one
 * consistent snapshot. The file appears only once complete.
 */
export async function backupDatabase(
	{ file }: { file: string },
	{ db, source = 'unknown' }: { db: Db; source?: 'pglite' | 'postgres' | 'unknown' }
): Promise<{ file: string; header: BackupHeader; bytes: number }> {
	const migrations = await readMigrationState({ db });
	if (!migrations || migrations.count === 0) {
		throw new BackupError('backup.not_migrated', { key: 'error_backup_nothing_to_back_up' });
	}
	const tables = listBackupTables();
	const partial = `${file}.partial-${process.pid}`;
	const gzip = createGzip();
	// Owner only: a backup holds every person's data and the password hashes.
	const output = createWriteStream(partial, { mode: 0o600 });
	const finished = new Promise<void>((resolve, reject) => {
		output.on('finish', resolve);
		output.on('error', reject);
		gzip.on('error', reject);
	});
	gzip.pipe(output);
	try {
		const header = await db.transaction(
			async (tx) => {
				const summary: BackupHeader['tables'] = [];
				for (const table of tables) {
					const [{ n }] = rowsOf<{ n: number }>(
						await tx.execute(sql`select count(*)::int as n from ${quote(table.name)}`)
					);
					summary.push({ name: table.name, columns: table.columns, rows: Number(n) });
				}
				const header: BackupHeader = {
					format: BACKUP_FORMAT,
					formatVersion: BACKUP_FORMAT_VERSION,
					sohoVersion: packageJson.version,
					createdAt: new Date().toISOString(),
					source,
					migrations,
					tables: summary
				};
				await writeChunk(gzip, `{"header":${JSON.stringify(header)},\n"tables":[\n`);
				for (const [index, table] of tables.entries()) {
					await writeChunk(gzip, `{"name":${JSON.stringify(table.name)},"rows":[\n`);
					const order = table.primaryKey.length > 0 ? sql`order by ${columnList(table.primaryKey)}` : sql``;
					await tx.execute(
						sql`declare soho_backup_rows no scroll cursor for select row_to_json(t)::text as r from (select ${columnList(table.columns)} from ${quote(table.name)} ${order}) t`
					);
					let written = 0;
					for (;;) {
						const batch = rowsOf<{ r: string }>(
							await tx.execute(sql.raw(`fetch ${FETCH_SIZE} from soho_backup_rows`))
						);
						for (const { r } of batch) {
							// Raw line breaks in JSON text are insignificant whitespace; one row per line.
							const line = r.replace(/[\r\n]+/g, ' ');
							await writeChunk(gzip, (written > 0 ? ',\n' : '') + line);
							written++;
						}
						if (batch.length < FETCH_SIZE) break;
					}
					await tx.execute(sql`close soho_backup_rows`);
					if (written !== summary[index].rows) {
						throw new Error(`Table ${table.name} changed during the backup`);
					}
					await writeChunk(gzip, `${written > 0 ? '\n' : ''}]}${index < tables.length - 1 ? ',' : ''}\n`);
				}
				await writeChunk(gzip, ']}\n');
				return header;
			},
			{ isolationLevel: 'repeatable read', accessMode: 'read only' }
		);
		gzip.end();
		await finished;
		// The mode given at creation is masked by the umask (never widened); state it exactly.
		await chmod(partial, 0o600);
		await rename(partial, file);
		const { size } = await stat(file);
		log.debug({ tables: header.tables.length, bytes: size }, 'Backup written');
		return { file, header, bytes: size };
	} catch (error) {
		gzip.destroy();
		output.destroy();
		await rm(partial, { force: true });
		throw error;
	}
}

type BackupEvent =
	| { type: 'table'; name: string }
	| { type: 'row'; json: string }
	| { type: 'table_end'; name: string }
	| { type: 'end' };

const invalid = (file: string, why: MessageKey, params?: MessageParams) =>
	new BackupError(
		'backup.invalid_file',
		{ key: 'error_backup_invalid_file', params: { file } },
		{ key: why, params }
	);

/** Reads the lines of a gzipped file; a file that is not gzip, or is cut short, throws. */
async function* readGzipLines(file: string): AsyncGenerator<string> {
	const gunzip = createGunzip();
	const input = createReadStream(file);
	input.on('error', (error) => gunzip.destroy(error));
	input.pipe(gunzip);
	gunzip.setEncoding('utf8');
	let buffer = '';
	try {
		for await (const chunk of gunzip as AsyncIterable<string>) {
			buffer += chunk;
			let newline: number;
			while ((newline = buffer.indexOf('\n')) !== -1) {
				yield buffer.slice(0, newline);
				buffer = buffer.slice(newline + 1);
			}
		}
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT')
			throw new BackupError('backup.invalid_file', { key: 'error_backup_file_missing', params: { file } });
		if (code === 'Z_DATA_ERROR') throw invalid(file, 'error_backup_why_not_gzip');
		if (code === 'Z_BUF_ERROR') throw invalid(file, 'error_backup_why_truncated');
		throw invalid(file, 'error_backup_why_unreadable', { detail: (error as Error).message });
	} finally {
		input.destroy();
	}
	if (buffer.length > 0) yield buffer;
}

const TABLE_OPEN = /^\{"name":("[a-z_][a-z0-9_]*"),"rows":\[$/;

/** The header, then the stream of tables and rows, checked against the layout written by backupDatabase. */
async function openBackup(
	file: string
): Promise<{ header: BackupHeader; events: AsyncGenerator<BackupEvent> }> {
	const lines = readGzipLines(file);
	const first = await lines.next();
	if (first.done || !first.value.startsWith('{"header":') || !first.value.endsWith(',')) {
		await lines.return(undefined);
		throw invalid(file, 'error_backup_why_no_header');
	}
	let parsed: unknown;
	try {
		parsed = JSON.parse(first.value.slice('{"header":'.length, -1));
	} catch {
		await lines.return(undefined);
		throw invalid(file, 'error_backup_why_header_not_json');
	}
	const result = v.safeParse(backupHeaderSchema, parsed);
	if (!result.success) {
		await lines.return(undefined);
		const format = (parsed as { format?: unknown; formatVersion?: unknown }) ?? {};
		throw format.format === BACKUP_FORMAT && format.formatVersion !== BACKUP_FORMAT_VERSION
			? invalid(file, 'error_backup_why_format_version', {
					found: String(format.formatVersion),
					expected: BACKUP_FORMAT_VERSION
				})
			: invalid(file, 'error_backup_why_header_malformed', {
					field: v.getDotPath(result.issues[0]) ?? 'header',
					detail: result.issues[0].message
				});
	}
	const header = result.output;

	async function* events(): AsyncGenerator<BackupEvent> {
		const next = async (what: MessageKey, params?: MessageParams) => {
			const line = await lines.next();
			if (line.done) throw invalid(file, what, params);
			return line.value;
		};
		if ((await next('error_backup_why_ends_before_table_list')) !== '"tables":[')
			throw invalid(file, 'error_backup_why_table_list_missing');
		for (const [index, expected] of header.tables.entries()) {
			const isLast = index === header.tables.length - 1;
			const open = TABLE_OPEN.exec(
				await next('error_backup_why_ends_before_table', { table: expected.name })
			);
			if (!open || JSON.parse(open[1]) !== expected.name) {
				throw invalid(file, 'error_backup_why_table_misplaced', { table: expected.name });
			}
			yield { type: 'table', name: expected.name };
			let count = 0;
			for (;;) {
				const line = await next('error_backup_why_ends_before_table_end', { table: expected.name });
				if (line === (isLast ? ']}' : ']},')) break;
				const json = line.endsWith(',') ? line.slice(0, -1) : line;
				if (!json.startsWith('{') || !json.endsWith('}')) {
					throw invalid(file, 'error_backup_why_row_damaged', { row: count + 1, table: expected.name });
				}
				count++;
				yield { type: 'row', json };
			}
			if (count !== expected.rows) {
				throw invalid(file, 'error_backup_why_row_count', {
					table: expected.name,
					count,
					expected: expected.rows
				});
			}
			yield { type: 'table_end', name: expected.name };
		}
		if ((await next('error_backup_why_ends_before_closing')) !== ']}')
			throw invalid(file, 'error_backup_why_bad_end');
		const rest = await lines.next();
		if (!rest.done && rest.value.trim() !== '') throw invalid(file, 'error_backup_why_data_after_end');
		yield { type: 'end' };
	}
	return { header, events: events() };
}

/** Reads and checks only the header of a backup file. */
export async function readBackupHeader({ file }: { file: string }): Promise<{ header: BackupHeader }> {
	const { header, events } = await openBackup(file);
	await events.return(undefined);
	return { header };
}

/** Rows per INSERT; a row of commune outline can be large, so batches are also capped by size. */
const INSERT_BATCH_ROWS = 500;
const INSERT_BATCH_CHARS = 4_000_000;

async function insertRows(db: Db, table: BackupTable, columns: string[], rows: string[]): Promise<void> {
	if (rows.length === 0) return;
	const list = columnList(columns);
	try {
		await db.execute(
			sql`insert into ${quote(table.name)} (${list}) ${table.hasIdentity ? sql`overriding system value ` : sql``}select ${list} from json_populate_recordset(null::${quote(table.name)}, ${`[${rows.join(',')}]`}::json)`
		);
	} catch (error) {
		const cause = (error as { cause?: unknown }).cause ?? error;
		throw new BackupError('backup.invalid_file', {
			key: 'error_backup_restore_failed',
			params: { table: table.name, detail: cause instanceof Error ? cause.message : String(cause) }
		});
	}
}

/** Serial and identity columns continue after the restored values. */
async function resetSequences(db: Db, tables: BackupTable[]): Promise<void> {
	const names = new Set(tables.map((table) => table.name));
	const columns = rowsOf<{ table_name: string; column_name: string }>(
		await db.execute(
			sql`select table_name, column_name from information_schema.columns where table_schema = 'public' and (column_default like 'nextval(%' or is_identity = 'YES')`
		)
	).filter((column) => names.has(column.table_name));
	for (const { table_name, column_name } of columns) {
		await db.execute(
			sql`select setval(pg_get_serial_sequence(${`"${table_name}"`}, ${column_name}), coalesce(max(${quote(column_name)}), 0) + 1, false) from ${quote(table_name)}`
		);
	}
}

export type RestoreResult = {
	header: BackupHeader;
	/** Rows restored per table, in restore order. */
	counts: Array<{ table: string; rows: number }>;
	total: number;
};

/**
 * Restores a backup into a migrated database at the same migration level, in one
 * transaction: on any error nothing is written. Refuses a database that already holds
 * data unless `isForced`, which empties every application table first.
 */
export async function restoreDatabase(
	{ file, isForced = false }: { file: string; isForced?: boolean },
	{ db }: { db: Db }
): Promise<RestoreResult> {
	const { header, events } = await openBackup(file);
	try {
		const target = await readMigrationState({ db });
		if (!target || target.count === 0) {
			throw new BackupError('backup.not_migrated', { key: 'error_backup_not_migrated' });
		}
		if (!sameMigrations(header.migrations, target)) {
			throw new BackupError('backup.migration_mismatch', {
				key: 'error_backup_migration_mismatch',
				params: {
					backupCount: header.migrations.count,
					backupHash: header.migrations.lastHash?.slice(0, 12) ?? '—',
					targetCount: target.count,
					targetHash: target.lastHash?.slice(0, 12) ?? '—',
					version: header.sohoVersion
				}
			});
		}
		const tables = listBackupTables();
		const byName = new Map(tables.map((table) => [table.name, table]));
		for (const entry of header.tables) {
			// An older backup may hold sessions or tokens: they are skipped, never restored.
			if (BACKUP_EXCLUDED_TABLES.has(entry.name)) continue;
			const table = byName.get(entry.name);
			const unknown = table ? entry.columns.filter((column) => !table.columns.includes(column)) : [];
			if (!table || unknown.length > 0) {
				throw new BackupError(
					'backup.schema_mismatch',
					table
						? {
								key: 'error_backup_unknown_columns',
								params: { table: entry.name, columns: unknown.join(', ') }
							}
						: { key: 'error_backup_unknown_table', params: { table: entry.name } }
				);
			}
		}

		return await db.transaction(async (tx) => {
			const nonEmpty: string[] = [];
			for (const table of tables) {
				const [row] = rowsOf<{ has: boolean }>(
					await tx.execute(sql`select exists (select 1 from ${quote(table.name)}) as has`)
				);
				if (row.has) nonEmpty.push(table.name);
			}
			if (nonEmpty.length > 0) {
				if (!isForced) {
					throw new BackupError('backup.target_not_empty', {
						key: 'error_backup_target_not_empty',
						params: { tables: nonEmpty.join(', ') }
					});
				}
				await tx.execute(
					sql`truncate ${sql.join(
						tables.map((table) => quote(table.name)),
						sql`, `
					)} cascade`
				);
			}
			// Sessions and one-time tokens of the replaced data would outlive it: everybody signs in again.
			const secrets = excludedSchemaTables();
			if (secrets.length > 0) {
				await tx.execute(
					sql`truncate ${sql.join(
						secrets.map((name) => quote(name)),
						sql`, `
					)} cascade`
				);
			}

			const counts: RestoreResult['counts'] = [];
			let current: {
				table: BackupTable;
				columns: string[];
				rows: string[];
				chars: number;
				count: number;
			} | null = null;
			for await (const event of events) {
				if (event.type === 'table' && BACKUP_EXCLUDED_TABLES.has(event.name)) {
					current = null;
				} else if (event.type === 'table') {
					const table = byName.get(event.name)!;
					const columns = header.tables.find((entry) => entry.name === event.name)!.columns;
					current = { table, columns, rows: [], chars: 0, count: 0 };
				} else if (event.type === 'row' && current) {
					current.rows.push(event.json);
					current.chars += event.json.length;
					current.count++;
					// A table that references itself is inserted in one statement: PostgreSQL
					// checks its foreign keys at the end of the statement, whatever the row order.
					if (
						!current.table.isSelfReferencing &&
						(current.rows.length >= INSERT_BATCH_ROWS || current.chars >= INSERT_BATCH_CHARS)
					) {
						await insertRows(tx, current.table, current.columns, current.rows);
						current.rows = [];
						current.chars = 0;
					}
				} else if (event.type === 'table_end' && current) {
					await insertRows(tx, current.table, current.columns, current.rows);
					counts.push({ table: current.table.name, rows: current.count });
					current = null;
				}
			}
			await resetSequences(tx, tables);
			const total = counts.reduce((sum, entry) => sum + entry.rows, 0);
			log.debug({ tables: counts.length, rows: total }, 'Backup restored');
			return { header, counts, total };
		});
	} finally {
		await events.return(undefined);
	}
}
