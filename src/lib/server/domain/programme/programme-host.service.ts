import type { Actor } from '../../auth/actor.ts';
import { publicOrigin, type Config } from '../../config.ts';
import type { Db } from '../../db/index.ts';
import type { Programme, ProgrammeHost } from '../../db/schema/index.ts';
import { createLogger } from '../../logger.ts';
import { parseInput } from '../../validation.ts';
import { recordSettingsChange } from '../audit/audit.service.ts';
import {
	programmeForbidden,
	programmeHostNotFound,
	programmeHostTaken,
	programmeNotFound
} from './programme.errors.ts';
import {
	deleteProgrammeHost,
	findAllHosts,
	findHostRow,
	findProgrammeHosts,
	insertProgrammeHost,
	updatePrimaryHost
} from './programme-host.repository.ts';
import { findProgrammeById, findProgrammeBySlug } from './programme.repository.ts';
import {
	addProgrammeHostSchema,
	programmeHostSchema,
	type AddProgrammeHostInput,
	type ProgrammeHostInput
} from './programme.schemas.ts';

/*
 * The host names of a programme's public site. A request whose Host is one of them shows that
 * programme (hooks.server.ts, `programmeOfHost`); any other host shows the default programme.
 * Invariant: a programme with hosts has exactly one primary host (the first one added; when
 * the primary is removed, the first remaining host in alphabetical order takes its place).
 * Changed by the programme's admins (settings page) or the operator (`soho programme host`).
 */

const log = createLogger({ namespace: 'programme-host' });

type Deps = { db: Db };
/** Who changes the hosts: a programme admin, or null for the operator at the command line. */
type HostEditor = { actor: Actor | null; programme: Programme };

function assertAdmin(actor: Actor): void {
	if (actor.role !== 'admin') throw programmeForbidden({ userId: actor.userId });
}

async function ownProgramme(db: Db, actor: Actor): Promise<Programme> {
	assertAdmin(actor);
	const programme = await findProgrammeById({ db, programmeId: actor.programmeId });
	if (!programme) throw programmeNotFound({ programmeId: actor.programmeId });
	return programme;
}

async function programmeOfSlug(db: Db, slug: string): Promise<Programme> {
	const programme = await findProgrammeBySlug({ db, slug });
	if (!programme) throw programmeNotFound({ slug });
	return programme;
}

const hostList = (hosts: ProgrammeHost[]) => hosts.map((h) => (h.isPrimary ? `${h.host} (primary)` : h.host));

async function audit(
	db: Db,
	{ actor, programme }: HostEditor,
	before: ProgrammeHost[]
): Promise<ProgrammeHost[]> {
	const after = await findProgrammeHosts({ db, programmeId: programme.id });
	await recordSettingsChange(
		{
			programmeId: programme.id,
			actor,
			section: 'hosts',
			before: { hosts: hostList(before) },
			after: { hosts: hostList(after) }
		},
		{ db }
	);
	log.info(
		{ programmeId: programme.id, userId: actor?.userId ?? null, hosts: hostList(after) },
		'Programme hosts changed'
	);
	return after;
}

async function addHost(db: Db, editor: HostEditor, input: AddProgrammeHostInput) {
	const { host, isPrimary } = parseInput(addProgrammeHostSchema, input);
	return db.transaction(async (tx) => {
		const before = await findProgrammeHosts({ db: tx, programmeId: editor.programme.id });
		const existing = await findHostRow({ db: tx, host });
		if (existing && existing.programmeId !== editor.programme.id)
			throw programmeHostTaken({ field: 'host', host });
		if (!existing) {
			await insertProgrammeHost({
				db: tx,
				host: { host, programmeId: editor.programme.id, isPrimary: before.length === 0 }
			});
		}
		if (isPrimary && before.length > 0)
			await updatePrimaryHost({ db: tx, programmeId: editor.programme.id, host });
		return { hosts: await audit(tx, editor, before) };
	});
}

async function removeHost(db: Db, editor: HostEditor, input: ProgrammeHostInput) {
	const { host } = parseInput(programmeHostSchema, input);
	return db.transaction(async (tx) => {
		const before = await findProgrammeHosts({ db: tx, programmeId: editor.programme.id });
		const removed = before.find((h) => h.host === host);
		if (!removed) throw programmeHostNotFound({ field: 'host', host });
		await deleteProgrammeHost({ db: tx, programmeId: editor.programme.id, host });
		const next = before.find((h) => h.host !== host);
		if (removed.isPrimary && next)
			await updatePrimaryHost({ db: tx, programmeId: editor.programme.id, host: next.host });
		return { hosts: await audit(tx, editor, before) };
	});
}

