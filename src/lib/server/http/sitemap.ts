import type { Db } from '../db/index.ts';
import { listPastEvents, listPublicEvents } from '../domain/event/event.service.ts';
import { listDirectorySitemap } from '../domain/member/member.service.ts';
import { searchOffers } from '../domain/offer/offer.service.ts';
import { findPublicProgramme } from '../domain/programme/programme.service.ts';
import { listPublicVillages } from '../domain/village/village.service.ts';
import { listPublicWorkspaces } from '../domain/workspace/workspace.service.ts';
import { LOCALES, type Locale } from '../../i18n/index.ts';
import { addressUrl } from '../../domain/programme-address.ts';

/**
 * sitemap.xml and robots.txt, built from a registry of public pages.
 *
 * Every public page exists once per language, at the same path with `?lang=fr` or
 * `?lang=en` (the locale is otherwise negotiated). To publish more pages, append a
 * source to `SITEMAP_SOURCES` (e.g. one that lists the partner villages from their
 * service): `sitemapEntries` calls each source and the route renders every entry in
 * every language with its `xhtml:link` alternates.
 */
export type SitemapEntry = {
	/** Root-relative path, without query string: `/villages/auch`. */
	path: string;
	/** Last change of the page's content (ISO date or Date). */
	lastModified?: Date | string | null;
	changeFrequency?: 'always' | 'hourly' | 'daily' | 'weekly' | 'monthly' | 'yearly' | 'never';
	/** 0.0 – 1.0, relative to the site's other pages. */
	priority?: number;
};

/** A source lists the pages of one programme (`programmeId`, null before a programme exists). */
export type SitemapSource = (deps: {
	db: Db;
	programmeId: string | null;
}) => SitemapEntry[] | Promise<SitemapEntry[]>;

/** The public pages that exist without any data: home, application form, map, FAQ, legal notice, privacy. */
export const STATIC_PUBLIC_PAGES: readonly SitemapEntry[] = [
	{ path: '/', changeFrequency: 'weekly', priority: 1 },
	{ path: '/apply', changeFrequency: 'monthly', priority: 0.9 },
	{ path: '/map', changeFrequency: 'weekly', priority: 0.8 },
	{ path: '/faq', changeFrequency: 'monthly', priority: 0.6 },
	{ path: '/legal', changeFrequency: 'yearly', priority: 0.2 },
	{ path: '/privacy', changeFrequency: 'yearly', priority: 0.2 }
];

/** The lists of the territorial offer, and one page per partner village, workspace and public offer. */
export const TERRITORY_LIST_PAGES: readonly SitemapEntry[] = [
	{ path: '/villages', changeFrequency: 'weekly', priority: 0.9 },
	{ path: '/offers', changeFrequency: 'daily', priority: 0.9 },
	{ path: '/workspaces', changeFrequency: 'monthly', priority: 0.7 }
];

const villagePages: SitemapSource = async ({ db, programmeId }) => {
	if (!programmeId) return [];
	const { villages } = await listPublicVillages({ programmeId }, { db });
	return villages.map((village) => ({
		path: `/villages/${village.slug}`,
		changeFrequency: 'weekly' as const,
		priority: 0.8
	}));
};

const workspacePages: SitemapSource = async ({ db, programmeId }) => {
	if (!programmeId) return [];
	const { workspaces } = await listPublicWorkspaces({ programmeId }, { db });
	return workspaces.map((workspace) => ({
		path: `/workspaces/${workspace.slug}`,
		changeFrequency: 'monthly' as const,
		priority: 0.6
	}));
};

/** Public offers only: expired and taken ones answer 404 and must leave the sitemap. */
const offerPages: SitemapSource = async ({ db, programmeId }) => {
	if (!programmeId) return [];
	const { offers } = await searchOffers({ programmeId }, { db });
	return offers.map((offer) => ({
		path: `/offers/${offer.id}`,
		lastModified: offer.publishedAt,
		changeFrequency: 'weekly' as const,
		priority: 0.6
	}));
};

/**
 * The agenda, its calendar feed (what calendar applications subscribe to), its upcoming events
 * and the latest past ones (published only; drafts answer 404).
 */
const eventPages: SitemapSource = async ({ db, programmeId }) => {
	if (!programmeId) return [];
	const { events: upcoming } = await listPublicEvents({ programmeId }, { db });
	const { events: past } = await listPastEvents({ programmeId }, { db });
	return [
		{ path: '/events', changeFrequency: 'weekly' as const, priority: 0.7 },
		{ path: EVENTS_CALENDAR_FEED_PATH, changeFrequency: 'daily' as const, priority: 0.5 },
		...[...upcoming, ...past].map((event) => ({
			path: `/events/${event.id}`,
			changeFrequency: 'monthly' as const,
			priority: 0.5
		}))
	];
};

/** The programme's calendar feed (iCalendar), linked from /events as "subscribe". */
export const EVENTS_CALENDAR_FEED_PATH = '/events/calendar.ics';

