// Scorecard: running subtotals and a save on every tick.
// Ticks waiting to be sent are kept in localStorage, so a lost connection or a
// closed tab loses nothing: they are sent again on reload or when the network returns.
(function () {
  "use strict";
  var form = document.getElementById("scorecard");
  if (!form) return;
  var text = JSON.parse(document.getElementById("scorecard-messages").textContent);
  var status = document.getElementById("save-status");
  var readonly = form.dataset.readonly === "1";
  var storeKey = "ocop-card-" + form.dataset.card;
  var sending = false;

  function recompute() {
    var sections = {}, parts = {}, total = 0;
    form.querySelectorAll("fieldset.criterion").forEach(function (fs) {
      var checked = fs.querySelector("input[type=radio]:checked");
      // A criterion never counts more than its published maximum (see the help page).
      var points = checked ? Math.min(+checked.dataset.points, +fs.dataset.max) : 0;
      sections[fs.dataset.section] = (sections[fs.dataset.section] || 0) + points;
      parts[fs.dataset.part] = (parts[fs.dataset.part] || 0) + points;
      total += points;
    });
    form.querySelectorAll(".section-points").forEach(function (el) { el.textContent = sections[el.dataset.section] || 0; });
    form.querySelectorAll(".part-points").forEach(function (el) { el.textContent = parts[el.dataset.part] || 0; });
    document.getElementById("total").textContent = total;
  }
  recompute();
  if (readonly) return;

  function load() { try { return JSON.parse(localStorage.getItem(storeKey)) || []; } catch (e) { return []; } }
  function save(queue) { try { localStorage.setItem(storeKey, JSON.stringify(queue)); } catch (e) { /* private mode: still sent at once */ } }
  function enqueue(entry) {
    var queue = load().filter(function (e) { return e.key !== entry.key; });
    queue.push(entry);
    save(queue);
    flush();
  }
  function show(message, cls) { status.textContent = message; status.className = "ms-2 small " + (cls || "text-muted"); }

  function flush() {
    if (sending) return;
    var queue = load();
    if (!queue.length) return;
    sending = true;
    show(text.saving);
    var entry = queue[0];
    // URL-encoded, not multipart (FormData): the server reads it without the multipart
    // parser, a tenth of the tick's time (issue 17).
    var body = new URLSearchParams();
    body.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    Object.keys(entry.data).forEach(function (k) { body.append(k, entry.data[k]); });
    fetch(form.dataset.autosave, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) {
        return response.json().then(function (json) { return { ok: response.ok, json: json }; });
      })
      .then(function (result) {
        save(load().filter(function (e) { return e.key !== entry.key || e.at !== entry.at; }));
        sending = false;
        if (result.ok) {
          // The page's language and a 24-hour clock, as every time on the site (not the
          // browser's own locale, which gave "12:01 AM" on a Vietnamese page).
          var at = new Date().toLocaleTimeString(document.documentElement.lang || "vi", {
            hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false
          });
          show(text.saved + " " + at, "text-success");
          flush();
        } else {
          show(text.error + " " + (result.json.error || ""), "text-danger");
          flush();
        }
      })
      .catch(function () {
        sending = false;
        show(text.offline, "text-danger");
        setTimeout(flush, 5000);
      });
  }

  // Ticks kept from an earlier visit win over what the server sent: they are newer.
  load().forEach(function (entry) {
    if (entry.data.option) {
      var input = document.getElementById("o" + entry.data.option);
      if (input) input.checked = true;
    } else if (entry.data.clause !== undefined) {
      var box = document.getElementById("rejection-" + entry.data.clause);
      if (box) box.checked = entry.data.flagged === "on";
    } else if (entry.data.note !== undefined) {
      var noteBox = document.getElementById("note-" + entry.data.note);
      if (noteBox) noteBox.checked = entry.data.flagged === "on";
    } else if (entry.data.comment !== undefined) {
      var area = document.getElementById("comment-" + entry.data.criterion);
      if (area) area.value = entry.data.comment;
    }
  });
  recompute();
  flush();

  // A note's box grows with its text, so a phone shows all of it (one line when empty).
  function fit(area) { area.style.height = "auto"; area.style.height = area.scrollHeight + 2 + "px"; }
  form.querySelectorAll("textarea[data-comment]").forEach(fit);

  // A note on a criterion is sent when the member pauses typing or leaves the box.
  var typing = {};
  function sendComment(area) {
    clearTimeout(typing[area.dataset.comment]);
    enqueue({ key: "m" + area.dataset.comment, at: Date.now(), data: { criterion: area.dataset.comment, comment: area.value } });
  }
  form.addEventListener("input", function (event) {
    var area = event.target;
    if (!area.dataset.comment) return;
    fit(area);
    clearTimeout(typing[area.dataset.comment]);
    typing[area.dataset.comment] = setTimeout(function () { sendComment(area); }, 1500);
  });

  form.addEventListener("change", function (event) {
    var input = event.target;
    if (input.dataset.comment) {
      sendComment(input);
    } else if (input.type === "radio") {
      recompute();
      enqueue({ key: input.name, at: Date.now(), data: { criterion: input.name.slice(1), option: input.value } });
    } else if (input.name === "rejection") {
      var data = { clause: input.value };
      if (input.checked) data.flagged = "on";
      enqueue({ key: "r" + input.value, at: Date.now(), data: data });
    } else if (input.name === "elimination") {
      var note = { note: input.value };
      if (input.checked) note.flagged = "on";
      enqueue({ key: "n" + input.value, at: Date.now(), data: note });
    }
  });
  // What the member did before this script ran (a slow connection: a note typed or an
  // option ticked while the page was still loading, before these listeners) is saved
  // now; an entry kept from an earlier visit only replaces itself in the queue.
  form.querySelectorAll("textarea[data-comment]").forEach(function (area) {
    if (area.value !== area.defaultValue) sendComment(area);
  });
  form.querySelectorAll("input[type=radio]").forEach(function (input) {
    if (input.checked && !input.defaultChecked) {
      enqueue({ key: input.name, at: Date.now(), data: { criterion: input.name.slice(1), option: input.value } });
    }
  });
  window.addEventListener("online", flush);
})();
