import type { Actor } from '../../auth/actor.ts';
import { addressUrl, programmePathPrefix } from '#domain/programme-address.ts';
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
import { findProgrammeById, findProgrammeBySlug, findProgrammeSlugs } from './programme.repository.ts';
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

/**
 * Every address of the instance: which programme each host serves, each programme's primary
 * host, each slug's programme (the `/p/<slug>` prefix on a shared host) and the default
 * programme (the oldest: shown on any host no programme holds, at the bare origin).
 */
export type HostMap = {
	programmeOfHost: ReadonlyMap<string, string>;
	primaryHostOf: ReadonlyMap<string, string>;
	programmeOfSlug: ReadonlyMap<string, string>;
	slugOf: ReadonlyMap<string, string>;
	defaultProgrammeId: string | null;
};

export async function loadHostMap(_input: object, { db }: Deps): Promise<HostMap> {
	const [rows, programmes] = await Promise.all([findAllHosts({ db }), findProgrammeSlugs({ db })]);
	return {
		programmeOfHost: new Map(rows.map((row) => [row.host, row.programmeId])),
		primaryHostOf: new Map(rows.filter((row) => row.isPrimary).map((row) => [row.programmeId, row.host])),
		programmeOfSlug: new Map(programmes.map((p) => [p.slug, p.id])),
		slugOf: new Map(programmes.map((p) => [p.id, p.slug])),
		defaultProgrammeId: programmes[0]?.id ?? null
	};
}

/** What a programme's address is made of. */
export type ProgrammeAddressFacts = {
	primaryHost: string | null | undefined;
	slug: string;
	/** The default programme (the oldest) is reached at the bare origin. */
	isDefault: boolean;
};

/**
 * The address of a programme's site, which writes its absolute links (mails, sitemap, canonical
 * URLs, calendars): its primary host, with the scheme and port of the configured public origin;
 * else `origin` (the public origin, or the request's in a page) for the default programme; else
 * `origin` followed by its prefix, `/p/<slug>` (a programme without a host name on a shared host).
 * No trailing slash: links are `${address}/path` (addressUrl, for the home page).
 */
export function programmeAddressOf(
	{ primaryHost, slug, isDefault }: ProgrammeAddressFacts,
	{ config, origin = publicOrigin(config) }: { config: Pick<Config, 'origin' | 'port'>; origin?: string }
): string {
	if (primaryHost) {
		const url = new URL(publicOrigin(config));
		url.hostname = primaryHost;
		return url.origin;
	}
	const base = origin.replace(/\/$/, '');
	return isDefault ? base : `${base}${programmePathPrefix(slug)}`;
}

/**
 * The addresses of several programmes' sites (`programmeAddressOf`), by programme id, from
 * `origin` (a page passes the request's): the national portal and the candidate's space link each
 * result to its own programme's site.
 */
export async function getProgrammeAddresses(
	{ programmeIds, origin }: { programmeIds: readonly string[]; origin: string },
	{ db, config }: Deps & { config: Pick<Config, 'origin' | 'port'> }
): Promise<Map<string, string>> {
	const map = await loadHostMap({}, { db });
	const addresses = new Map<string, string>();
	for (const id of programmeIds) {
		const slug = map.slugOf.get(id);
		if (slug === undefined) continue;
		addresses.set(
			id,
			programmeAddressOf(
				{ primaryHost: map.primaryHostOf.get(id), slug, isDefault: id === map.defaultProgrammeId },
				{ config, origin }
			)
		);
	}
	return addresses;
}

/**
 * The one address every mail of a programme links to (`programmeAddressOf`, from the public
 * origin): invitations, sign-in links, the candidate space, referrals, stays, digests, surveys…
 */
export async function getProgrammeAddress(
	{ programmeId }: { programmeId: string },
	{ db, config }: Deps & { config: Pick<Config, 'origin' | 'port'> }
): Promise<{ address: string }> {
	const [hosts, programmes] = await Promise.all([
		findProgrammeHosts({ db, programmeId }),
		findProgrammeSlugs({ db })
	]);
	const slug = programmes.find((p) => p.id === programmeId)?.slug;
	if (!slug) throw programmeNotFound({ programmeId });
	const primaryHost = hosts.find((h) => h.isPrimary)?.host;
	return {
		address: programmeAddressOf(
			{ primaryHost, slug, isDefault: programmes[0]?.id === programmeId },
			{ config }
		)
	};
}

/** A page of the programme's site, absolute, on its address (`getProgrammeAddress`): the link a mail writes. */
export async function programmeLink(
	{ programmeId, path }: { programmeId: string; path: string },
	deps: Deps & { config: Pick<Config, 'origin' | 'port'> }
): Promise<string> {
	return addressUrl((await getProgrammeAddress({ programmeId }, deps)).address, path);
}
