// Try-it chat page: Microsoft's Web Chat on the companion's built-in Direct Line endpoint,
// plus the companion's calendar controls. Development only; no inline script (the page's CSP).
(function () {
  'use strict';
  var root = document.getElementById('webchat');
  if (!root) {
    return;
  }
  var token = root.dataset.token;
  var directLine = null;

  function currentToken() {
    // Web Chat refreshes its token before the hour is up; the calendar buttons use the newest.
    return (directLine && directLine.token) || token;
  }

  function startChat() {
    if (!window.WebChat) {
      document.getElementById('webchat-missing').hidden = false;
      return;
    }
    directLine = window.WebChat.createDirectLine({
      token: token,
      domain: window.location.origin + root.dataset.domain,
      webSocket: false,
      pollingInterval: 500
    });
    window.WebChat.renderWebChat(
      {
        directLine: directLine,
        userID: root.dataset.userId,
        username: root.dataset.userName,
        locale: 'en-GB',
        sendTypingIndicator: false,
        styleOptions: {
          accent: '#005eb8',
          botAvatarInitials: 'PC',
          userAvatarInitials: root.dataset.initials,
          bubbleBorderRadius: 8,
          bubbleFromUserBackground: '#e8f1fa',
          hideUploadButton: true,
          primaryFont: 'inherit',
          sendBoxTextWrap: true
        }
      },
      root
    );
    var input = root.querySelector('input[type="text"], textarea');
    if (input) {
      input.focus();
    }
  }

  function describe(result) {
    var sent = result.sent === 1 ? '1 message' : result.sent + ' messages';
    return 'Done: the companion sent ' + sent + ' to the people in the demo. Yours appear in the chat.';
  }

  function runClock(button) {
    var buttons = document.querySelectorAll('[data-clock]');
    var status = document.getElementById('clock-status');
    buttons.forEach(function (b) { b.disabled = true; });
    status.textContent = button.dataset.clock === 'week' ? 'Moving the calendar on a week…' : 'Running the scheduled jobs…';
    fetch('/try/clock', {
      method: 'POST',
      headers: { 'Authorization': 'Bearer ' + currentToken(), 'Content-Type': 'application/json' },
      body: JSON.stringify({ action: button.dataset.clock })
    })
      .then(function (response) {
        return response.json().then(function (body) {
          if (!response.ok) {
            throw new Error(body.error || 'That did not work.');
          }
          document.getElementById('clock-today').textContent = body.today;
          document.getElementById('clock-ahead').textContent = body.ahead;
          status.textContent = describe(body);
        });
      })
      .catch(function (problem) {
        status.textContent = problem.message || 'That did not work. Is the companion still running?';
      })
      .finally(function () {
        buttons.forEach(function (b) { b.disabled = false; });
      });
  }

  document.querySelectorAll('[data-clock]').forEach(function (button) {
    button.addEventListener('click', function () { runClock(button); });
  });
  startChat();
})();
