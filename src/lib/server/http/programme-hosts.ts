import type { RequestEvent } from '@sveltejs/kit';
import { getApp } from '../app.ts';
import { loadHostMap, programmeOriginOf } from '../domain/programme/programme-host.service.ts';
import { findPublicProgramme } from '../domain/programme/programme.service.ts';
import type { Db } from '../db/index.ts';
import type { ProgrammeRouting } from './public-cache.ts';
import { requestHostName } from './request-host.ts';

/*
 * Request → programme. Each request is resolved once (hooks.server.ts, before the public
 * cache): `locals.programmeOfHost` is the programme whose host (programme_hosts) the request
 * was sent to, or null; public pages then show `locals.programmeOfHost ?? the default
 * programme` (findPublicProgramme). The map of hosts is kept in memory with the public cache's
 * generation, so that a change of hosts in any process (the triggers of migration 0037) or a
 * write of this process reads it again; with the cache turned off it is read per request.
 */

export async function loadProgrammeRouting({ db }: { db: Db }): Promise<ProgrammeRouting> {
	const [hosts, { programme }] = await Promise.all([
		loadHostMap({}, { db }),
		findPublicProgramme({ programmeId: null }, { db })
	]);
	return { ...hosts, defaultProgrammeId: programme?.id ?? null };
}

let pending: { generation: number; routing: Promise<ProgrammeRouting> } | null = null;

/** The hosts' programmes, read once per generation of the public cache. */
export function programmeRouting(): Promise<ProgrammeRouting> {
	const { publicCache, database } = getApp();
	const pages = publicCache.pages;
	if (!pages.isEnabled) return loadProgrammeRouting({ db: database.db });
	const generation = pages.generation;
	if (pages.routing?.generation === generation) return Promise.resolve(pages.routing.value);
	if (pending?.generation !== generation) {
		const routing = loadProgrammeRouting({ db: database.db });
		pending = { generation, routing };
		routing.then(
			(value) => {
				// The fast path (scripts/serve.js) reads it from the cache, for the generation it was read in.
				if (pages.generation === generation) pages.routing = { generation, value };
			},
			// A failed read is asked again by the next request.
			() => {
				if (pending?.routing === routing) pending = null;
			}
		);
	}
	return pending.routing;
}

/** The programme holding the request's host, or null (any other host shows the default programme). */
export async function resolveProgrammeOfHost(event: RequestEvent): Promise<string | null> {
	const host = requestHostName((name) => event.request.headers.get(name));
	return host ? ((await programmeRouting()).programmeOfHost.get(host) ?? null) : null;
}

/** The programme public pages show for this request: its host's, else the default one. */
export async function publicProgrammeIdOf(event: RequestEvent): Promise<string | null> {
	return event.locals.programmeOfHost ?? (await programmeRouting()).defaultProgrammeId;
}

/**
 * The origin of a programme's absolute links written in a page (canonical URLs, sitemap,
 * robots, feeds): its primary host (scheme and port of the public origin), else `fallback`
 * (the request's origin, which ORIGIN fixes when it is set).
 */
export async function programmeOrigin(
	programmeId: string | null | undefined,
	{ fallback }: { fallback: string }
): Promise<string> {
	const primaryHost = programmeId ? (await programmeRouting()).primaryHostOf.get(programmeId) : null;
	return primaryHost ? programmeOriginOf({ primaryHost }, { config: getApp().config }) : fallback;
}
