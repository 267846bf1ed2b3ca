import type { MessageKey } from '$lib/i18n/core.ts';

/** Roles as in the server's ROLES (kept as strings: this file also runs in the browser). */
type Role = 'admin' | 'advisor' | 'committee' | 'partner' | 'member' | 'candidate';

export type BackofficeNavItem = {
	href: string;
	label: MessageKey;
	/** Who sees the item; pages still check permissions in their services. */
	roles: readonly Role[];
	/** SVG path data (24×24, stroked). */
	icon: string;
	/** Only the exact path marks the item as current (otherwise any sub-path does). */
	exact?: boolean;
};

/** The back office's navigation, in order. Each capability adds its pages here. */
export const BACKOFFICE_NAV: BackofficeNavItem[] = [
	{
		href: '/backoffice',
		label: 'common_bo_nav_dashboard',
		roles: ['admin', 'advisor', 'committee', 'partner'],
		icon: 'M4 4h7v7H4zM13 4h7v4h-7zM13 10h7v10h-7zM4 13h7v7H4z',
		exact: true
	},
	{
		href: '/backoffice/my-day',
		label: 'bocase_nav_my_day',
		roles: ['admin', 'advisor'],
		icon: 'M4 5h16v15H4zM4 9h16M8 3v4M16 3v4M8 14l3 3 5-5'
	},
	{
		href: '/backoffice/advisors',
		label: 'advdash_nav',
		roles: ['admin', 'advisor'],
		icon: 'M4 20V10M10 20V4M16 20v-7M22 20H2'
	},
	{
		href: '/backoffice/observatory',
		label: 'observatory_nav',
		roles: ['admin', 'advisor', 'committee'],
		icon: 'M3 3v18h18M7 15l4-4 3 3 5-6'
	},
	{
		href: '/backoffice/cases',
		label: 'bocase_nav_cases',
		roles: ['admin', 'advisor', 'committee'],
		icon: 'M3 7h7l2 2h9v10H3zM3 7V5h7l2 2'
	},
	{
		href: '/backoffice/cases/duplicates',
		label: 'caseedit_nav_duplicates',
		roles: ['admin', 'advisor'],
		icon: 'M8 4h10v12H8zM4 8v12h10'
	},
	{
		href: '/backoffice/vocabularies',
		label: 'vocabulary_nav',
		roles: ['admin', 'advisor'],
		icon: 'M4 5h6v6H4zM14 5h6M14 9h4M4 15h6M4 19h4M14 15h6v4h-6z'
	},
	{
		href: '/backoffice/stays',
		label: 'stays_nav',
		roles: ['admin', 'advisor', 'committee', 'partner'],
		icon: 'M3 20h18M5 20V9l7-5 7 5v11M9 13h6M9 16h6'
	},
	{
		href: '/backoffice/follow-up',
		label: 'followup_nav',
		roles: ['admin', 'advisor'],
		icon: 'M3 12h4l3-7 4 14 3-7h4'
	},
	{
		href: '/backoffice/referrals',
		label: 'referral_nav',
		roles: ['admin', 'advisor', 'partner'],
		icon: 'M4 12h13M12 6l6 6-6 6M4 5v14'
	},
	{
		href: '/backoffice/mail-templates',
		label: 'mailtpl_nav',
		roles: ['admin', 'advisor'],
		icon: 'M4 4h16v16H4zM8 8h8M8 12h8M8 16h5'
	},
	{
		href: '/backoffice/people',
		label: 'people_nav',
		roles: ['admin', 'advisor'],
		icon: 'M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM2 21v-1a7 7 0 0 1 14 0v1M17 11a3 3 0 1 0 0-6M22 21v-1a5 5 0 0 0-4-4.9'
	},
	{
		href: '/backoffice/outbox',
		label: 'common_bo_nav_outbox',
		roles: ['admin'],
		icon: 'M3 6h18v12H3z M3 7l9 6 9-6'
	},
	{
		href: '/backoffice/events',
		label: 'evreg_bo_nav',
		roles: ['admin', 'advisor', 'committee'],
		icon: 'M4 5h16v15H4zM4 9h16M8 3v4M16 3v4M8 13h3v3H8z'
	},
	{
		href: '/backoffice/villages',
		label: 'listings_nav_villages',
		roles: ['admin', 'advisor', 'committee'],
		icon: 'M3 21h18M5 21V10l7-5 7 5v11M10 21v-6h4v6'
	},
	{
		href: '/backoffice/organisations',
		label: 'org_nav',
		roles: ['admin', 'advisor', 'partner'],
		icon: 'M4 21V7l8-4 8 4v14M9 21v-5h6v5M8 10h2M14 10h2M8 13h2M14 13h2'
	},
	{
		href: '/backoffice/workspaces',
		label: 'listings_nav_workspaces',
		roles: ['admin', 'advisor', 'partner'],
		icon: 'M3 18h18M5 18V6h14v12M9 10h6M9 14h6'
	},
	{
		href: '/backoffice/offers',
		label: 'listings_nav_offers',
		roles: ['admin', 'advisor', 'committee', 'partner'],
		icon: 'M4 4h9l7 7-9 9-7-7zM8.5 8.5h.01'
	},
	{
		href: '/backoffice/settings',
		label: 'psettings_nav',
		roles: ['admin'],
		icon: 'M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM19 12h2M3 12h2M12 3v2M12 19v2M17 7l1.5-1.5M5.5 18.5 7 17M17 17l1.5 1.5M5.5 5.5 7 7'
	},
	{
		href: '/backoffice/privacy',
		label: 'privacy_admin_nav',
		roles: ['admin'],
		icon: 'M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6zM9 12l2 2 4-4'
	},
	{
		href: '/backoffice/territory',
		label: 'reference_nav',
		roles: ['admin'],
		icon: 'M3 6l6-3 6 3 6-3v15l-6 3-6-3-6 3zM9 3v15M15 6v15'
	}
];

export function navItemsFor(role: Role | undefined): BackofficeNavItem[] {
	return role ? BACKOFFICE_NAV.filter((item) => item.roles.includes(role)) : [];
}

/**
 * The one item the page at `pathname` belongs to: the longest address that is the page's or a
 * parent of it (`/backoffice/cases/duplicates` is "Duplicates", not "Cases" too). An `exact` item
 * matches its own address only.
 */
export function currentNavHref(
	items: readonly Pick<BackofficeNavItem, 'href' | 'exact'>[],
	pathname: string
): string | null {
	const matches = items.filter((item) =>
		item.exact ? pathname === item.href : pathname === item.href || pathname.startsWith(`${item.href}/`)
	);
	return matches.sort((a, b) => b.href.length - a.href.length)[0]?.href ?? null;
}
