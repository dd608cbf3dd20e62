/**
 * The station list beside the map: every station, with or without coordinates, as a button named
 * exactly as its marker (`<name> — <category>`), sortable by category or name, filtered by region.
 */
import { CATEGORY_STYLES, categoryKey, categoryLabel } from '../domain/categories';
import { type SortOrder, type StationView, sortStations } from '../domain/stations';
import { hourEndLabel } from '../domain/sydney-time';
import { h } from './dom';

export interface StationList {
  render(stations: Iterable<StationView>): void;
  setOrder(order: SortOrder): void;
  setRegion(region: string | null): void;
}

export function createStationList(list: HTMLUListElement, onSelect: (siteId: number) => void): StationList {
  let order: SortOrder = 'category';
  let region: string | null = null;
  let current: StationView[] = [];

  const draw = () => {
    // A live repaint must not take the keyboard's place away: refocus the same station's button.
    const focused = (document.activeElement as HTMLElement | null)?.closest?.('button.station') as HTMLElement | null;
    const focusedId = focused && list.contains(focused) ? focused.dataset.siteId : undefined;
    const items = sortStations(current, order)
      .filter((s) => region === null || s.region === region)
      .map((s) => {
        const key = categoryKey(s.category);
        const button = h(
          'button',
          { type: 'button', class: 'station', 'data-site-id': s.siteId, 'data-category': key },
          h('span', { class: 'swatch', 'aria-hidden': 'true', style: `background:${CATEGORY_STYLES[key].colour}` }),
          `${s.name} \u2014 ${categoryLabel(s.category)}`,
        );
        button.addEventListener('click', () => onSelect(s.siteId));
        const where = [s.region, s.latitude === null ? 'not on the map (no coordinates)' : null]
          .filter(Boolean)
          .join(' · ');
        const when = s.hourStart ? `hour to ${hourEndLabel(s.hourStart)}` : 'no reading yet';
        return h('li', {}, button, h('span', { class: 'meta', text: `${where} · ${when}` }));
      });
    list.replaceChildren(...items);
    if (focusedId) list.querySelector<HTMLButtonElement>(`button[data-site-id="${focusedId}"]`)?.focus();
  };

  return {
    render(stations) {
      current = [...stations];
      draw();
    },
    setOrder(next) {
      order = next;
      draw();
    },
    setRegion(next) {
      region = next;
      draw();
    },
  };
}