/** The member directory and its listed profiles only: members who did not opt in never appear. */
const directoryPages: SitemapSource = async ({ db, programmeId }) => {
	if (!programmeId) return [];
	const { profiles } = await listDirectorySitemap({ programmeId }, { db });
	return [
		{ path: '/directory', changeFrequency: 'weekly' as const, priority: 0.7 },
		...profiles.map((profile) => ({
			path: `/directory/${profile.id}`,
			lastModified: profile.updatedAt,
			changeFrequency: 'monthly' as const,
			priority: 0.4
		}))
	];
};

/** Append a source here to publish more pages. */
export const SITEMAP_SOURCES: SitemapSource[] = [
	() => [...STATIC_PUBLIC_PAGES],
	() => [...TERRITORY_LIST_PAGES],
	villagePages,
	workspacePages,
	offerPages,
	eventPages,
	directoryPages
];

/** Paths crawlers should not visit (signed-in areas and forms). */
export const ROBOTS_DISALLOW: readonly string[] = [
	'/backoffice',
	'/account',
	'/member',
	'/signin',
	'/signout',
	'/forgot-password',
	'/reset-password'
];

/**
 * Every public page of a programme's site (`programmeId`: the request's host's programme;
 * null or unknown: the default programme), from every registered source, without duplicates.
 */
export async function sitemapEntries({
	db,
	programmeId
}: {
	db: Db;
	programmeId?: string | null;
}): Promise<SitemapEntry[]> {
	const { programme } = await findPublicProgramme({ programmeId }, { db });
	const seen = new Set<string>();
	const entries: SitemapEntry[] = [];
	for (const source of SITEMAP_SOURCES) {
		for (const entry of await source({ db, programmeId: programme?.id ?? null })) {
			if (seen.has(entry.path)) continue;
			seen.add(entry.path);
			entries.push(entry);
		}
	}
	return entries;
}

const XML_ESCAPES: Record<string, string> = {
	'&': '&amp;',
	'<': '&lt;',
	'>': '&gt;',
	'"': '&quot;',
	"'": '&apos;'
};
const escapeXml = (text: string) => text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c]);

/** Absolute URL of a page in one language (`null`: no `lang`, the negotiated x-default). */
export function localizedUrl(origin: string, path: string, locale: Locale | null): string {
	const base = addressUrl(origin, path);
	return locale ? `${base}${path.includes('?') ? '&' : '?'}lang=${locale}` : base;
}

function formatDate(value: Date | string): string {
	const date = typeof value === 'string' ? new Date(value) : value;
	return Number.isNaN(date.getTime()) ? '' : date.toISOString().slice(0, 10);
}

/** The sitemap XML: one <url> per page and language, each listing all languages and x-default. */
export function renderSitemap({
	origin,
	entries,
	locales = LOCALES
}: {
	origin: string;
	entries: readonly SitemapEntry[];
	locales?: readonly Locale[];
}): string {
	const lines = [
		'<?xml version="1.0" encoding="UTF-8"?>',
		'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">'
	];
	for (const entry of entries) {
		const alternates = [
			...locales.map(
				(lang) =>
					`    <xhtml:link rel="alternate" hreflang="${lang}" href="${escapeXml(localizedUrl(origin, entry.path, lang))}"/>`
			),
			`    <xhtml:link rel="alternate" hreflang="x-default" href="${escapeXml(localizedUrl(origin, entry.path, null))}"/>`
		];
		const lastmod = entry.lastModified ? formatDate(entry.lastModified) : '';
		for (const locale of locales) {
			lines.push('  <url>');
			lines.push(`    <loc>${escapeXml(localizedUrl(origin, entry.path, locale))}</loc>`);
			if (lastmod) lines.push(`    <lastmod>${lastmod}</lastmod>`);
			if (entry.changeFrequency) lines.push(`    <changefreq>${entry.changeFrequency}</changefreq>`);
			if (entry.priority !== undefined) lines.push(`    <priority>${entry.priority.toFixed(1)}</priority>`);
			lines.push(...alternates);
			lines.push('  </url>');
		}
	}
	lines.push('</urlset>', '');
	return lines.join('\n');
}

/**
 * robots.txt: everything public is allowed, signed-in areas are not (under a programme's
 * `/p/<slug>` prefix too), and the sitemap is announced, with those of the programmes reached on
 * this host at their prefix (`prefixed`: their addresses).
 */
export function renderRobots({ origin, prefixed = [] }: { origin: string; prefixed?: string[] }): string {
	return [
		'User-agent: *',
		'Allow: /',
		...ROBOTS_DISALLOW.map((path) => `Disallow: ${path}`),
		...ROBOTS_DISALLOW.map((path) => `Disallow: /p/*${path}`),
		'',
		...[origin, ...prefixed].map((address) => `Sitemap: ${addressUrl(address, '/sitemap.xml')}`),
		''
	].join('\n');
}
