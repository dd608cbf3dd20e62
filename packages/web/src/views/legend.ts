/** The legend: each category's colour and name, in NSW's order. */
import { CATEGORY_KEYS, CATEGORY_STYLES } from '../domain/categories';
import { h } from './dom';

export function renderLegend(list: HTMLElement): void {
  list.replaceChildren(
    ...CATEGORY_KEYS.map((key) =>
      h(
        'li',
        {},
        h('span', { class: 'swatch', 'aria-hidden': 'true', style: `background:${CATEGORY_STYLES[key].colour}` }),
        CATEGORY_STYLES[key].label,
      ),
    ),
  );
}
