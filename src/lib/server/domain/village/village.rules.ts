import type { Actor } from '../../auth/actor.ts';
import { isStaff } from '../../auth/actor.ts';
import type { CommitteeContact, VillageServices } from '../../db/schema/index.ts';
import { villageForbidden, villageNotFound } from './village.errors.ts';
import type { VillageServiceFilter } from './village.schemas.ts';

/**
 * Who may edit a village: programme staff (admin, advisor) any village of their
 * programme; committee members only the villages they sit on.
 */
export function canEditVillage(
	actor: Actor,
	village: { id: string; programmeId: string },
	committeeVillageIds: readonly string[]
): boolean {
	if (village.programmeId !== actor.programmeId) return false;
	if (isStaff(actor)) return true;
	return actor.role === 'committee' && committeeVillageIds.includes(village.id);
}

/** Throws `village.not_found` (not forbidden) so that other villages' existence does not leak. */
export function assertCanEditVillage(
	actor: Actor,
	village: { id: string; programmeId: string },
	committeeVillageIds: readonly string[]
): void {
	if (!canEditVillage(actor, village, committeeVillageIds)) throw villageNotFound({ villageId: village.id });
}

/** Status and membership date are programme decisions: staff only. */
export function assertCanChangeVillageStatus(actor: Actor, village: { id: string }): void {
	if (!isStaff(actor)) throw villageForbidden({ villageId: village.id, field: 'status' });
}

/** A URL name from a commune name: "L'Isle-Jourdain" → 'l-isle-jourdain', 'Miélan' → 'mielan'. */
export function slugify(name: string): string {
	return name
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/œ/g, 'oe')
		.replace(/æ/g, 'ae')
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '');
}

/** Whether a village offers a service; unknown (not filled in) counts as no. */
export function hasVillageService(services: VillageServices, filter: VillageServiceFilter): boolean {
	switch (filter) {
		case 'primary_school':
			return services.schools?.primary === true;
		case 'middle_school':
			return services.schools?.middle === true;
		case 'high_school':
			return services.schools?.high === true;
		case 'doctor':
			return services.health?.doctor === true;
		case 'pharmacy':
			return services.health?.pharmacy === true;
		case 'nursing':
			return services.health?.nursing === true;
		case 'shops':
			return (services.shops?.length ?? 0) > 0;
		case 'station':
			return services.station === true;
		case 'bus':
			return services.bus === true;
	}
}

/**
 * Whether a child under 3 can be looked after in the village, for the matching engine: yes when
 * a crèche or childminders are said, no only when both are said absent, unknown otherwise.
 */
export function villageChildcare(services: VillageServices): boolean | null {
	const { creche, childminders } = services.childcare ?? {};
	if (creche === true || childminders === true) return true;
	if (creche === false && childminders === false) return false;
	return null;
}

/** The text in the reader's language, or French (the source language) when it is missing. */
export function pickLocalised(
	texts: { fr: string | null | undefined; en: string | null | undefined },
	locale: 'fr' | 'en'
): string | null {
	const clean = (text: string | null | undefined) => (text?.trim() ? text : null);
	return clean(locale === 'en' ? texts.en : texts.fr) ?? clean(texts.fr) ?? clean(texts.en);
}

/** The contact shown to candidates: the one the committee wrote, else its contact member. */
export function resolveCommitteeContact(
	written: CommitteeContact | null,
	contactMember: { name: string; email: string } | null
): CommitteeContact | null {
	if (written) return written;
	return contactMember ? { name: contactMember.name, email: contactMember.email, phone: null } : null;
}

/** Escapes `%`, `_` and `\` so that user text is matched literally by LIKE. */
export function likePattern(search: string): string {
	return `%${search.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
}
