/* jirasim host side of the @forge/bridge shim: answers the calls of Custom UI frames (class "forge-iframe"). */
(function () {
  'use strict';
  var site = window.location.pathname.split('/')[1];

  function frameFor(source) {
    var frames = document.querySelectorAll('iframe.forge-iframe');
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === source) { return frames[i]; }
    }
    return null;
  }

  function context(frame) { return JSON.parse(frame.dataset.context || '{}'); }

  function target(location) {
    var base = '/' + site;
    if (typeof location === 'string') { return location.charAt(0) === '/' ? base + location : location; }
    if (location && location.target === 'issue') { return base + '/browse/' + location.issueKey; }
    if (location && location.target === 'dashboard') { return base + '/'; }
    throw new Error('unsupported navigation target ' + JSON.stringify(location));
  }

  var flagSeq = 0;
  var AUTO_CLOSE_MS = 5000;  // showFlag({isAutoDismiss: true}) closes by itself, as Jira's flags do
  var handlers = {
    invokeRemote: function (frame, args) {
      var input = args[0] || {};
      var ctx = context(frame);
      var body = { path: input.path, method: input.method, headers: input.headers, extension: ctx.extension,
                   appId: frame.dataset.appId, moduleKey: frame.dataset.moduleKey, localId: ctx.localId };
      if (input.body !== undefined) { body.body = input.body; }
      return fetch('/' + site + '/_forge/invoke-remote', {
        method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body)
      }).then(function (r) {
        return r.text().then(function (text) {
          var failure = null;
          if (r.headers.get('X-Jirasim-Forge-Error')) { failure = JSON.parse(text).message; }
          return { status: r.status, contentType: r.headers.get('Content-Type'), text: text, failure: failure };
        });
      });
    },
    getContext: function (frame) { return context(frame); },
    close: function () { return null; },
    showFlag: function (frame, args) {
      var options = args[0] || {};
      var el = document.createElement('div');
      el.className = 'ap-flag forge-flag ' + (options.appearance || options.type || 'info');
      el.id = 'forge-flag-' + (options.id || ++flagSeq);
      var title = document.createElement('strong');
      title.textContent = options.title || '';
      var body = document.createElement('div');
      body.textContent = options.description || '';
      el.appendChild(title);
      el.appendChild(body);
      document.getElementById('ap-flags').appendChild(el);
      if (options.isAutoDismiss) { setTimeout(function () { el.remove(); }, AUTO_CLOSE_MS); }
      return el.id;
    },
    closeFlag: function (frame, args) { var el = document.getElementById(args[0]); if (el) { el.remove(); } },
    navigate: function (frame, args) {
      var url = target(args[0]);
      if (args[1]) { window.open(url, '_blank'); } else { window.location.href = url; }
    },
    reload: function () { window.location.reload(); },
    resize: function (frame, args) {  // the frame is as tall as its content (never below its starting height)
      var height = Math.max(Number(args[0]) || 0, Number(frame.getAttribute('height')) || 0);
      frame.style.height = height + 'px';
      return null;
    }
  };

  window.addEventListener('message', function (event) {
    var data = event.data;
    if (!data || data.jirasimForge !== 1 || !data.method) { return; }
    var frame = frameFor(event.source);
    if (!frame) { return; }
    function reply(result, error) {
      event.source.postMessage({ jirasimForge: 1, id: data.id, result: result, error: error }, '*');
    }
    var handler = handlers[data.method];
    Promise.resolve().then(function () {
      if (!handler) { throw new Error('unsupported bridge method ' + data.method); }
      return handler(frame, data.args || []);
    }).then(function (result) { reply(result === undefined ? null : result, null); },
            function (err) { reply(null, String(err && err.message || err)); });
  });
})();
