/* jirasim host page bridge: answers the AP calls of app iframes (class "ap-iframe"). */
(function () {
  'use strict';
  var site = window.location.pathname.split('/')[1];

  function frameFor(source) {
    var frames = document.querySelectorAll('iframe.ap-iframe');
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === source) { return frames[i]; }
    }
    return null;
  }

  function context(frame) { return JSON.parse(frame.dataset.context || '{}'); }

  function tokenRequest(frame) {
    var body = Object.assign({ app_key: frame.dataset.appKey }, context(frame));
    return fetch('/' + site + '/_ap/token', {
      method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body)
    }).then(function (r) {
      if (!r.ok) { throw new Error('token request failed: ' + r.status); }
      return r.json();
    });
  }

  var flagSeq = 0;
  var AUTO_CLOSE_MS = 5000;  // AP.flag.create({close: 'auto'}): AUI closes such a flag after five seconds
  var handlers = {
    getToken: function (frame) { return tokenRequest(frame).then(function (b) { return b.token; }); },
    getContext: function (frame) { return tokenRequest(frame).then(function (b) { return b.context; }); },
    resize: function (frame, args) {
      if (args[0]) { frame.style.width = /^\d+$/.test(String(args[0])) ? args[0] + 'px' : args[0]; }
      if (args[1]) { frame.style.height = /^\d+$/.test(String(args[1])) ? args[1] + 'px' : args[1]; }
    },
    sizeToParent: function (frame) {
      frame.style.width = '100%';
      frame.style.height = Math.max(200, window.innerHeight - frame.getBoundingClientRect().top - 16) + 'px';
    },
    flag: function (frame, args) {
      var options = args[0] || {};
      var el = document.createElement('div');
      el.className = 'ap-flag ' + (options.type || 'info');
      el.id = 'ap-flag-' + (++flagSeq);
      var title = document.createElement('strong');
      title.textContent = options.title || '';
      var body = document.createElement('div');
      body.textContent = options.body || '';
      el.appendChild(title);
      el.appendChild(body);
      document.getElementById('ap-flags').appendChild(el);
      if (options.close === 'auto') { setTimeout(function () { el.remove(); }, AUTO_CLOSE_MS); }
      return el.id;
    },
    flagClose: function (frame, args) { var el = document.getElementById(args[0]); if (el) { el.remove(); } },
    dialogCreate: function (frame, args) {
      var options = args[0] || {};
      var el = document.createElement('div');
      el.id = 'ap-dialog';
      el.textContent = 'Dialog: ' + (options.key || options.header || '');
      document.body.appendChild(el);
    },
    dialogClose: function () { var el = document.getElementById('ap-dialog'); if (el) { el.remove(); } },
    navigate: function (frame, args) {
      var target = args[0];
      var ctx = args[1] || {};
      var base = '/' + site;
      if (target === 'issue' && ctx.issueKey) { window.location.href = base + '/browse/' + ctx.issueKey; }
      else if (target === 'addonModule' || target === 'addonmodule') {
        window.location.href = base + '/plugins/servlet/ac/' + (ctx.addonKey || frame.dataset.appKey) + '/' + ctx.moduleKey;
      } else if (target === 'projectAdminTabPanel' || target === 'projectAdminSummary') {
        window.location.href = base + '/plugins/servlet/ac/' + (ctx.addonKey || frame.dataset.appKey) + '/' +
          ctx.adminPageKey + '?project.key=' + encodeURIComponent(ctx.projectKey || '') +
          '&project.id=' + encodeURIComponent(ctx.projectId || '');
      } else if (target === 'dashboard' || target === 'site') { window.location.href = base + '/'; }
      else { throw new Error('unsupported navigator target ' + target); }
    },
    reload: function () { window.location.reload(); }
  };

  window.addEventListener('message', function (event) {
    var data = event.data;
    if (!data || data.jirasimAP !== 1 || !data.method) { return; }
    var frame = frameFor(event.source);
    if (!frame || event.origin !== new URL(frame.dataset.origin).origin) { return; }
    function reply(result, error) {
      event.source.postMessage({ jirasimAP: 1, id: data.id, result: result, error: error }, event.origin);
    }
    var handler = handlers[data.method];
    Promise.resolve().then(function () {
      if (!handler) { throw new Error('unsupported AP method ' + data.method); }
      return handler(frame, data.args || []);
    }).then(function (result) { reply(result === undefined ? null : result, null); },
            function (err) { reply(null, String(err && err.message || err)); });
  });
})();
