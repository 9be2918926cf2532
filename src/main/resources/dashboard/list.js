// The list of campaigns: search, a tag filter (the API's), sort by any column, a totals row, every
// campaign reachable page by page (the API's Link cursor), counters moving with the live clicks, and
// the create form.
import { api, counters } from './api.js';
import { Reads, holds } from './applied.js';
import { COUNTERS, add } from './platforms.js';
import * as format from './format.js';
import * as form from './campaign-form.js';
import * as live from './live.js';
import { clearErrors, confirm, showError } from './feedback.js';
import { asciiHost, copyButton, trackingLink } from './links.js';

const PAGE = '/admin/campaigns?limit=1000';
const state = { campaigns: new Map(), next: null, sort: { key: 'created_at', descending: true }, query: '', queued: false,
  // The tag filter: the campaigns with any of these tags (lower case), read so from the API.
  tags: [],
  // Each campaign's read's positions: a live delta it holds already is not added again.
  applied: new Map() };
const reads = new Reads((delta, flush) => {
  const id = String(delta.campaign_id);
  const campaign = state.campaigns.get(id);
  if (campaign && !holds(state.applied.get(id), flush)) {
    add(campaign, delta);
    queue();
  }
});

/** What the list calls a campaign: its name, or its redirect URL when it has none. */
function title(campaign) {
  return campaign.name || campaign.redirect_url;
}

const COLUMNS = {
  id: c => c.id,
  name: c => title(c).toLowerCase(),
  created_at: c => c.created_at
};
COUNTERS.forEach(counter => { COLUMNS[counter] = c => c[counter]; });

function td(text, className) {
  const cell = document.createElement('td');
  cell.textContent = text;
  if (className) cell.className = className;
  return cell;
}

function row(campaign) {
  const tr = document.createElement('tr');
  tr.dataset.id = campaign.id;
  tr.appendChild(td(campaign.id, 'id'));
  const name = document.createElement('th');
  name.scope = 'row';
  const link = document.createElement('a');
  link.href = '#campaign/' + campaign.id;
  link.textContent = title(campaign);
  name.appendChild(link);
  if (campaign.name) {
    const url = document.createElement('small');
    url.className = 'url';
    url.textContent = campaign.redirect_url;
    name.append(' ', url);
  }
  if ((campaign.tags || []).length) {
    name.append(' ', tagList(campaign.tags));
  }
  const ascii = asciiHost(campaign.redirect_url);
  if (ascii) {
    const host = document.createElement('small');
    host.className = 'ascii-host';
    host.textContent = 'host ' + ascii;
    name.append(' ', host);
  }
  tr.appendChild(name);
  tr.appendChild(td(campaign.created_at ? format.date(new Date(campaign.created_at)) : '', 'created'));
  COUNTERS.forEach(counter => {
    const cell = td(format.number(campaign[counter]), 'number');
    cell.dataset.counter = counter;
    tr.appendChild(cell);
  });
  const tracking = td('', 'tracking');
  const code = document.createElement('code');
  // The path only, to keep the row narrow; the button copies the whole link.
  code.textContent = '/track/' + campaign.id;
  code.title = trackingLink(campaign.id);
  tracking.append(code, copyButton(trackingLink(campaign.id), 'tracking link of campaign ' + campaign.id));
  tr.appendChild(tracking);
  const actions = td('', 'row-actions');
  const remove = document.createElement('button');
  remove.type = 'button';
  remove.textContent = 'Delete';
  remove.className = 'small danger';
  remove.setAttribute('aria-label', 'Delete campaign ' + campaign.id);
  remove.addEventListener('click', () => deleteCampaign(campaign.id));
  actions.appendChild(remove);
  tr.appendChild(actions);
  return tr;
}

/** A campaign's tags, each as text. */
export function tagList(tags) {
  const list = document.createElement('ul');
  list.className = 'tags';
  list.setAttribute('aria-label', 'Tags');
  tags.forEach(tag => {
    const item = document.createElement('li');
    item.textContent = tag;
    list.appendChild(item);
  });
  return list;
}

function matches(campaign) {
  // A campaign created or changed since the read is shown only if the tag filter would have kept it.
  if (state.tags.length && !(campaign.tags || []).some(tag => state.tags.includes(tag))) return false;
  const q = state.query;
  return !q || String(campaign.id).includes(q) || campaign.redirect_url.toLowerCase().includes(q)
    || (campaign.name || '').toLowerCase().includes(q) || (campaign.tags || []).some(tag => tag.includes(q))
    || (asciiHost(campaign.redirect_url) || '').includes(q)
    || Object.values(campaign.platform_urls || {}).some(url => url.toLowerCase().includes(q));
}

function render() {
  state.queued = false;
  const { key, descending } = state.sort;
  const value = COLUMNS[key];
  const shown = [...state.campaigns.values()].filter(matches).sort((a, b) => {
    const x = value(a);
    const y = value(b);
    const order = x < y ? -1 : x > y ? 1 : b.id - a.id;
    return descending ? -order : order;
  });
  document.querySelector('#campaigns tbody').replaceChildren(...shown.map(row));
  const total = document.querySelector('#campaigns tfoot tr');
  const label = document.createElement('th');
  label.scope = 'row';
  label.className = 'total-label';
  label.textContent = 'Total of ' + format.number(shown.length) + (shown.length === 1 ? ' campaign' : ' campaigns')
    + (state.next ? ' (of those loaded)' : '');
  // A cell under each column, none spanning: on a phone some columns are hidden, and a spanning
  // label would stretch the footer over columns of its own.
  total.replaceChildren(td('', 'id'), label, td('', 'created'), ...COUNTERS.map(counter => {
    const cell = td(format.number(shown.reduce((sum, c) => sum + c[counter], 0)), 'number');
    cell.dataset.counter = counter;
    return cell;
  }), td('', 'tracking'), td('', 'row-actions'));
  document.querySelectorAll('#campaigns thead th[data-sort]').forEach(th => {
    th.setAttribute('aria-sort', th.dataset.sort === key ? (descending ? 'descending' : 'ascending') : 'none');
  });
  const more = document.getElementById('more');
  more.hidden = !state.next;
  // The search and the totals are those of the campaigns loaded: said while more are to be had.
  const scope = document.getElementById('search-scope');
  scope.hidden = !state.next;
  scope.textContent = state.next ? 'The search, the sums and the sorting cover the ' + format.number(state.campaigns.size)
    + ' campaigns loaded; "Load more" at the end of the list adds the next ' + format.number(1000) + '.' : '';
}

