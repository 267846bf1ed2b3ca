import { errorKey, type Translate } from '$lib/i18n/core.ts';
import type { ListingResult } from '../villages/listing-results.ts';

/** The alert above an event form after a failed submit: the error, or "see the fields". */
export function eventFormAlert(
	result: ListingResult,
	t: Translate
): { variant: 'error'; text: string } | null {
	if (!result || result.success) return null;
	if (result.code && result.code !== 'validation.invalid_input')
		return { variant: 'error', text: t(errorKey(result.code), result.params ?? {}) };
	return { variant: 'error', text: t('evadmin_form_has_errors') };
}
