// The trainer's roster: one-tap marks sent as JSON, queued in localStorage when the network drops
// (durable across a reload), shown as "waiting to send", and resent in order when the network returns.
(function () {
  'use strict';
  var root = document.getElementById('roster');
  if (!root) return;
  var KEY = 'sesame.attendance.queue';
  var sessionId = root.dataset.session;
  var csrf = root.dataset.csrf;
  var statusLine = document.getElementById('sync-status');
  var sending = false;
  var lastError = null;

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join('');
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
  }

  function load() {
    try { return JSON.parse(localStorage.getItem(KEY) || '[]'); } catch (e) { return []; }
  }
  function save(queue) { localStorage.setItem(KEY, JSON.stringify(queue)); }

  function enqueue(item) {
    var queue = load();
    queue.push(item);
    save(queue);
    render();
    flush();
  }

  function line(guardianId) { return document.getElementById('g-' + guardianId); }

  function label(mark) { return root.dataset['label' + (mark ? mark.charAt(0).toUpperCase() + mark.slice(1) : 'None')]; }

  function showMark(li, mark) {
    li.dataset.mark = mark || '';
    li.querySelector('.mark-label').textContent = label(mark);
    li.querySelectorAll('button.mark').forEach(function (b) {
      b.setAttribute('aria-pressed', String(b.value === mark));
    });
    var needsCharter = root.dataset.requiresCharter === 'true' && li.dataset.signed !== 'true';
    var sign = li.querySelector('.sign-button');
    if (sign) sign.hidden = !(needsCharter && (mark === 'present' || mark === 'late'));
    showCharter(li);
  }

  // The family's computer: at home or at school, and why (the server's reason), or none lent.
  function showHome(li, homeUse, reason) {
    var home = li.querySelector('.home');
    if (!home) return;
    // data-home-charter_missing reads as dataset.homeCharter_missing
    var key = reason ? 'home' + reason.charAt(0).toUpperCase() + reason.slice(1) : '';
    var text = li.dataset.device === 'false' ? root.dataset.homeNone : root.dataset[key];
    home.textContent = text || (homeUse ? root.dataset.msgHome : root.dataset.msgNohome);
    home.className = 'home ' + (homeUse ? 'ok' : 'ko');
  }

  // Only where the workshop asks for it: signed, or still to sign.
  function showCharter(li) {
    var charter = li.querySelector('.charter');
    if (!charter) return;
    var signed = li.dataset.signed === 'true';
    charter.textContent = signed ? root.dataset.msgSigned : root.dataset.msgTodo;
    charter.className = 'charter ' + (signed ? 'ok' : 'todo');
  }

  function addWalkInLine(guardianId, name) {
    if (line(guardianId)) return line(guardianId);
    var li = document.createElement('li');
    li.className = 'roster-line';
    li.id = 'g-' + guardianId;
    li.dataset.guardian = guardianId;
    li.dataset.name = name;
    li.dataset.signed = 'false';
    var who = document.createElement('div');
    who.className = 'who';
    var strong = document.createElement('strong');
    strong.textContent = name;
    var tag = document.createElement('span');
    tag.className = 'tag';
    tag.textContent = root.dataset.msgWalkin;
    who.appendChild(strong);
    who.appendChild(tag);
    var status = document.createElement('p');
    status.className = 'line-status';
    ['mark-label', 'pending', 'home ko'].forEach(function (c) {
      var span = document.createElement('span');
      span.className = c;
      status.appendChild(span);
    });
    status.querySelector('.pending').textContent = root.dataset.msgWaiting;
    li.appendChild(who);
    li.appendChild(status);
    document.getElementById('roster-list').appendChild(li);
    return li;
  }

  // What the page shows: the pending badge on each line with a queued mark, and the count waiting.
  function render() {
    var queue = load();
    document.querySelectorAll('.roster-line .pending').forEach(function (p) { p.hidden = true; });
    var mine = 0;
    queue.forEach(function (item) {
      if (item.sessionId !== sessionId) return;
      mine++;
      var li = line(item.body.guardianId) || (item.walkIn ? addWalkInLine(item.body.guardianId, item.name) : null);
      if (!li) return;
      if (item.kind === 'mark') showMark(li, item.body.mark);
      if (item.kind === 'signature') li.dataset.signed = 'true';
      li.querySelector('.pending').hidden = false;
    });
    if (mine > 0) {
      statusLine.textContent = root.dataset.msgPending.replace('{0}', mine);
      statusLine.className = 'sync pending-all';
    } else if (lastError) {
      statusLine.textContent = root.dataset.msgFailed + ' ' + lastError;
      statusLine.className = 'sync failed';
    } else {
      statusLine.textContent = queue.length === 0 && statusLine.dataset.sent ? root.dataset.msgSent : '';
      statusLine.className = 'sync';
    }
  }

  function applyAnswer(item, answer) {
    if (item.sessionId !== sessionId) return;
    var li = line(item.body.guardianId);
    if (!li) return;
    if (answer.charterSigned) li.dataset.signed = 'true';
    showMark(li, item.kind === 'mark' ? answer.mark : li.dataset.mark);
    showHome(li, answer.homeUse, answer.homeReason);
  }

  // Sends the queue in order, one at a time. A network failure or a server error keeps the item for later;
  // a refusal (4xx) drops it and says why. A retry of a sent mark is harmless: the server answers it again.
  function flush() {
    if (sending) return;
    var queue = load();
    if (queue.length === 0) { render(); return; }
    sending = true;
    var item = queue[0];
    fetch(item.url, {
      method: 'POST', credentials: 'same-origin',
      // this page's token: after signing in again, marks queued under the old session are still accepted
      headers: {'Content-Type': 'application/json', 'Accept': 'application/json', 'X-CSRF-Token': csrf},
      body: JSON.stringify(item.body)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (json) {
        var code = json.error && json.error.code;
        // Signed out or an expired token (401, or 403 other than "not your session") is not a refusal of the mark:
        // it stays queued until the trainer signs in again, like a network failure.
        var retry = response.status >= 500 || response.status === 408 || response.status === 429
            || response.status === 401 || (response.status === 403 && code !== 'not_your_session');
        if (!retry) {
          var rest = load().filter(function (q) { return q.id !== item.id; });
          save(rest);
          if (response.ok) { applyAnswer(item, json); lastError = null; statusLine.dataset.sent = '1'; }
          else lastError = (json.error && json.error.message) || String(response.status);
          sending = false;
          render();
          flush();
        } else {
          throw new Error('server ' + response.status);
        }
      });
    }).catch(function () {
      sending = false;
      statusLine.textContent = root.dataset.msgPending.replace('{0}', load().filter(function (q) {
        return q.sessionId === sessionId; }).length) + ' ' + root.dataset.msgOffline;
      statusLine.className = 'sync pending-all';
    });
  }

  function queueMark(guardianId, mark, walkIn, name, reason) {
    var body = {guardianId: Number(guardianId), mark: mark, clientMarkId: uuid(), madeAt: new Date().toISOString(),
                walkIn: !!walkIn};
    if (reason) body.reason = reason;
    enqueue({id: body.clientMarkId, kind: 'mark', sessionId: sessionId, walkIn: !!walkIn, name: name,
             url: '/trainer/sessions/' + sessionId + '/marks', body: body});
  }

  function bindMarkForm(form) {
    form.addEventListener('submit', function (event) {
      var button = event.submitter;
      if (!button || !button.value) return;
      var reasonField = form.querySelector('input[name=reason]');
      if (reasonField && !reasonField.value.trim()) return; // the browser's own "required" message shows
      event.preventDefault();
      var mark = button.value === 'clear' ? null : button.value;
      var guardianId = form.querySelector('input[name=guardianId]').value;
      var walkIn = form.classList.contains('walkin-add');
      var li = line(guardianId);
      queueMark(guardianId, mark, walkIn, form.dataset.name, reasonField ? reasonField.value.trim() : null);
      li = line(guardianId);
      if (li) {
        showMark(li, mark);
        if (walkIn) { form.closest('li').remove(); li.scrollIntoView({block: 'center'}); }
        if ((mark === 'present' || mark === 'late') && root.dataset.requiresCharter === 'true'
            && li.dataset.signed !== 'true' && window.SesamePad) {
          window.SesamePad.open(guardianId, li.dataset.name);
        }
      }
    });
  }

  document.querySelectorAll('form.marks').forEach(bindMarkForm);

  // A walk-in while the network is down: the search runs on the school's families kept in the page (a letter code is
  // matched by the first 16 bits of its SHA-256, all the page keeps of it), and the addition joins the queue like any
  // mark.
  var searchForm = document.querySelector('.walkin form.search');
  var known = document.getElementById('walkin-known');
  var offlineNote = document.querySelector('.walkin-offline');

  function fold(text) {
    return (text || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/\s+/g, ' ').trim();
  }

  function sha256(text) {
    if (!window.crypto || !crypto.subtle || !window.TextEncoder) return Promise.resolve('');
    return crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)).then(function (buffer) {
      return Array.prototype.map.call(new Uint8Array(buffer), function (x) { return (x + 256).toString(16).slice(1); }).join('');
    });
  }

  function candidateForm(entry) {
    var li = document.createElement('li');
    var form = document.createElement('form');
    form.method = 'post';
    form.action = '/trainer/sessions/' + sessionId + '/marks';
    form.className = 'marks walkin-add';
    form.dataset.guardian = entry.dataset.guardian;
    form.dataset.name = entry.dataset.name;
    var id = document.createElement('input');
    id.type = 'hidden';
    id.name = 'guardianId';
    id.value = entry.dataset.guardian;
    var who = document.createElement('span');
    who.textContent = entry.dataset.lastFirst + ' ';
    var children = document.createElement('span');
    children.className = 'children';
    children.textContent = entry.dataset.children;
    who.appendChild(children);
    var add = document.createElement('button');
    add.type = 'submit';
    add.name = 'mark';
    add.value = 'present';
    add.textContent = offlineNote.dataset.add;
    form.appendChild(id);
    form.appendChild(who);
    form.appendChild(add);
    li.appendChild(form);
    bindMarkForm(form);
    return li;
  }

  function searchOffline(query) {
    var code = query.replace(/[-\s]/g, '').toUpperCase();
    var folded = fold(query);
    var codeDigest = /^[2-9A-HJ-NP-Z]{8}$/.test(code) ? sha256(code) : Promise.resolve('');
    return codeDigest.then(function (digest) {
      return Array.prototype.filter.call(known.children, function (entry) {
        if (line(entry.dataset.guardian)) return false; // already on the roster
        if (digest && entry.dataset.code === digest.slice(0, entry.dataset.code.length)) return true;
        return folded.length >= 2 && (fold(entry.dataset.name).indexOf(folded) >= 0
            || fold(entry.dataset.lastFirst).indexOf(folded) >= 0);
      }).slice(0, 20);
    });
  }

  if (searchForm && known && offlineNote) {
    searchForm.addEventListener('submit', function (event) {
      if (navigator.onLine) return; // online, the server searches the whole town
      event.preventDefault();
      var list = document.querySelector('.walkin ul.candidates');
      searchOffline(searchForm.querySelector('input[name=q]').value).then(function (found) {
        list.textContent = '';
        found.forEach(function (entry) { list.appendChild(candidateForm(entry)); });
        offlineNote.textContent = offlineNote.dataset.offline + (found.length === 0 ? ' ' + offlineNote.dataset.nobody : '');
        offlineNote.hidden = false;
      });
    });
  }

  document.querySelectorAll('.sign-button').forEach(function (button) {
    button.addEventListener('click', function () {
      var li = line(button.dataset.guardian);
      if (window.SesamePad) window.SesamePad.open(button.dataset.guardian, li.dataset.name);
    });
  });

  var closeForm = document.querySelector('form.close-form');
  if (closeForm) {
    closeForm.addEventListener('submit', function (event) {
      if (load().length > 0 || !window.confirm(root.dataset.msgClose)) event.preventDefault();
    });
  }

  // The signature pad hands its PNG here: it joins the same queue as the marks.
  window.SesameQueueSignature = function (guardianId, dataUrl) {
    var clientId = uuid();
    enqueue({id: clientId, kind: 'signature', sessionId: sessionId,
             url: '/trainer/sessions/' + sessionId + '/signatures',
             body: {guardianId: Number(guardianId), clientId: clientId, charterVersion: Number(root.dataset.charterVersion),
                    image: dataUrl, signedAt: new Date().toISOString()}});
    var li = line(guardianId);
    if (li) {
      li.dataset.signed = 'true';
      showMark(li, li.dataset.mark);
    }
  };

  // Signing out on a shared tablet leaves nothing of the school's families behind: the unsent marks go first (or
  // the trainer is warned that they would be lost), then the queue, the offline cache and the worker are removed.
  // The server's answer to the sign-out also carries Clear-Site-Data for browsers that run no script.
  function forgetOfflineData() {
    localStorage.removeItem(KEY);
    var done = [];
    if (window.caches) done.push(caches.delete('sesame-roster-v1').catch(function () {}));
    if ('serviceWorker' in navigator && navigator.serviceWorker.getRegistrations) {
      done.push(navigator.serviceWorker.getRegistrations().then(function (regs) {
        return Promise.all(regs.map(function (r) { return r.unregister(); }));
      }).catch(function () {}));
    }
    return Promise.all(done);
  }
  document.querySelectorAll('form[action="/sign-out"]').forEach(function (form) {
    form.addEventListener('submit', function (event) {
      if (form.dataset.cleared === 'true') return;
      event.preventDefault();
      flush();
      var waited = 0;
      (function settle() {
        var left = load().length;
        if (left > 0 && waited < 4000 && navigator.onLine) { waited += 200; setTimeout(settle, 200); return; }
        if (left > 0 && !window.confirm(root.dataset.msgSignout.replace('{0}', left))) return;
        forgetOfflineData().then(function () {
          form.dataset.cleared = 'true';
          form.submit();
        });
      })();
    });
  });

  window.addEventListener('online', flush);
  setInterval(flush, 5000);

  // Keep this page and its files for a reload without network (the worker answers from this cache).
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/trainer/offline-worker.js', {scope: '/trainer/'}).catch(function () {});
  }
  if (window.caches && navigator.onLine) {
    caches.open('sesame-roster-v1').then(function (cache) {
      return cache.addAll([location.pathname, '/static/app.css', '/static/roster.js', '/static/signature.js']);
    }).catch(function () {});
  }

  document.querySelectorAll('.roster-line').forEach(function (li) { showMark(li, li.dataset.mark); });
  render();
  flush();
})();
