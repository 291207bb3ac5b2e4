// Counted strings. A template's i18n block gives each of them as KEY_one and KEY_other, both from one
// ngettext entry of the catalogue; the form for a number is the page language's (Intl.PluralRules:
// 0 and 1 are singular in French, only 1 in English). {count} and {n} are filled with the number.

const rules = new Map();

export const pageLocale = () => globalThis.document?.documentElement.lang || 'fr';

/** 'one' or 'other' (a category the strings have no key for, e.g. French 'many', counts as 'other'). */
export function pluralForm(n, locale = pageLocale()) {
  if (!rules.has(locale)) rules.set(locale, new Intl.PluralRules(locale));
  return rules.get(locale).select(Number(n)) === 'one' ? 'one' : 'other';
}

/** `t[key_one]` or `t[key_other]` for `n`, with {count}, {n} and `vars` filled in. */
export function plural(t, key, n, locale = pageLocale(), vars = {}) {
  const text = t[`${key}_${pluralForm(n, locale)}`] ?? t[`${key}_other`] ?? '';
  const values = { count: n, n, ...vars };
  return String(text).replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}
