import type { RequestEvent } from '@sveltejs/kit';
import { getApp } from '../app.ts';
import { loadHostMap, programmeAddressOf } from '../domain/programme/programme-host.service.ts';
import type { Db } from '../db/index.ts';
import { requestProgrammeOf, type ProgrammeRouting, type RequestProgramme } from './public-cache.ts';
import { requestHostName } from './request-host.ts';

/*
 * Request → programme. Each request is resolved once (hooks.server.ts, before the public
 * cache): `locals.programmeOfHost` is the programme of the request's path prefix
 * (`/p/<slug>/…` on a host no programme holds: lib/domain/programme-address.ts) or the one
 * whose host (programme_hosts) the request was sent to, or null; public pages then show
 * `locals.programmeOfHost ?? the default programme` (findPublicProgramme). The map of hosts is kept in memory with the public cache's
 * generation, so that a change of hosts in any process (the triggers of migration 0037) or a
 * write of this process reads it again; with the cache turned off it is read per request.
 */

export function loadProgrammeRouting({ db }: { db: Db }): Promise<ProgrammeRouting> {
	return loadHostMap({}, { db });
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

/** The programme of the request's path prefix or host (see `requestProgrammeOf`). */
export async function resolveRequestProgramme(event: RequestEvent): Promise<RequestProgramme> {
	const host = requestHostName((name) => event.request.headers.get(name));
	return requestProgrammeOf(await programmeRouting(), host, event.url.pathname);
}

/** The programme public pages show for this request: its prefix's or host's, else the default one. */
export async function publicProgrammeIdOf(event: RequestEvent): Promise<string | null> {
	return event.locals.programmeOfHost ?? (await programmeRouting()).defaultProgrammeId;
}

/**
 * The address of a programme's absolute links written in a page (canonical URLs, sitemap,
 * robots, feeds): its primary host (scheme and port of the public origin), else `fallback` (the
 * request's origin, which ORIGIN fixes when it is set), followed by `/p/<slug>` unless it is the
 * default programme (domain/programme/programme-host.service.ts `programmeAddressOf`).
 */
export async function programmeAddress(
	programmeId: string | null | undefined,
	{ fallback }: { fallback: string }
): Promise<string> {
	const routing = await programmeRouting();
	const slug = programmeId ? routing.slugOf.get(programmeId) : undefined;
	if (!programmeId || !slug) return fallback;
	return programmeAddressOf(
		{
			primaryHost: routing.primaryHostOf.get(programmeId),
			slug,
			isDefault: programmeId === routing.defaultProgrammeId
		},
		{ config: getApp().config, origin: fallback }
	);
}

/**
 * The addresses of the programmes reached at their `/p/<slug>` prefix on a shared host (no host
 * name of their own, not the default programme), on `origin`: robots.txt announces their sitemaps.
 */
export async function prefixedProgrammeAddresses({ origin }: { origin: string }): Promise<string[]> {
	const routing = await programmeRouting();
	const addresses: string[] = [];
	for (const [programmeId, slug] of routing.slugOf) {
		if (programmeId === routing.defaultProgrammeId || routing.primaryHostOf.has(programmeId)) continue;
		addresses.push(
			programmeAddressOf({ primaryHost: null, slug, isDefault: false }, { config: getApp().config, origin })
		);
	}
	return addresses;
}
