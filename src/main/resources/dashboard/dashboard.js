// o7tracker dashboard: the admin JSON API and the live event stream, no framework, no inline code.
'use strict';

const COUNTERS = ['click_count', 'android_click_count', 'iphone_click_count', 'windowsphone_click_count',
  'other_click_count', 'bot_click_count'];
const SERIES = [['android', 'android_click_count', '#3ddc84'], ['iphone', 'iphone_click_count', '#0a84ff'],
  ['windowsphone', 'windowsphone_click_count', '#a4373a'], ['other', 'other_click_count', '#6b7280'],
  ['bot', 'bot_click_count', '#f59e0b']];
const PLATFORMS = ['Android', 'IPhone', 'WindowsPhone', 'Other'];
const SVG = 'http://www.w3.org/2000/svg';

const state = { campaigns: new Map(), current: null, minutes: [] };

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

async function request(path, options) {
  // From the origin: a page opened as http://user:password@host/ may not fetch relative URLs.
  const response = await fetch(window.location.origin + path, Object.assign({ headers: { 'Content-Type': 'application/json' } }, options));
  if (!response.ok) {
    let message = response.status + '';
    try { message = (await response.json()).msg; } catch (e) { /* not JSON */ }
    throw new Error(message);
  }
  return response;
}

async function api(path, options) {
  const response = await request(path, options);
  return response.status === 204 ? null : response.json();
}

async function deleteCampaign(id) {
  if (!window.confirm('Delete this campaign? Its link then goes to the fallback.')) return false;
  try {
    await api('/admin/campaigns/' + id, { method: 'DELETE' });
  } catch (e) {
    window.alert('The campaign was not deleted: ' + e.message);
    return false;
  }
  removeCampaign(id);
  return true;
}

function renderRow(campaign) {
  let row = document.querySelector('tr[data-id="' + campaign.id + '"]');
  if (!row) {
    row = el('tr');
    row.dataset.id = campaign.id;
    const name = el('td');
    const link = el('a');
    link.href = '#campaign/' + campaign.id;
    name.appendChild(link);
    row.appendChild(name);
    COUNTERS.forEach(counter => { const cell = el('td', '0'); cell.dataset.counter = counter; row.appendChild(cell); });
    const actions = el('td');
    const remove = el('button', 'Delete');
    remove.addEventListener('click', () => deleteCampaign(campaign.id));
    actions.appendChild(remove);
    row.appendChild(actions);
    document.querySelector('#campaigns tbody').prepend(row);
  }
  row.querySelector('a').textContent = campaign.redirect_url;
  COUNTERS.forEach(counter => { row.querySelector('[data-counter="' + counter + '"]').textContent = campaign[counter]; });
}

function removeCampaign(id) {
  state.campaigns.delete(String(id));
  const row = document.querySelector('tr[data-id="' + id + '"]');
  if (row) row.remove();
}

const MAX_PAGES = 5;

/**
 * The newest campaigns, up to MAX_PAGES pages of 1000 (the Link header's next page); rows of
 * campaigns deleted meanwhile are removed.
 */
async function loadCampaigns() {
  const shown = [...state.campaigns.keys()];
  const all = [];
  let path = '/admin/campaigns?limit=1000';
  for (let page = 0; path && page < MAX_PAGES; page++) {
    const response = await request(path);
    all.push(...await response.json());
    const next = (response.headers.get('Link') || '').match(/^<([^>]+)>; rel="next"/);
    path = next ? next[1] : null;
  }
  document.getElementById('more').hidden = !path;
  const ids = new Set(all.map(campaign => String(campaign.id)));
  shown.filter(id => !ids.has(id)).forEach(removeCampaign);
  all.reverse().forEach(campaign => { state.campaigns.set(String(campaign.id), campaign); renderRow(campaign); });
}

