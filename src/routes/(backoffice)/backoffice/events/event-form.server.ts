import type { Actor } from '#server/auth/actor.ts';
import type { Db } from '#server/db/index.ts';
import { EVENT_KINDS, type Event } from '#server/db/schema/index.ts';
import { listOwnerChoices } from '#server/domain/media/listing.service.ts';
import type { UpdateEventInput } from '#server/domain/event/event.schemas.ts';
import { listPublicWorkspaces } from '#server/domain/workspace/workspace.service.ts';
import { listProgrammeCommuneChoices } from '#server/domain/territory/territory.service.ts';
import { communeCodeOfChoice, type CommuneChoice } from '$lib/domain/communes.ts';
import { fromLocalInput, toLocalInput } from '$lib/domain/datetime.ts';
import { isChecked, nullableTextOf, numberOf, textOf } from '../villages/listing-forms.server.ts';

/**
 * The event form's fields → the service input (create and edit share them). Times are typed
 * in Paris time (datetime-local); what is not a date is passed on for the service to report.
 */
export function eventInput(data: FormData, communes: readonly CommuneChoice[]) {
	return {
		kind: textOf(data, 'kind') as Event['kind'],
		titleFr: textOf(data, 'titleFr'),
		titleEn: nullableTextOf(data, 'titleEn'),
		descriptionFr: nullableTextOf(data, 'descriptionFr'),
		descriptionEn: nullableTextOf(data, 'descriptionEn'),
		startsAt: fromLocalInput(textOf(data, 'startsAt')),
		endsAt: fromLocalInput(textOf(data, 'endsAt')),
		villageId: nullableTextOf(data, 'villageId'),
		workspaceId: nullableTextOf(data, 'workspaceId'),
		address: nullableTextOf(data, 'address'),
		communeCode:
			nullableTextOf(data, 'communeCode') && communeCodeOfChoice(textOf(data, 'communeCode'), communes),
		isOnline: isChecked(data, 'isOnline'),
		capacity: numberOf(data, 'capacity'),
		status: textOf(data, 'status') as 'draft' | 'published'
	} satisfies UpdateEventInput;
}

/** A saved event as the form's text values. */
export function eventValues(event: Event): Record<string, string> {
	const text = (value: string | number | null | undefined) =>
		value === null || value === undefined ? '' : String(value);
	return {
		kind: event.kind,
		titleFr: event.titleFr,
		titleEn: text(event.titleEn),
		descriptionFr: text(event.descriptionFr),
		descriptionEn: text(event.descriptionEn),
		startsAt: toLocalInput(event.startsAt),
		endsAt: toLocalInput(event.endsAt),
		villageId: text(event.villageId),
		workspaceId: text(event.workspaceId),
		address: text(event.address),
		communeCode: text(event.communeCode),
		isOnline: event.isOnline ? 'on' : '',
		capacity: text(event.capacity),
		status: event.status === 'cancelled' ? 'published' : event.status
	};
}

/** What the form's selects offer this actor: committee members choose among their villages only. */
export async function eventChoices(actor: Actor, { db }: { db: Db }) {
	const { villages } = await listOwnerChoices({ actor }, { db });
	const { workspaces } = await listPublicWorkspaces({ programmeId: actor.programmeId }, { db });
	const { communes } = await listProgrammeCommuneChoices({ programmeId: actor.programmeId }, { db });
	return {
		kinds: EVENT_KINDS,
		villages,
		/** Staff may leave the village empty (a programme event); committee members may not. */
		isVillageRequired: actor.role === 'committee',
		workspaces: workspaces.map((workspace) => ({ id: workspace.id, name: workspace.name })),
		communes
	};
}
