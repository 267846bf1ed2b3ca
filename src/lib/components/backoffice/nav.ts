import type { MessageKey } from '$lib/i18n/index.ts';

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
		href: '/backoffice/outbox',
		label: 'common_bo_nav_outbox',
		roles: ['admin'],
		icon: 'M3 6h18v12H3z M3 7l9 6 9-6'
	}
];

export function navItemsFor(role: Role | undefined): BackofficeNavItem[] {
	return role ? BACKOFFICE_NAV.filter((item) => item.roles.includes(role)) : [];
}