document.getElementById('create').addEventListener('submit', async event => {
  event.preventDefault();
  const urls = {};
  const android = document.getElementById('android-url').value.trim();
  const iphone = document.getElementById('iphone-url').value.trim();
  if (android) urls.Android = android;
  if (iphone) urls.IPhone = iphone;
  const body = {
    redirect_url: document.getElementById('redirect-url').value.trim(),
    platform_urls: urls,
    forward_query: document.getElementById('forward-query').checked
  };
  const error = document.getElementById('create-error');
  try {
    const campaign = await api('/admin/campaigns', { method: 'POST', body: JSON.stringify(body) });
    error.textContent = '';
    event.target.reset();
    state.campaigns.set(String(campaign.id), campaign);
    renderRow(campaign);
  } catch (e) {
    error.textContent = e.message;
  }
});

// ---- the campaign page ----

function showList() {
  document.getElementById('list-view').hidden = false;
  document.getElementById('campaign-view').hidden = true;
  state.current = null;
}

async function showCampaign(id) {
  const campaign = await api('/admin/campaigns/' + id);
  state.current = String(id);
  document.getElementById('list-view').hidden = true;
  document.getElementById('campaign-view').hidden = false;
  showEdit(campaign);
  const links = document.getElementById('links');
  links.replaceChildren();
  const base = window.location.origin + '/track/' + id;
  [['any platform (from the browser)', base]].concat(PLATFORMS.map(p => [p, base + '?platform=' + p]))
    .forEach(([label, url]) => {
      const line = el('div');
      line.appendChild(el('span', label));
      line.appendChild(el('code', url));
      const copy = el('button', 'Copy');
      copy.addEventListener('click', () => navigator.clipboard && navigator.clipboard.writeText(url));
      line.appendChild(copy);
      links.appendChild(line);
    });
  const from = new Date(Math.floor(Date.now() / 60000) * 60000 - 59 * 60000).toISOString();
  const stats = await api('/admin/campaigns/' + id + '/stats?interval=minute&from=' + encodeURIComponent(from));
  state.minutes = stats.buckets;
  drawChart();
  await loadHistory();
}

function showEdit(campaign) {
  document.getElementById('campaign-title').textContent = campaign.redirect_url;
  document.getElementById('edit-redirect-url').value = campaign.redirect_url;
  document.getElementById('edit-android-url').value = (campaign.platform_urls || {}).Android || '';
  document.getElementById('edit-iphone-url').value = (campaign.platform_urls || {}).IPhone || '';
  document.getElementById('edit-forward-query').checked = !!campaign.forward_query;
  document.getElementById('edit-error').textContent = '';
}

document.getElementById('edit').addEventListener('submit', async event => {
  event.preventDefault();
  const id = state.current;
  const android = document.getElementById('edit-android-url').value.trim();
  const iphone = document.getElementById('edit-iphone-url').value.trim();
  const body = {
    redirect_url: document.getElementById('edit-redirect-url').value.trim(),
    // An empty field removes that store URL; the other platforms' URLs are kept.
    platform_urls: { Android: android || null, IPhone: iphone || null },
    forward_query: document.getElementById('edit-forward-query').checked
  };
  try {
    const campaign = await api('/admin/campaigns/' + id, { method: 'PUT', body: JSON.stringify(body) });
    state.campaigns.set(String(campaign.id), campaign);
    renderRow(campaign);
    showEdit(campaign);
  } catch (e) {
    document.getElementById('edit-error').textContent = e.message;
  }
});

document.getElementById('delete').addEventListener('click', async () => {
  if (await deleteCampaign(state.current)) window.location.hash = '';
});

function currentMinute() {
  const now = new Date(Math.floor(Date.now() / 60000) * 60000).toISOString().replace('.000Z', 'Z');
  let last = state.minutes[state.minutes.length - 1];
  if (!last || last.start < now) {
    last = { start: now };
    COUNTERS.forEach(c => { last[c] = 0; });
    state.minutes.push(last);
    if (state.minutes.length > 60) state.minutes.shift();
  }
  return last;
}

