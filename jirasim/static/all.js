/* jirasim all.js — a small AP shim for app iframes hosted by the Jira simulator.
 * Load it in the app's iframe page; it talks to the host page (host.js) through postMessage.
 * Implements: AP.context.getToken/getContext, AP.resize, AP.sizeToParent, AP.flag.create,
 * AP.dialog.create/close, AP.navigator.go/reload, AP.user.getTimeZone/getLocale (the user's, as the iframe URL's
 * tz and loc carry them). Every call takes an optional callback and returns a Promise.
 * Script tag data-options: "sizeToParent:true" fills the host area; otherwise the iframe follows the page
 * height (like Connect's autoresize) unless "resize:false". */
(function () {
  'use strict';
  var params = new URLSearchParams(window.location.search);
  var hostOrigin = params.get('xdm_e') ? new URL(params.get('xdm_e')).origin : '*';
  var pending = {};
  var seq = 0;

  function call(method, args) {
    return new Promise(function (resolve, reject) {
      var id = ++seq;
      pending[id] = { resolve: resolve, reject: reject };
      window.parent.postMessage({ jirasimAP: 1, id: id, method: method, args: args || [] }, hostOrigin);
    });
  }

  window.addEventListener('message', function (event) {
    var data = event.data;
    if (hostOrigin !== '*' && event.origin !== hostOrigin) { return; }
    if (!data || data.jirasimAP !== 1 || !pending[data.id]) { return; }
    var waiter = pending[data.id];
    delete pending[data.id];
    if (data.error) { waiter.reject(new Error(data.error)); } else { waiter.resolve(data.result); }
  });

  function withCallback(promise, callback) {
    if (typeof callback === 'function') {
      promise.then(callback, function () { callback(undefined); });
    }
    return promise;
  }

  window.AP = {
    context: {
      getToken: function (callback) { return withCallback(call('getToken'), callback); },
      getContext: function (callback) { return withCallback(call('getContext'), callback); }
    },
    resize: function (width, height) { return call('resize', [width, height]); },
    sizeToParent: function () { return call('sizeToParent'); },
    flag: {
      create: function (options) {
        var done = call('flag', [options || {}]);
        return { close: function () { return done.then(function (id) { return call('flagClose', [id]); }); } };
      }
    },
    dialog: {
      create: function (options) { call('dialogCreate', [options || {}]); return { on: function () {} }; },
      close: function (data) { return call('dialogClose', [data]); }
    },
    user: {
      getTimeZone: function (callback) { return withCallback(Promise.resolve(params.get('tz') || 'UTC'), callback); },
      getLocale: function (callback) { return withCallback(Promise.resolve(params.get('loc') || 'en-US'), callback); }
    },
    navigator: {
      go: function (target, context) { return call('navigate', [target, context || {}]); },
      reload: function () { return call('reload'); }
    }
  };

  var script = document.currentScript;
  var options = (script && script.getAttribute('data-options')) || '';
  function startSizing() {
    if (/sizeToParent:\s*true/.test(options)) { window.AP.sizeToParent(); return; }
    if (/resize:\s*false/.test(options) || !window.ResizeObserver) { return; }
    var last = 0;
    new ResizeObserver(function () {
      var height = document.documentElement.scrollHeight;
      if (height !== last) { last = height; window.AP.resize('100%', height); }
    }).observe(document.documentElement);
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', startSizing);
  } else {
    startSizing();
  }
})();
