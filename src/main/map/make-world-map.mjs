// Writes src/main/resources/dashboard/world.svg, the dashboard's map of clicks by country, from
// public data on the npm registry (run again only to change the map):
//   npm install --prefix /tmp/world-map world-atlas@2.0.2 topojson-client@3.1.0 i18n-iso-countries@7.14.0
//   NODE_PATH=/tmp/world-map/node_modules node src/main/map/make-world-map.mjs
// Outlines: Natural Earth's Admin 0 countries at 1:110m (public domain), as world-atlas (ISC)
// ships them; ISO 3166-1 numeric codes turned into the alpha-2 codes the breakdowns answer by
// i18n-iso-countries (MIT), used here only. An equirectangular projection, Antarctica left out (it
// would take a fifth of the height for no clicks); one path per country, its id the alpha-2 code.
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';

const require = createRequire(import.meta.url);
const world = require('world-atlas/countries-110m.json');
const { feature } = require('topojson-client');
const codes = require('i18n-iso-countries');

const SCALE = 2;
const NORTH = 84;
const SOUTH = -57;
const WIDTH = 360 * SCALE;
const HEIGHT = (NORTH - SOUTH) * SCALE;
// Without an ISO code in Natural Earth: Kosovo has the user-assigned XK that country databases use;
// Northern Cyprus and Somaliland are counted as CY and SO by them, and are left out here.
const BY_NAME = { Kosovo: 'XK' };

const point = ([lon, lat]) => [Math.round((lon + 180) * SCALE * 10), Math.round((NORTH - lat) * SCALE * 10)];

/**
 * A ring across the antimeridian (Russia's east, Fiji) made continuous on the side most of it is
 * on; the part past the edge is cut off by the map's frame, instead of a line across the world.
 */
function unwrap(coordinates) {
  const crosses = coordinates.some(([lon], i) => i > 0 && Math.abs(lon - coordinates[i - 1][0]) > 180);
  if (!crosses) return coordinates;
  const east = coordinates.filter(([lon]) => lon > 0).length * 2 > coordinates.length;
  return coordinates.map(([lon, lat]) => [east && lon < 0 ? lon + 360 : !east && lon > 0 ? lon - 360 : lon, lat]);
}

/** A ring as a path: absolute first point, then relative moves, in tenths of a unit (one decimal). */
function ring(coordinates) {
  const points = unwrap(coordinates).map(point);
  let d = '';
  let [x, y] = points[0];
  d += 'M' + (x / 10) + ' ' + (y / 10);
  let moves = [];
  for (const [px, py] of points.slice(1, -1)) {
    if (px === x && py === y) continue;
    moves.push(((px - x) / 10) + ' ' + ((py - y) / 10));
    x = px;
    y = py;
  }
  if (moves.length < 2) return '';
  return d + 'l' + moves.join(' ').replace(/ -/g, '-') + 'z';
}

const paths = [];
for (const country of feature(world, world.objects.countries).features) {
  const name = country.properties.name;
  const code = BY_NAME[name] || (country.id ? codes.numericToAlpha2(country.id) : undefined);
  if (!code || code === 'AQ') continue;
  const polygons = country.geometry.type === 'Polygon' ? [country.geometry.coordinates] : country.geometry.coordinates;
  const d = polygons.flatMap(polygon => polygon.map(ring)).join('');
  if (!d) continue;
  paths.push('<path id="' + code + '" data-name="' + name.replace(/&/g, '&amp;').replace(/"/g, '&quot;') + '" d="' + d + '"/>');
}
paths.sort();
const svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ' + WIDTH + ' ' + HEIGHT + '">\n'
  + '<!-- Natural Earth 1:110m Admin 0 countries (public domain), via world-atlas 2.0.2 (ISC); made by src/main/map/make-world-map.mjs -->\n'
  + paths.join('\n') + '\n</svg>\n';
writeFileSync(new URL('../resources/dashboard/world.svg', import.meta.url), svg);
console.log(paths.length + ' countries, ' + svg.length + ' bytes');
