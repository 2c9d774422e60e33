/* jirasim's @forge/bridge shim for Custom UI frames: window.ForgeBridge = {invokeRemote, view, showFlag, router}.
   Each call is a postMessage to the host page (forge-host.js), which asks the simulator. */
(function () {
  'use strict';
  var seq = 0;
  var pending = {};

  function call(method, args) {
    return new Promise(function (resolve, reject) {
      var id = ++seq;
      pending[id] = { resolve: resolve, reject: reject };
      window.parent.postMessage({ jirasimForge: 1, id: id, method: method, args: args || [] }, '*');
    });
  }

  window.addEventListener('message', function (event) {
    var data = event.data;
    if (event.source !== window.parent || !data || data.jirasimForge !== 1 || !pending[data.id]) { return; }
    var waiting = pending[data.id];
    delete pending[data.id];
    if (data.error) { waiting.reject(new Error(data.error)); } else { waiting.resolve(data.result); }
  });

  /* The rules of @forge/bridge's invokeRemote for the remote's answer (status, content-type, body text). */
  function remoteAnswer(answer) {
    var status = answer.status;
    var type = answer.contentType;
    if (answer.failure) { throw new Error(answer.failure); }
    if (status === 401) { throw new Error('Remote could not verify the Forge Invocation Token'); }
    var ok = status >= 200 && status < 300;
    if (!ok && type && type.split(';')[0].trim() !== 'application/json') {
      throw new Error('Invalid response from remote - content-type header must be set to application/json ' +
                      'and is currently: ' + type + '. Status: ' + status + '.');
    }
    var body;
    if (answer.text) {
      try { body = JSON.parse(answer.text); } catch (e) {
        throw new Error('Invalid response from remote - cannot parse body as JSON. Status: ' + status + '.');
      }
    } else if (!ok) {
      throw new Error('Invalid response from remote - cannot parse body as JSON. Status: ' + status + '.');
    }
    var result = { status: status, headers: type ? { 'content-type': [type] } : {} };
    if (body !== undefined) { result.body = body; }
    return result;
  }

  window.ForgeBridge = {
    invokeRemote: function (input) { return call('invokeRemote', [input || {}]).then(remoteAnswer); },
    view: {
      getContext: function () { return call('getContext'); },
      close: function () { return call('close'); },
      refresh: function () { return call('reload'); }
    },
    showFlag: function (options) {
      var id = call('showFlag', [options || {}]);
      return { close: function () { return id.then(function (flagId) { return call('closeFlag', [flagId]); }); } };
    },
    router: {
      navigate: function (location) { return call('navigate', [location, false]); },
      open: function (location) { return call('navigate', [location, true]); },
      reload: function () { return call('reload'); }
    }
  };

  /* Jira sizes a Custom UI frame to its content (apps do not resize themselves): the frame tells the host its height
     whenever the content changes. */
  function tellHeight() { call('resize', [Math.ceil(document.documentElement.scrollHeight)]); }
  if (window.ResizeObserver) {
    new ResizeObserver(tellHeight).observe(document.documentElement);
  }
  window.addEventListener('load', tellHeight);
})();
