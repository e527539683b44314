import { useEffect, useRef, useState } from 'react';
import type { useWordsAtFields } from '../../components/use-words-at-fields';
import { useI18n } from '../../i18n/i18n';
import { OrganisationPicker } from '../admin/organisation-picker';
import type { Organisation } from '../admin/admin-access';
import { unitField, type BrandField } from './brand-register-rules';

/**
 * The brand's building units (建设单位): one credit code per row, typed or found by name in the register
 * (the organisation picker of the users page, inside the brand's region, bureaus left out). The rows belong
 * to the form `formId` (their `form` attribute: Enter in one sends it), which ends before this section:
 * the picker is a search form of its own, and one form may not hold another.
 */
export function BuildingUnitRows({ formId, units, onUnits, regionCode, words }: { formId: string; units: string[]; onUnits(units: string[]): void; regionCode: string; words: ReturnType<typeof useWordsAtFields<BrandField>> }) {
  const { t } = useI18n();
  const inputs = useRef<(HTMLInputElement | null)[]>([]);
  const [focusRow, setFocusRow] = useState<number | null>(null);
  const [chosen, setChosen] = useState('');

  // A row added or removed with a press: the keyboard goes on in the row that is there now.
  useEffect(() => {
    if (focusRow === null) return;
    inputs.current[Math.min(focusRow, units.length - 1)]?.focus();
    setFocusRow(null);
  }, [focusRow, units.length]);

  const change = (index: number, code: string) => onUnits(units.map((unit, at) => (at === index ? code : unit)));
  // The rows after the one removed move up a place, so what was said at them would be said at the wrong row.
  const remove = (index: number) => {
    words.sayAtFields({});
    onUnits(units.filter((_, at) => at !== index));
    setFocusRow(Math.max(index - 1, 0));
  };

  /** The organisation chosen by name: into the first empty row, else a new one. Evaluators build no brand (domain.md section 5). */
  const choose = (organisation: Organisation) => {
    if (organisation.kind !== 'provider' && organisation.kind !== 'employer') return setChosen(t('brandRegister.unitNotBuilder', { name: organisation.name }));
    const code = organisation.creditCode ?? '';
    if (units.some((unit) => unit.toUpperCase() === code.toUpperCase())) return setChosen(t('brandRegister.unitAlready', { name: organisation.name }));
    const empty = units.indexOf('');
    onUnits(empty === -1 ? [...units, code] : units.map((unit, at) => (at === empty ? code : unit)));
    setChosen(t('brandRegister.unitAdded', { name: `${organisation.name}（${code}）` }));
  };

  return (
    <section className="panel building-units" aria-labelledby="building-units-title">
      <h2 id="building-units-title">{t('brandRegister.units')}</h2>
      <p id="building-units-hint" className="hint">
        {t('brandRegister.unitsHint')}
      </p>
      <ol>
        {units.map((unit, index) => {
          const field = unitField(index);
          const props = words.inputProps(field, 'building-units-hint');
          const number = index + 1;
          return (
            <li key={index}>
              <label htmlFor={`building-unit-${index}`}>{t('brandRegister.unit', { number })}</label>
              <input
                {...props}
                id={`building-unit-${index}`}
                form={formId}
                maxLength={18}
                autoComplete="off"
                value={unit}
                ref={(input) => {
                  props.ref(input);
                  inputs.current[index] = input;
                }}
                onChange={(event) => {
                  props.onChange();
                  change(index, event.target.value.trim());
                }}
              />
              {words.wordsAt(field)}
              {units.length > 1 && (
                <button type="button" onClick={() => remove(index)}>
                  {t('brandRegister.removeUnit', { number })}
                </button>
              )}
            </li>
          );
        })}
      </ol>
      <button
        type="button"
        onClick={() => {
          onUnits([...units, '']);
          setFocusRow(units.length);
        }}
      >
        {t('brandRegister.addUnit')}
      </button>
      <h3>{t('brandRegister.findUnit')}</h3>
      <p className="hint">{t('brandRegister.findUnitHint', { region: regionCode })}</p>
      <OrganisationPicker within={{ regionCode, bureaus: false }} onChoose={choose} />
      {/* Always there, so each choice is announced as it changes. */}
      <p role="status">{chosen}</p>
    </section>
  );
}