function drawChart() {
  const svg = document.getElementById('chart');
  svg.replaceChildren();
  const minutes = state.minutes;
  const max = Math.max(1, ...minutes.map(m => Math.max(...SERIES.map(([, key]) => m[key]))));
  let total = 0;
  SERIES.forEach(([name, key, colour]) => {
    const line = document.createElementNS(SVG, 'polyline');
    const points = minutes.map((m, i) => {
      total += m[key];
      const x = minutes.length < 2 ? 0 : i * 600 / (minutes.length - 1);
      return x.toFixed(1) + ',' + (195 - m[key] * 185 / max).toFixed(1);
    });
    line.setAttribute('points', points.join(' '));
    line.setAttribute('fill', 'none');
    line.setAttribute('stroke', colour);
    line.setAttribute('stroke-width', '2');
    line.setAttribute('class', 'series ' + name);
    svg.appendChild(line);
  });
  svg.dataset.total = total;
  const legend = document.getElementById('legend');
  legend.replaceChildren(...SERIES.map(([name, key]) =>
    el('span', name + ' ' + minutes.reduce((sum, m) => sum + m[key], 0), name)));
}

async function loadHistory() {
  const interval = document.getElementById('history-interval').value;
  const days = interval === 'day' ? 30 : 1;
  const from = new Date(Date.now() - days * 86400000).toISOString();
  const path = '/admin/campaigns/' + state.current + '/stats?interval=' + interval + '&from=' + encodeURIComponent(from);
  const stats = await api(path);
  const body = document.querySelector('#history tbody');
  body.replaceChildren(...stats.buckets.slice().reverse().map(bucket => {
    const row = el('tr');
    row.appendChild(el('td', bucket.start));
    COUNTERS.forEach(c => row.appendChild(el('td', bucket[c])));
    return row;
  }));
  document.getElementById('csv').href = path + '&format=csv';
}

function showError(e) {
  document.getElementById('page-error').textContent = e.message;
}

document.getElementById('history-interval').addEventListener('change', () => loadHistory().catch(showError));

function route() {
  const match = window.location.hash.match(/^#campaign\/(\d+)$/);
  if (match) {
    showCampaign(match[1]).catch(e => { document.getElementById('campaign-title').textContent = e.message; });
  } else {
    showList();
  }
}

// ---- live events ----

function listen() {
  const events = new EventSource(window.location.origin + '/admin/events');
  const live = document.getElementById('live');
  let opened = false;
  events.addEventListener('open', () => {
    live.className = 'live on';
    // After a reconnect, deltas sent while the stream was down are missed: read the counters again.
    if (opened) loadCampaigns().catch(showError);
    opened = true;
  });
  events.addEventListener('error', () => { live.className = 'live off'; });
  events.addEventListener('clicks', message => {
    JSON.parse(message.data).campaigns.forEach(delta => {
      const campaign = state.campaigns.get(String(delta.campaign_id));
      if (campaign) {
        COUNTERS.forEach(c => { campaign[c] += delta[c]; });
        renderRow(campaign);
      }
      if (state.current === String(delta.campaign_id)) {
        const minute = currentMinute();
        COUNTERS.forEach(c => { minute[c] += delta[c]; });
        drawChart();
      }
    });
  });
  events.addEventListener('campaign', async message => {
    const change = JSON.parse(message.data);
    const current = state.current === String(change.campaign_id);
    if (change.change === 'deleted') {
      removeCampaign(change.campaign_id);
      if (current) window.location.hash = '';
      return;
    }
    try {
      const campaign = await api('/admin/campaigns/' + change.campaign_id);
      state.campaigns.set(String(campaign.id), campaign);
      renderRow(campaign);
      if (current) showEdit(campaign);
    } catch (e) {
      // deleted meanwhile: its own event follows
    }
  });
}

window.addEventListener('hashchange', route);
loadCampaigns().catch(showError).then(() => { listen(); route(); });
