import { formText } from '#server/http/errors.ts';
import type { SaveMailTemplateInput } from '#server/domain/mail-template/mail-template.schemas.ts';

/** The template form's fields, as the services take them. */
export function templateInput(data: FormData): SaveMailTemplateInput {
	return {
		name: formText(data, 'name'),
		locale: formText(data, 'locale') as SaveMailTemplateInput['locale'],
		subject: formText(data, 'subject'),
		body: formText(data, 'body')
	};
}
