import { isStaff, type Actor } from '#server/auth/actor.ts';
import { WORKSPACE_KINDS, WORKSPACE_PRICE_PERIODS, type Workspace } from '#server/db/schema/index.ts';
import type { Db } from '#server/db/index.ts';
import { listOwnerChoices } from '#server/domain/media/listing.service.ts';
import { listProgrammeCommuneChoices } from '#server/domain/territory/territory.service.ts';
import { communeCodeOfChoice, type CommuneChoice } from '$lib/domain/communes.ts';
import type { UpdateWorkspaceInput } from '#server/domain/workspace/workspace.schemas.ts';
import { linesOf, nullableTextOf, numberOf, textOf } from '../villages/listing-forms.server.ts';

/** The workspace form's fields → the service input (create and update share them). */
export function workspaceInput(data: FormData, actor: Actor, communes: readonly CommuneChoice[]) {
	const prices: Record<string, number> = {};
	for (const period of WORKSPACE_PRICE_PERIODS) {
		const price = numberOf(data, `prices.${period}`);
		if (price !== null) prices[period] = price;
	}
	const slug = textOf(data, 'slug');
	return {
		kind: textOf(data, 'kind') as (typeof WORKSPACE_KINDS)[number],
		name: textOf(data, 'name'),
		...(slug ? { slug } : {}),
		// Partners cannot hand a workspace over; the service keeps their organisation.
		...(isStaff(actor) ? { organisationId: nullableTextOf(data, 'organisationId') } : {}),
		communeCode: communeCodeOfChoice(textOf(data, 'communeCode'), communes),
		address: nullableTextOf(data, 'address'),
		lat: numberOf(data, 'lat'),
		lon: numberOf(data, 'lon'),
		capacity: numberOf(data, 'capacity'),
		equipment: linesOf(data, 'equipment'),
		connection: nullableTextOf(data, 'connection'),
		prices,
		openingHoursFr: nullableTextOf(data, 'openingHoursFr'),
		openingHoursEn: nullableTextOf(data, 'openingHoursEn'),
		descriptionFr: nullableTextOf(data, 'descriptionFr'),
		descriptionEn: nullableTextOf(data, 'descriptionEn'),
		contactEmail: nullableTextOf(data, 'contactEmail'),
		contactPhone: nullableTextOf(data, 'contactPhone'),
		website: nullableTextOf(data, 'website')
	} satisfies UpdateWorkspaceInput;
}

/** A saved workspace as the form's text values. */
export function workspaceValues(workspace: Workspace): Record<string, string> {
	const text = (value: string | number | null | undefined) =>
		value === null || value === undefined ? '' : String(value);
	return {
		kind: workspace.kind,
		name: workspace.name,
		slug: workspace.slug,
		organisationId: text(workspace.organisationId),
		communeCode: workspace.communeCode,
		address: text(workspace.address),
		lat: text(workspace.lat),
		lon: text(workspace.lon),
		capacity: text(workspace.capacity),
		equipment: workspace.equipment.join('\n'),
		connection: text(workspace.connection),
		...Object.fromEntries(
			WORKSPACE_PRICE_PERIODS.map((period) => [`prices.${period}`, text(workspace.prices[period])])
		),
		openingHoursFr: text(workspace.openingHoursFr),
		openingHoursEn: text(workspace.openingHoursEn),
		descriptionFr: text(workspace.descriptionFr),
		descriptionEn: text(workspace.descriptionEn),
		contactEmail: text(workspace.contactEmail),
		contactPhone: text(workspace.contactPhone),
		website: text(workspace.website)
	};
}

/** What the form's selects and commune list offer this actor. */
export async function workspaceChoices(actor: Actor, { db }: { db: Db }) {
	const { organisations } = await listOwnerChoices({ actor }, { db });
	const { communes } = await listProgrammeCommuneChoices({ programmeId: actor.programmeId }, { db });
	return {
		kinds: WORKSPACE_KINDS,
		periods: WORKSPACE_PRICE_PERIODS,
		organisations,
		canChooseOrganisation: isStaff(actor),
		communes
	};
}
