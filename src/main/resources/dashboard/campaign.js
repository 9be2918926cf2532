// A campaign's page: the headline totals and chart of the chosen range, its history, its links and
// its edit form; every number moves with the live clicks while the range reaches now.
import { api, ApiError, statsPath } from './api.js';
import { add, zeros } from './platforms.js';
import * as chart from './chart.js';
import * as history from './history.js';
import * as links from './links.js';
import * as range from './range.js';
import * as form from './campaign-form.js';
import * as live from './live.js';
import { clearErrors, confirm, pageError, showError } from './feedback.js';
import * as list from './list.js';

const state = { id: null, campaign: null, range: null, buckets: [], before: [], loading: 0, deleting: null };

function sqrt() {
  return document.getElementById('sqrt-scale').checked;
}

function render() {
  range.totals(state.range, state.buckets, state.before);
  chart.draw(state.buckets, state.range.interval, sqrt());
  history.render(state.buckets, state.range.interval);
  document.getElementById('csv').href = statsPath(state.id, state.range) + '&format=csv';
}

/** Reads the range's buckets and the previous period's; a later read wins over an earlier one. */
async function load() {
  const ticket = ++state.loading;
  const shown = range.current();
  const [now, before] = await Promise.all([
    api(statsPath(state.id, shown)), api(statsPath(state.id, range.previous(shown)))]);
  if (ticket !== state.loading || state.id === null) return;
  state.range = shown;
  state.buckets = now.buckets;
  state.before = before.buckets;
  render();
}

function showCampaign(campaign) {
  state.campaign = campaign;
  document.getElementById('campaign-title').textContent = campaign.redirect_url;
  document.getElementById('campaign-meta').textContent = 'Campaign ' + campaign.id;
  form.fill('edit-', campaign);
  clearErrors(document.getElementById('edit'));
}

/** Opens the page of campaign id; false when there is no such campaign. */
export async function show(id) {
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
}

/** A live delta in the bucket of the browser's clock, if the range reaches now (else the page is a snapshot). */
function clicks(delta) {
  if (state.id !== String(delta.campaign_id) || !state.range || !state.range.live) return;
  const width = range.WIDTH[state.range.interval];
  const start = Math.floor(Date.now() / width) * width;
  let last = state.buckets[state.buckets.length - 1];
  if (!last || Date.parse(last.start) < start) {
    // The range moves on to the bucket of now, keeping its length; buckets it skips had no clicks.
    const to = start + width;
    const from = to - (state.range.to - state.range.from);
    const buckets = state.buckets.filter(b => Date.parse(b.start) >= from);
    for (let t = Math.max(from, state.range.to.getTime()); t < to; t += width) {
      buckets.push(zeros({ start: new Date(t).toISOString().replace('.000Z', 'Z') }));
    }
    last = buckets[buckets.length - 1];
    state.buckets = buckets;
    state.range = Object.assign({}, state.range, { from: new Date(from), to: new Date(to) });
  }
  add(last, delta);
  render();
}

export function init() {
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
    state.deleting = state.id;
    if (await list.remove(state.id)) {
      hide();
      window.location.hash = '';
    }
  });
  live.on('clicks', clicks);
  // A quiet live range moves on too: read again once now has left its last bucket.
  setInterval(() => {
    if (state.id && state.range && state.range.live && Date.now() >= state.range.to.getTime()) load().catch(() => {});
  }, 15000);
  live.on('reconnect', () => { if (state.id) load().catch(() => {}); });
  live.on('campaign', async change => {
    if (state.id !== String(change.campaign_id)) return;
    if (change.change === 'deleted') {
      if (state.deleting === state.id) return;
      confirm('This campaign was deleted.');
      window.location.hash = '';
      return;
    }
    try {
      showCampaign(await api('/admin/campaigns/' + change.campaign_id));
    } catch (e) {
      // deleted meanwhile: its own event follows
    }
  });
}
