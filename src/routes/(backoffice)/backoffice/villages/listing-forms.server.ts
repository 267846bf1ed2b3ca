import { fail, type RequestEvent } from '@sveltejs/kit';
import { getApp } from '#server/app.ts';
import type { MediaOwnerKind } from '#server/db/schema/index.ts';
import { isDomainError } from '#server/errors.ts';
import { mediaFileRequired } from '#server/domain/media/media.errors.ts';
import { listProgrammeCommuneChoices } from '#server/domain/territory/territory.service.ts';
import type { CommuneChoice } from '$lib/domain/communes.ts';
import { addPhoto, movePhoto, removePhoto } from '#server/domain/media/media.service.ts';
import { requireActor } from '#server/http/actor.ts';
import { failForm, formText, formValues, STATUS } from '#server/http/errors.ts';

/*
 * SvelteKit glue shared by the village, workspace and offer back-office pages: form fields
 * → service input, failures tagged with the form they come from (a page holds several
 * forms), and the photo actions.
 */

/** The communes a form's commune field reads a typed name against: the programme's territory. */
export async function communeChoicesOf({ programmeId }: { programmeId: string }): Promise<CommuneChoice[]> {
	return (await listProgrammeCommuneChoices({ programmeId }, { db: getApp().database.db })).communes;
}

/** Domain errors that are about one field: their message goes next to that field. */
const FIELD_OF_CODE: Record<string, string> = {
	'offer.invalid_expiry': 'expiresAt',
	'offer.commune_not_found': 'communeCode',
	'offer.invalid_owner': 'villageId',
	'offer.invalid_disclosure': 'userId',
	'workspace.commune_not_found': 'communeCode',
	'village.commune_not_found': 'communeCode',
	'village.already_exists': 'communeCode',
	'village.slug_taken': 'slug',
	'workspace.slug_taken': 'slug',
	'workspace.invalid_organisation': 'organisationId'
};

/** `failForm`, remembering which of the page's forms failed so its errors show next to its fields. */
export function failFormOf(form: string, err: unknown, values: Record<string, string>) {
	if (isDomainError(err) && FIELD_OF_CODE[err.code]) {
		return fail(STATUS[err.kind], {
			form,
			values,
			issues: { [FIELD_OF_CODE[err.code]]: err.code },
			params: err.details as Record<string, string | number>
		});
	}
	const failure = failForm(err, values);
	return fail(failure.status, { ...failure.data, form });
}

/** Trimmed text ('' when absent). */
export const textOf = (data: FormData, name: string) => formText(data, name).trim();
/** Trimmed text, or null when empty (optional fields). */
export function nullableTextOf(data: FormData, name: string): string | null {
	const text = textOf(data, name);
	return text === '' ? null : text;
}
/**
 * A number, null when empty; text that is not a number is passed on as is so that the
 * service's schema reports it with its own code next to the field.
 */
export function numberOf(data: FormData, name: string): number | null {
	const text = textOf(data, name).replace(/\s/g, '').replace(',', '.');
	if (text === '') return null;
	const value = Number(text);
	return (Number.isFinite(value) ? value : text) as number;
}
/** One item per line (or comma), empty items dropped. */
export function linesOf(data: FormData, name: string): string[] {
	return textOf(data, name)
		.split(/[\n,]/)
		.map((line) => line.trim())
		.filter(Boolean);
}
export const isChecked = (data: FormData, name: string) => data.get(name) === 'on';
/**
 * A yes / no / not said choice: 'yes' → true, 'no' → false, empty → undefined (not said);
 * anything else is passed on for the schema to refuse with the field named.
 */
export function knownOf(data: FormData, name: string): boolean | undefined {
	const text = textOf(data, name);
	if (text === '') return undefined;
	if (text === 'yes') return true;
	if (text === 'no') return false;
	return text as unknown as boolean;
}

type PhotoEvent = Pick<RequestEvent, 'locals' | 'url'> & { request: Request; params: Record<string, string> };

/** The add, remove and move photo actions of an owner's edit page (`ownerParam` names the route parameter). */
export function photoActions(ownerKind: MediaOwnerKind, ownerParam: string) {
	return {
		addPhoto: async (event: PhotoEvent) => {
			const actor = requireActor(event);
			const data = await event.request.formData();
			const values = formValues(data);
			const file = data.get('photo');
			const app = getApp();
			try {
				if (!(file instanceof File) || file.size === 0) throw mediaFileRequired();
				await addPhoto(
					{
						actor,
						ownerKind,
						ownerId: event.params[ownerParam],
						bytes: new Uint8Array(await file.arrayBuffer()),
						altFr: formText(data, 'altFr'),
						altEn: formText(data, 'altEn')
					},
					{ db: app.database.db, storage: app.storage }
				);
			} catch (err) {
				// What is wrong with the file is said next to the file field.
				if (isDomainError(err) && err.code.startsWith('media.') && err.kind === 'invalid') {
					return fail(STATUS.invalid, {
						form: 'photo',
						values,
						issues: { photo: err.code },
						params: err.details as Record<string, string | number>
					});
				}
				return failFormOf('photo', err, values);
			}
			return { form: 'photo', success: 'photo_added' };
		},
		removePhoto: async (event: PhotoEvent) => {
			const actor = requireActor(event);
			const data = await event.request.formData();
			const app = getApp();
			try {
				await removePhoto(
					{ actor, mediaId: formText(data, 'mediaId') },
					{ db: app.database.db, storage: app.storage }
				);
			} catch (err) {
				return failFormOf('photos', err, {});
			}
			return { form: 'photos', success: 'photo_removed' };
		},
		movePhoto: async (event: PhotoEvent) => {
			const actor = requireActor(event);
			const data = await event.request.formData();
			try {
				await movePhoto(
					{
						actor,
						mediaId: formText(data, 'mediaId'),
						direction: formText(data, 'direction') as 'up' | 'down'
					},
					{ db: getApp().database.db }
				);
			} catch (err) {
				return failFormOf('photos', err, {});
			}
			return { form: 'photos', success: 'photo_moved' };
		}
	};
}
