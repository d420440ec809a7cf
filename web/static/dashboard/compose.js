/* The compose page's live preview: as the form changes, ask the bot for the card it would send
   (rendered on the server from the same reply the chat flow sends) and the audience's size.
   Without this script the Preview button does the same with a page load. */
(function () {
  "use strict";
  var form = document.getElementById("compose");
  var preview = document.getElementById("preview");
  if (!form || !preview || !window.fetch) {
    return;
  }
  var token = form.querySelector("input[name=csrf]").value;
  var timer = null;
  var asked = 0;
  function refresh() {
    var body = new URLSearchParams(new FormData(form));
    var mine = ++asked;
    fetch(form.getAttribute("data-preview"), {
      method: "POST",
      headers: { "X-CSRF-Token": token, "Content-Type": "application/x-www-form-urlencoded" },
      body: body.toString(),
      credentials: "same-origin"
    }).then(function (response) {
      return response.ok ? response.text() : null;
    }).then(function (html) {
      if (html !== null && mine === asked) {
        preview.innerHTML = html;
      }
    }).catch(function () { /* keep the last preview; the Preview button still works */ });
  }
  function soon() {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 250);
  }
  form.addEventListener("input", soon);
  form.addEventListener("change", soon);
})();
