/**
 * NSW Air Quality Categories as the dashboard shows them: NSW's colour scale (green, yellow,
 * orange, red, dark red; grey when there is no data), a label, and the text colour that reads on
 * each swatch. Hex values and contrast ratios: packages/web/README.md, "Colours".
 */
import { type AirQualityCategory, CATEGORIES } from '@opendata-pulse/shared/aqc';

export type CategoryKey = AirQualityCategory | 'NO_DATA';

export interface CategoryStyle {
  label: string;
  /** fill of markers and swatches */
  colour: string;
  /** text drawn on the fill */
  text: string;
}

export const CATEGORY_STYLES: Record<CategoryKey, CategoryStyle> = {
  GOOD: { label: 'Good', colour: '#3a9d23', text: '#000000' },
  FAIR: { label: 'Fair', colour: '#ffd500', text: '#000000' },
  POOR: { label: 'Poor', colour: '#ff8c00', text: '#000000' },
  VERY_POOR: { label: 'Very poor', colour: '#d62718', text: '#ffffff' },
  EXTREMELY_POOR: { label: 'Extremely poor', colour: '#7a0f12', text: '#ffffff' },
  NO_DATA: { label: 'No data', colour: '#8c8c8c', text: '#000000' },
};

/** Best to worst, then no data. */
export const CATEGORY_KEYS: readonly CategoryKey[] = [...CATEGORIES, 'NO_DATA'];

export function categoryKey(category: AirQualityCategory | null | undefined): CategoryKey {
  return category ?? 'NO_DATA';
}

export function categoryLabel(category: AirQualityCategory | null | undefined): string {
  return CATEGORY_STYLES[categoryKey(category)].label;
}

/** A station's accessible name on the map and in the list: `<name> — <category>` (an em dash between spaces). */
export function stationLabel(name: string, category: AirQualityCategory | null | undefined): string {
  return `${name} \u2014 ${categoryLabel(category)}`;
}

/** Worst first, no data last: the order "sort by category" uses. */
export function severity(category: AirQualityCategory | null | undefined): number {
  return category ? CATEGORIES.indexOf(category) : -1;
}

/** WCAG 2 relative luminance of a `#rrggbb` colour. */
export function relativeLuminance(hex: string): number {
  const channel = (i: number) => {
    const c = Number.parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
}

/** WCAG 2 contrast ratio between two `#rrggbb` colours (1 to 21). */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}
