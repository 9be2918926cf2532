// A campaign's page: the headline totals and chart of the chosen range, where its clicks came from,
// its history, its links and its edit form; every number moves with the live clicks while the
// range reaches now. A value chosen among where they came from narrows the totals, chart and
// history to its clicks (read again after live clicks: their events do not say where they came from).
import { api, ApiError, counters, statsPath } from './api.js';
import { Reads, holds } from './applied.js';
import { Breakdowns, DIMENSIONS, label } from './breakdowns.js';
import { WorldMap } from './worldmap.js';
import { add } from './platforms.js';
import * as chart from './chart.js';
import * as history from './history.js';
import * as links from './links.js';
import * as conversions from './conversions.js';
import * as range from './range.js';
import * as form from './campaign-form.js';
import * as live from './live.js';
import { clearErrors, confirm, pageError, showError } from './feedback.js';
import * as list from './list.js';

const state = { id: null, campaign: null, range: null, previous: null, buckets: [], before: [], applied: null, loading: 0, deleting: null,
  offline: false, filter: null, inHours: false, again: null, shown: null, campaignAgain: null };
const reads = new Reads(clicks);
/** How soon a chart narrowed to one value is read again after live clicks. */
const FILTERED_AGAIN_MS = 3000;
let breakdowns = null;

function sqrt() {
  return document.getElementById('sqrt-scale').checked;
}

function render() {
  range.totals(state.range, state.buckets, state.previous, state.before, state.offline);
  chart.draw(state.buckets, state.range.interval, sqrt());
  history.render(state.buckets, state.range.interval);
  document.getElementById('csv').href = statsPath(state.id, state.range, state.filter) + '&format=csv';
  const filter = state.filter;
  document.getElementById('filter').hidden = !filter;
  document.getElementById('filter-text').textContent = !filter ? ''
    : 'Only the clicks whose ' + DIMENSIONS.find(d => d.by === filter.by).column + ' is ' + label(filter.by, filter.value)
      + (state.inHours ? '; per hour, as clicks are kept per hour by where they came from.' : '.');
}

/**
 * Reads the range's buckets and the previous period's; a later read wins over an earlier one.
 * Live deltas heard meanwhile wait for it, then count unless it holds their flush already.
 */
function load() {
  const ticket = ++state.loading;
  const id = state.id;
  clearTimeout(state.again);
  state.again = null;
  return reads.run(async () => {
    const now = Date.now();
    const filter = state.filter;
    const picked = range.current(now);
    const shown = filter ? range.inHours(picked, now) : picked;
    const reading = Promise.all([counters(statsPath(id, shown, filter)), previousPeriod(id, shown, now, filter)]);
    // After the chart's reads: the browser's few connections to the service take them first.
    breakdowns.read(id, picked).catch(e => pageError(e.message));
    const [read, before] = await reading;
    if (ticket !== state.loading || state.id !== id) return;
    state.inHours = shown !== picked;
    state.range = shown;
    state.previous = before.period;
    state.buckets = read.body.buckets;
    state.applied = read.applied;
    state.before = before.buckets;
    render();
  });
}

/**
 * The previous period's buckets, in finer ones up to the same point (range.previous); where the
 * service keeps minutes for less long than that needs (STATS_MINUTE_RETENTION), the whole period
 * in the range's own buckets.
 */
async function previousPeriod(id, shown, now, filter) {
  const period = filter ? range.inHours(range.previous(shown, now), now) : range.previous(shown, now);
  if (filter) return { period, buckets: (await api(statsPath(id, period, filter))).buckets };
  try {
    return { period, buckets: (await api(statsPath(id, period))).buckets };
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 400 || period.interval !== 'minute' || shown.interval === 'minute') throw e;
    range.minutesRefused(period.from.getTime(), now);
    const whole = range.previous(shown, now);
    return { period: whole, buckets: (await api(statsPath(id, whole))).buckets };
  }
}

/**
 * Shows the campaign; its edit form too, unless keepEdits and the user has changed the form since
 * it was filled: a change told live (another's, or the echo of this page's own save) does not
 * overwrite what is being typed.
 */
function showCampaign(campaign, keepEdits) {
  state.campaign = campaign;
  document.getElementById('campaign-title').textContent = campaign.name || campaign.redirect_url;
  // A host written in other scripts is also shown as browsers send visitors to it, where a lookalike shows.
  const ascii = links.asciiHost(campaign.redirect_url);
  document.getElementById('campaign-meta').textContent = 'Campaign ' + campaign.id
    + (campaign.name ? ' · ' + campaign.redirect_url : '') + (ascii ? ' · host ' + ascii : '');
  const tags = document.getElementById('campaign-tags');
  tags.replaceChildren(...(campaign.tags || []).length ? [list.tagList(campaign.tags)] : []);
  tags.hidden = !(campaign.tags || []).length;
  conversions.render(campaign);
  if (keepEdits && form.body('edit-', true) !== state.filled) return;
  form.fill('edit-', campaign);
  state.filled = form.body('edit-', true);
  clearErrors(document.getElementById('edit'));
}

/** Opens the page of campaign id; false when there is no such campaign. */
export async function show(id) {
  if (state.shown !== String(id)) choose(null, false); // another campaign's values are not this one's
  state.shown = String(id);
  state.id = null;
  let campaign;
  try {
    campaign = await api('/admin/campaigns/' + id);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return false;
    throw e;
  }
  state.id = String(id);
  showCampaign(campaign);
  links.render(id);
  await load();
  return true;
}

/** Fits the chart to its page, once the page is shown. */
export function resize() {
  chart.resize();
}

export function hide() {
  state.id = null;
  state.loading++;
  clearTimeout(state.again);
  state.again = null;
  if (breakdowns) breakdowns.stop();
}

