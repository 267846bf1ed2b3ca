import { defineError } from '../../errors.ts';

/** Only the programme's admins change its settings. */
export const settingsForbidden = defineError('programme_settings.forbidden', 'forbidden');
/** A colour is not written `#rrggbb`. */
export const settingsInvalidColour = defineError('programme_settings.invalid_colour', 'invalid');
/** A colour does not reach 4.5:1 against the text drawn on it (WCAG AA). */
export const settingsContrastTooLow = defineError('programme_settings.contrast_too_low', 'invalid');
/** A text is longer than its limit. */
export const settingsTextTooLong = defineError('programme_settings.text_too_long', 'invalid');
/** A required text is empty (a FAQ question without its answer, a stage without a name). */
export const settingsTextRequired = defineError('programme_settings.text_required', 'invalid');
/** A link is not an http(s) address. */
export const settingsInvalidUrl = defineError('programme_settings.invalid_url', 'invalid');
/** A stage is mapped to a milestone the observatory does not know. */
export const settingsUnknownMilestone = defineError('programme_settings.unknown_milestone', 'invalid');
/** Two stages have the same key. */
export const settingsDuplicateStage = defineError('programme_settings.duplicate_stage', 'invalid');
/** A stage key is not snake_case (a lowercase letter, then letters, digits or _). */
export const settingsInvalidStageKey = defineError('programme_settings.invalid_stage_key', 'invalid');
/** A stage that cases are in, or went through, cannot be removed (details.stage, details.cases). */
export const settingsStageInUse = defineError('programme_settings.stage_in_use', 'conflict');
/** The metropole's code is not a current commune of the COG. */
export const settingsUnknownCommune = defineError('programme_settings.unknown_commune', 'invalid');
/** The metropole's position is outside France (metropolitan and overseas). */
export const settingsOutsideFrance = defineError('programme_settings.outside_france', 'invalid');
/** The département is already part of the territory. */
export const settingsDepartementPresent = defineError('programme_settings.departement_present', 'conflict');
/** No logo of any programme has this key. */
export const settingsLogoNotFound = defineError('programme_settings.logo_not_found', 'not_found');
/** The observatory's minimum cell size is not a whole number from 1 to 50. */
export const settingsInvalidMinCellSize = defineError('programme_settings.invalid_min_cell_size', 'invalid');
/** The comparison's opt-in is neither on nor off. */
export const settingsInvalidComparison = defineError('programme_settings.invalid_comparison', 'invalid');
/** A budget's year is not a year from 1990 to 2100. */
export const settingsInvalidBudgetYear = defineError('programme_settings.invalid_budget_year', 'invalid');
/** A budget's amount is not an amount in euros from 0 to 1,000,000,000 (at most two decimals). */
export const settingsInvalidBudgetAmount = defineError('programme_settings.invalid_budget_amount', 'invalid');
/** The programme has no budget for this year. */
export const settingsBudgetNotFound = defineError('programme_settings.budget_not_found', 'not_found');
