import { errorKey, type MessageKey, type Translate } from '$lib/i18n/core.ts';

/** What the listing pages' actions return: a success, or a failure of one of the page's forms. */
export type ListingResult = {
	form?: string;
	success?: string;
	code?: string;
	issues?: Record<string, string>;
	values?: Record<string, string>;
	params?: Record<string, string | number>;
} | null;

/**
 * Helpers over an action result for a page with several forms: the values to show
 * (what was typed after a failure, the saved ones otherwise), each field's translated
 * error, and the alert above a form.
 */
export function listingResult(result: ListingResult, t: Translate) {
	const failed = (formName: string) => (result?.form === formName && !result.success ? result : null);
	return {
		failed,
		/** The text to show in a field. */
		valueOf(formName: string, name: string, saved: string | number | null | undefined): string {
			const failure = failed(formName);
			if (failure?.values) return failure.values[name] ?? '';
			return saved === null || saved === undefined ? '' : String(saved);
		},
		/** The form's values: what was typed after a failure, else `saved`. */
		valuesOf(formName: string, saved: Record<string, string>): Record<string, string> {
			return failed(formName)?.values ?? saved;
		},
		isOn(formName: string, name: string, saved: boolean | null | undefined): boolean {
			const failure = failed(formName);
			return failure?.values ? failure.values[name] === 'on' : saved === true;
		},
		/** The translated error of a field, or of any part of it (`services.shops.2` for `services.shops`). */
		errorOf(formName: string, name: string): string | null {
			const failure = failed(formName);
			const issues = failure?.issues ?? {};
			const key = Object.keys(issues).find((k) => k === name || k.startsWith(`${name}.`));
			return key ? t(errorKey(issues[key]), failure?.params ?? {}) : null;
		},
		alertOf(formName: string): { variant: 'success' | 'error'; text: string } | null {
			if (result?.form !== formName) return null;
			if (result.success)
				return { variant: 'success', text: t(`listings_success_${result.success}` as MessageKey) };
			if (result.code && result.code !== 'validation.invalid_input')
				return { variant: 'error', text: t(errorKey(result.code), result.params ?? {}) };
			return { variant: 'error', text: t('listings_form_has_errors') };
		}
	};
}