/** Narrows the chart to one value ({ by, value }), or shows all clicks again (null); read = read them now. */
function choose(filter, read = true) {
  state.filter = filter;
  if (breakdowns) breakdowns.mark(filter);
  if (read && state.id) load().catch(e => pageError(e.message));
}

/**
 * A live delta, in the bucket of the browser's clock if the range has it (a range that ends in the
 * past is a snapshot). A live range that now has left is read again (moved on with its previous
 * period, or a custom one found past): that read begins after this delta's flush was applied, so
 * it holds the delta, which is left to it.
 */
function clicks(delta, flush) {
  if (state.id !== String(delta.campaign_id) || !state.range) return;
  campaignAgain();
  breakdowns.stale();
  if (!state.range.live || holds(state.applied, flush)) return;
  if (state.filter) {
    // Whether these clicks are the chosen value's, only a read can tell.
    if (!state.again) state.again = setTimeout(() => { if (state.id) load().catch(e => pageError(e.message)); }, FILTERED_AGAIN_MS);
    return;
  }
  const width = range.WIDTH[state.range.interval];
  const now = Date.now();
  const start = Math.floor(now / width) * width;
  const bucket = state.buckets.find(b => Date.parse(b.start) === start);
  if (bucket) {
    add(bucket, delta);
    render();
  } else if (now >= state.range.to.getTime()) {
    load().catch(e => pageError(e.message));
  }
}

/** How soon the campaign is read again after live clicks: its conversion rate divides by its clicks. */
const CAMPAIGN_AGAIN_MS = 3000;

function campaignAgain() {
  if (state.campaignAgain) return;
  state.campaignAgain = setTimeout(async () => {
    state.campaignAgain = null;
    if (!state.id) return;
    try {
      showCampaign(await api('/admin/campaigns/' + state.id), true);
    } catch (e) {
      // deleted meanwhile: its own event follows
    }
  }, CAMPAIGN_AGAIN_MS);
}

/**
 * A live conversion, in the bucket of the browser's clock if the range has it and the chart shows
 * conversions (all clicks, or the conversion's country).
 */
function converted(conversion) {
  if (!state.range || !state.range.live) return;
  if (state.filter && !(state.filter.by === 'country' && state.filter.value === conversion.country)) return;
  const width = range.WIDTH[state.range.interval];
  const start = Math.floor(Date.now() / width) * width;
  const bucket = state.buckets.find(b => Date.parse(b.start) === start);
  if (bucket && bucket.conversion_count !== undefined) {
    bucket.conversion_count++;
    render();
  }
}

export function init() {
  breakdowns = new Breakdowns(document.getElementById('campaign-breakdowns'), {
    map: new WorldMap(document.getElementById('campaign-map'), 'Clicks by country on a world map'),
    choose: filter => choose(filter),
    note: document.getElementById('campaign-breakdowns-note'),
    read: 'Read with the chart\'s range'
  });
  document.getElementById('clear-filter').addEventListener('click', () => {
    // The button hides: the focus goes to the value it narrowed to, where it can be chosen again.
    const was = state.filter;
    choose(null);
    breakdowns.focus(was);
  });
  range.picker(() => { if (state.id) load().catch(e => pageError(e.message)); });
  document.getElementById('sqrt-scale').addEventListener('change', () => { if (state.range) chart.draw(state.buckets, state.range.interval, sqrt()); });
  document.getElementById('edit').addEventListener('submit', async event => {
    event.preventDefault();
    const id = state.id;
    try {
      const campaign = await api('/admin/campaigns/' + id, { method: 'PUT', body: form.body('edit-', true) });
      list.update(campaign);
      showCampaign(campaign);
      confirm('Saved.');
    } catch (e) {
      showError(event.target, e.message, form.fields('edit-'));
    }
  });
  document.getElementById('to-edit').addEventListener('click', () => {
    document.getElementById('edit').scrollIntoView({ block: 'start' });
    document.getElementById('edit-redirect-url').focus();
  });
  document.getElementById('delete').addEventListener('click', async () => {
    // Deleted from here: its live event needs no second word.
    const id = state.id;
    state.deleting = id;
    if (await list.remove(id)) {
      hide();
      window.location.hash = '';
    } else {
      state.deleting = null; // kept: a deletion by someone else later is told
    }
  });
  live.on('clicks', (delta, flush) => reads.heard(delta, flush));
  // A quiet live range moves on too: read again once now has left its last bucket, or the previous
  // period's point to compare with has moved on a bucket of its own.
  setInterval(() => {
    if (!state.id || !state.range || !state.range.live) return;
    const now = Date.now();
    const length = state.range.to - state.range.from;
    if (now >= state.range.to.getTime() || now - length >= state.previous.to.getTime()) load().catch(() => {});
  }, 15000);
  live.on('conversion', conversion => {
    if (!state.campaign || state.id !== String(conversion.campaign_id)) return;
    conversions.heard(state.campaign, conversion);
    conversions.render(state.campaign);
    converted(conversion);
  });
  live.on('lost', () => {
    state.offline = true;
    if (state.id && state.range) render();
  });
  live.on('reconnect', () => {
    state.offline = false;
    if (state.id) load().catch(() => {});
  });
  live.on('campaign', async change => {
    if (state.id !== String(change.campaign_id)) return;
    if (change.change === 'deleted') {
      if (state.deleting === state.id) return;
      confirm('This campaign was deleted.');
      window.location.hash = '';
      return;
    }
    try {
      showCampaign(await api('/admin/campaigns/' + change.campaign_id), true);
    } catch (e) {
      // deleted meanwhile: its own event follows
    }
  });
}
