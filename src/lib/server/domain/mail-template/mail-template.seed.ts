import type { DemoSeedStep } from '../../demo/demo.types.ts';
import { mailTemplatesTable, type MailTemplateLocale } from '../../db/schema/index.ts';

/** Demo templates, French and English: welcome, discovery visit invitation, congratulations. */
export const DEMO_MAIL_TEMPLATES: {
	name: string;
	locale: MailTemplateLocale;
	subject: string;
	body: string;
}[] = [
	{
		name: 'Bienvenue après qualification (démo)',
		locale: 'fr',
		subject: 'Bienvenue dans le programme {{programme}}, {{firstName}}',
		body: 'Bonjour {{firstName}},\n\nMerci pour notre échange. Votre projet est désormais suivi par **{{advisor}}** (dossier {{reference}}).\n\nProchaines étapes :\n\n- une visite découverte de {{villages}} ;\n- la rencontre avec le comité d’accueil du village.\n\nÀ très bientôt,\n\n{{advisor}} — {{programme}}'
	},
	{
		name: 'Welcome after qualification (demo)',
		locale: 'en',
		subject: 'Welcome to the {{programme}} programme, {{firstName}}',
		body: 'Hello {{firstName}},\n\nThank you for our conversation. **{{advisor}}** now follows your project (case {{reference}}).\n\nNext steps:\n\n- a discovery visit of {{villages}};\n- meeting the village’s welcome committee.\n\nSee you soon,\n\n{{advisor}} — {{programme}}'
	},
	{
		name: 'Invitation à la visite découverte (démo)',
		locale: 'fr',
		subject: 'Votre visite découverte de {{villages}}',
		body: 'Bonjour {{firstName}},\n\nNous serions heureux de vous faire découvrir **{{villages}}** : logement, écoles, tiers-lieux et commerces. Le comité d’accueil vous attend.\n\nRépondez à ce message pour choisir une date.\n\n{{advisor}} — {{programme}}'
	},
	{
		name: 'Discovery visit invitation (demo)',
		locale: 'en',
		subject: 'Your discovery visit of {{villages}}',
		body: 'Hello {{firstName}},\n\nWe would be glad to show you **{{villages}}**: housing, schools, third places and shops. The welcome committee is looking forward to meeting you.\n\nReply to this message to choose a date.\n\n{{advisor}} — {{programme}}'
	},
	{
		name: 'Félicitations pour votre installation (démo)',
		locale: 'fr',
		subject: 'Bienvenue chez vous, {{firstName}} !',
		body: 'Bonjour {{firstName}} {{lastName}},\n\nToute l’équipe de {{programme}} vous félicite pour votre installation. Le comité d’accueil reste à vos côtés pendant la première année.\n\n{{advisor}}'
	},
	{
		name: 'Congratulations on moving in (demo)',
		locale: 'en',
		subject: 'Welcome home, {{firstName}}!',
		body: 'Hello {{firstName}} {{lastName}},\n\nThe whole {{programme}} team congratulates you on moving in. The welcome committee stays by your side for the first year.\n\n{{advisor}}'
	}
];

export const mailTemplateDemoSeedStep: DemoSeedStep = {
	name: 'mail-templates',
	async run({ db, programme, log }) {
		await db
			.insert(mailTemplatesTable)
			.values(
				DEMO_MAIL_TEMPLATES.map((template) => ({ ...template, programmeId: programme.id, isDemo: true }))
			);
		log(`Demo mail templates: ${DEMO_MAIL_TEMPLATES.length} (French and English).`);
	}
};