async function setPrimaryHost(db: Db, editor: HostEditor, input: ProgrammeHostInput) {
	const { host } = parseInput(programmeHostSchema, input);
	return db.transaction(async (tx) => {
		const before = await findProgrammeHosts({ db: tx, programmeId: editor.programme.id });
		if (!before.some((h) => h.host === host)) throw programmeHostNotFound({ field: 'host', host });
		await updatePrimaryHost({ db: tx, programmeId: editor.programme.id, host });
		return { hosts: await audit(tx, editor, before) };
	});
}

/** The hosts of the admin's programme, the primary one first. */
export async function listProgrammeHosts(
	{ actor }: { actor: Actor },
	{ db }: Deps
): Promise<{ hosts: ProgrammeHost[] }> {
	const programme = await ownProgramme(db, actor);
	return { hosts: await findProgrammeHosts({ db, programmeId: programme.id }) };
}

/** Adds a host to the admin's programme (again: nothing changes, unless it is made primary). */
export async function addProgrammeHost(
	{ actor, input }: { actor: Actor; input: AddProgrammeHostInput },
	{ db }: Deps
): Promise<{ hosts: ProgrammeHost[] }> {
	return addHost(db, { actor, programme: await ownProgramme(db, actor) }, input);
}

export async function removeProgrammeHost(
	{ actor, input }: { actor: Actor; input: ProgrammeHostInput },
	{ db }: Deps
): Promise<{ hosts: ProgrammeHost[] }> {
	return removeHost(db, { actor, programme: await ownProgramme(db, actor) }, input);
}

export async function setPrimaryProgrammeHost(
	{ actor, input }: { actor: Actor; input: ProgrammeHostInput },
	{ db }: Deps
): Promise<{ hosts: ProgrammeHost[] }> {
	return setPrimaryHost(db, { actor, programme: await ownProgramme(db, actor) }, input);
}

/** The operator's versions (`soho programme host …`, `soho programme set --host`): by slug, no actor. */
export async function listProgrammeHostsBySlug(
	{ slug }: { slug: string },
	{ db }: Deps
): Promise<{ hosts: ProgrammeHost[] }> {
	const programme = await programmeOfSlug(db, slug);
	return { hosts: await findProgrammeHosts({ db, programmeId: programme.id }) };
}

export async function addProgrammeHostBySlug(
	{ slug, input }: { slug: string; input: AddProgrammeHostInput },
	{ db }: Deps
): Promise<{ hosts: ProgrammeHost[] }> {
	return addHost(db, { actor: null, programme: await programmeOfSlug(db, slug) }, input);
}

export async function removeProgrammeHostBySlug(
	{ slug, input }: { slug: string; input: ProgrammeHostInput },
	{ db }: Deps
): Promise<{ hosts: ProgrammeHost[] }> {
	return removeHost(db, { actor: null, programme: await programmeOfSlug(db, slug) }, input);
}

export async function setPrimaryProgrammeHostBySlug(
	{ slug, input }: { slug: string; input: ProgrammeHostInput },
	{ db }: Deps
): Promise<{ hosts: ProgrammeHost[] }> {
	return setPrimaryHost(db, { actor: null, programme: await programmeOfSlug(db, slug) }, input);
}

/** Every host of the instance: which programme each serves, and each programme's primary host. */
export type HostMap = {
	programmeOfHost: ReadonlyMap<string, string>;
	primaryHostOf: ReadonlyMap<string, string>;
};

export async function loadHostMap(_input: object, { db }: Deps): Promise<HostMap> {
	const rows = await findAllHosts({ db });
	return {
		programmeOfHost: new Map(rows.map((row) => [row.host, row.programmeId])),
		primaryHostOf: new Map(rows.filter((row) => row.isPrimary).map((row) => [row.programmeId, row.host]))
	};
}

/**
 * The origin of a programme's absolute links (mails, sitemap, canonical URLs, iCalendar): its
 * primary host with the scheme and port of the configured public origin, or the public origin
 * itself when the programme has no host (an instance serving one programme).
 */
export function programmeOriginOf(
	{ primaryHost }: { primaryHost: string | null | undefined },
	{ config }: { config: Pick<Config, 'origin' | 'port'> }
): string {
	const origin = publicOrigin(config);
	if (!primaryHost) return origin;
	const url = new URL(origin);
	url.hostname = primaryHost;
	return url.origin;
}

/** `programmeOriginOf` for one programme, reading its primary host. */
export async function getProgrammeOrigin(
	{ programmeId }: { programmeId: string },
	{ db, config }: Deps & { config: Pick<Config, 'origin' | 'port'> }
): Promise<{ origin: string }> {
	const hosts = await findProgrammeHosts({ db, programmeId });
	return { origin: programmeOriginOf({ primaryHost: hosts.find((h) => h.isPrimary)?.host }, { config }) };
}