/** Renders once per frame however many live events arrive. */
function queue() {
  if (!state.queued) {
    state.queued = true;
    requestAnimationFrame(render);
  }
}

async function page(path) {
  const { body, applied, response } = await counters(path);
  const next = (response.headers.get('Link') || '').match(/^<([^>]+)>; rel="next"/);
  return { campaigns: body, applied, next: next ? next[1] : null };
}

function keep(answer) {
  answer.campaigns.forEach(c => {
    state.campaigns.set(String(c.id), c);
    state.applied.set(String(c.id), answer.applied);
  });
}

/** The first page's path: with the tag filter's tags, if any. */
function firstPage() {
  return state.tags.length ? PAGE + '&tag=' + encodeURIComponent(state.tags.join(',')) : PAGE;
}

/** Reads the campaigns again, as many pages as were shown; campaigns deleted meanwhile go. */
export function load() {
  return reads.run(async () => {
    const pages = Math.max(1, state.pages || 1);
    const answers = [];
    let path = firstPage();
    while (path && answers.length < pages) {
      const answer = await page(path);
      answers.push(answer);
      path = answer.next;
    }
    state.pages = answers.length;
    state.next = path;
    state.campaigns = new Map();
    state.applied = new Map();
    answers.forEach(keep);
    queue();
  });
}

function loadMore() {
  return reads.run(async () => {
    const answer = await page(state.next);
    keep(answer);
    state.next = answer.next;
    state.pages++;
    queue();
  });
}

/** A campaign gone: its row, and the positions of its read. */
function forget(id) {
  state.campaigns.delete(String(id));
  state.applied.delete(String(id));
}

/**
 * A campaign created or changed: its settings as answered; the counters of one already listed stay
 * those the live events keep (a write's answer says nothing of the flushes it holds).
 */
export function update(campaign, applied) {
  const id = String(campaign.id);
  const known = state.campaigns.get(id);
  if (known) {
    COUNTERS.forEach(c => { campaign[c] = known[c]; });
  } else {
    state.applied.set(id, applied || new Map());
  }
  state.campaigns.set(id, campaign);
  queue();
}

async function deleteCampaign(id) {
  if (!window.confirm('Delete campaign ' + id + '? Its link then goes to the fallback.')) return false;
  try {
    await api('/admin/campaigns/' + id, { method: 'DELETE' });
  } catch (e) {
    confirm('The campaign was not deleted: ' + e.message);
    return false;
  }
  forget(id);
  queue();
  confirm('Campaign ' + id + ' deleted.');
  return true;
}

export const remove = deleteCampaign;

export function init() {
  document.querySelectorAll('#campaigns thead th[data-sort] button').forEach(button => {
    button.addEventListener('click', () => {
      const key = button.parentElement.dataset.sort;
      state.sort = { key, descending: state.sort.key === key ? !state.sort.descending : key !== 'name' };
      render();
    });
  });
  document.getElementById('search').addEventListener('input', event => {
    state.query = event.target.value.trim().toLowerCase();
    queue();
  });
  document.getElementById('tag-filter').addEventListener('change', async event => {
    const error = document.getElementById('tag-filter-error');
    error.textContent = '';
    event.target.removeAttribute('aria-invalid');
    const before = state.tags;
    state.tags = form.tags(event.target.value.toLowerCase());
    state.pages = 1;
    try {
      await load();
    } catch (e) {
      state.tags = before;
      error.textContent = e.message;
      event.target.setAttribute('aria-invalid', 'true');
    }
  });
  document.getElementById('to-create').addEventListener('click', () => {
    document.getElementById('create').scrollIntoView({ block: 'start' });
    document.getElementById('redirect-url').focus();
  });
  document.getElementById('load-more').addEventListener('click', () => loadMore().catch(e => confirm(e.message)));
  document.getElementById('create').addEventListener('submit', async event => {
    event.preventDefault();
    try {
      const campaign = await api('/admin/campaigns', { method: 'POST', body: form.body('', false) });
      clearErrors(event.target);
      event.target.reset();
      update(campaign);
      window.location.hash = '#campaign/' + campaign.id;
      confirm('Campaign ' + campaign.id + ' created: its tracking links are on this page.');
    } catch (e) {
      showError(event.target, e.message, form.fields(''));
    }
  });
  live.on('clicks', (delta, flush) => reads.heard(delta, flush));
  live.on('campaign', async change => {
    if (change.change === 'deleted') {
      forget(change.campaign_id);
      queue();
      return;
    }
    try {
      // Deltas heard meanwhile wait for it: a new campaign's first clicks may come before its answer.
      await reads.run(async () => {
        const { body, applied } = await counters('/admin/campaigns/' + change.campaign_id);
        update(body, applied);
      });
    } catch (e) {
      // deleted meanwhile: its own event follows
    }
  });
  live.on('reconnect', () => load().catch(e => confirm(e.message)));
}
