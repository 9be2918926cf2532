// o7tracker's dashboard: the admin JSON API and its live events, as ES modules served from the jar
// (no build step, no framework, no inline code). This module routes between the pages.
import * as list from './list.js';
import * as campaign from './campaign.js';
import * as overview from './overview.js';
import * as live from './live.js';
import * as keys from './keys.js';
import { pageError } from './feedback.js';

const VIEWS = ['list-view', 'campaign-view', 'keys-view', 'not-found'];

function showView(id, title) {
  VIEWS.forEach(view => { document.getElementById(view).hidden = view !== id; });
  document.title = title + ' · o7tracker';
}

async function route() {
  pageError('');
  const hash = window.location.hash;
  const match = hash.match(/^#campaign\/(\d+)$/);
  if (match) {
    overview.hide();
    if (await campaign.show(match[1])) {
      showView('campaign-view', 'Campaign ' + match[1]);
      campaign.resize();
      document.getElementById('campaign-title').focus();
      return;
    }
    notFound('There is no campaign ' + match[1] + ': it may have been deleted.');
  } else if (hash === '#keys') {
    campaign.hide();
    overview.hide();
    showView('keys-view', 'API keys');
    await keys.show();
    document.getElementById('keys-title').focus();
  } else if (hash === '' || hash === '#') {
    campaign.hide();
    showView('list-view', 'Campaigns');
    overview.show();
  } else {
    notFound('There is no page ' + hash.slice(1) + ' on this dashboard.');
  }
}

function notFound(message) {
  campaign.hide();
  overview.hide();
  document.getElementById('not-found-message').textContent = message;
  showView('not-found', 'Not found');
}

list.init();
campaign.init();
overview.init();
keys.init();
window.addEventListener('hashchange', () => route().catch(e => pageError(e.message)));
// The stream first: a click applied between the first read and the stream's opening would be missed.
live.connect().then(() => list.load()).catch(e => pageError(e.message)).then(() => route()).catch(e => pageError(e.message));
