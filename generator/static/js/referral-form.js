/* The referral form page. Rules and messages come from the page (data-tr-rules, written by
   generator/submission.py), so this checks answers with the same schema, steps and words as
   `python -m generator validate`. Answers stay in this page: nothing is sent or stored. */
(function () {
  "use strict";
  var page = document.querySelector("[data-tr-form-page]");
  if (!page) return;
  var R = JSON.parse(page.getAttribute("data-tr-rules"));
  var T = JSON.parse(page.getAttribute("data-tr-text"));
  var has = function (o, k) { return Object.prototype.hasOwnProperty.call(o, k); };
  var isObject = function (v) { return v !== null && typeof v === "object" && !Array.isArray(v); };
  var kindOf = function (v) { return Array.isArray(v) ? "array" : v === null ? "null" : typeof v; };
  var patterns = {};

  /* ---- Checking: the JSON Schema keywords generator/form_schema.py writes (its KEYWORDS) ---- */

  function walk(s, v, path, out) {
    var fail = function (keyword, at) { out.push([at || path, keyword]); };
    if (s === true) return;
    if (s === false) return fail("false");
    if (has(s, "type") && kindOf(v) !== s.type) fail("type");
    if (has(s, "enum") && s.enum.indexOf(v) < 0) fail("enum");
    if (has(s, "const") && v !== s.const) fail("const");
    if (typeof v === "string") {
      // Length in code points, as JSON Schema (and Python) count them.
      if (has(s, "maxLength") && Array.from(v).length > s.maxLength) fail("maxLength");
      if (has(s, "pattern")) {
        var re = patterns[s.pattern] || (patterns[s.pattern] = new RegExp(s.pattern, "u"));
        if (!re.test(v)) fail("pattern");
      }
    }
    if (Array.isArray(v)) {
      if (has(s, "minItems") && v.length < s.minItems) fail("minItems");
      if (has(s, "maxItems") && v.length > s.maxItems) fail("maxItems");
      var seen = v.map(function (x) { return JSON.stringify(x); });
      if (s.uniqueItems && seen.some(function (x, i) { return seen.indexOf(x) !== i; })) fail("uniqueItems");
      if (has(s, "items")) v.forEach(function (x, i) { walk(s.items, x, path.concat(i), out); });
      if (has(s, "contains") && !v.some(function (x) { return passes(s.contains, x); })) fail("contains");
    }
    if (isObject(v)) {
      (s.required || []).forEach(function (k) { if (!has(v, k)) fail("required", path.concat(k)); });
      var props = s.properties || {};
      Object.keys(v).forEach(function (k) {
        if (has(props, k)) walk(props[k], v[k], path.concat(k), out);
        else if (s.additionalProperties === false) fail("additionalProperties", path.concat(k));
      });
      if (has(s, "not") && passes(s.not, v)) {
        (s.not.required || []).forEach(function (k) { fail("not", path.concat(k)); });
      }
    }
    (s.allOf || []).forEach(function (sub) { walk(sub, v, path, out); });
    if (has(s, "if")) {
      var branch = passes(s.if, v) ? s.then : s["else"];
      if (branch !== undefined) walk(branch, v, path, out);
    }
  }
  function passes(s, v) { var out = []; walk(s, v, [], out); return !out.length; }

  /* ---- The rules no schema can state: real dates, not in the future, the age limit ---- */

  function realDate(v) {
    if (typeof v !== "string" || !new RegExp(R.date_pattern, "u").test(v)) return null;
    var y = +v.slice(0, 4), m = +v.slice(5, 7), d = +v.slice(8, 10);
    var leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
    var days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
    return y >= 1 && days && d >= 1 && d <= days ? [y, m, d] : null;
  }
  function dateErrors(data, taken, today) {
    var out = [];
    function check(path, rule, v, answers) {
      var key = path.join(".");
      if (rule.type !== "date" || taken[key] || typeof v !== "string") return;
      var day = realDate(v), problem = null;
      if (!day) problem = "date";
      else if (rule.not_in_future && v > today) problem = "future";
      else if (rule.age_limit) {
        var limit = rule.age_limit, onPath = path.slice(0, -1).concat(limit.on_field);
        var onValue = answers[limit.on_field], on = has(answers, limit.on_field) && realDate(onValue);
        if (on && !taken[onPath.join(".")]) {
          var age = on[0] - day[0] - (on[1] < day[1] || (on[1] === day[1] && on[2] < day[2]) ? 1 : 0);
          if (v > onValue) problem = "age_order";
          else if (age > limit.max_age) problem = "age";
        }
      }
      if (problem) { out.push([path, problem]); taken[key] = true; }
    }
    R.order.forEach(function (id) {
      var rule = R.fields[id];
      if (!has(data, id)) return;
      if (rule.type !== "group") return check([id], rule, data[id], data);
      (Array.isArray(data[id]) ? data[id] : []).forEach(function (item, i) {
        if (!isObject(item)) return;
        rule.order.forEach(function (sub) {
          if (has(item, sub)) check([id, i, sub], rule.fields[sub], item[sub], item);
        });
      });
    });
    return out;
  }

  /* ---- Problems, worded and ordered as generator/submission.py does ---- */

  function problem(field, section, label, message, item) {
    var where = [section, item || "", label].filter(Boolean).join(" > ");
    return { field: field, section: section, item: item || "", label: label, message: message,
             text: where ? where + ": " + message : message };
  }
  function topRule(path) { return has(R.fields, path[0]) ? R.fields[path[0]] : null; }
  function ruleName(path, keyword) {
    var top = topRule(path);
    return keyword === "type" && path.length === 2 && top && top.type === "group" ? "item_type" : keyword;
  }
  function normalPath(path) {
    var top = topRule(path);
    return top && top.type === "checkboxes" ? path.slice(0, 1) : path;
  }
  function locate(path, rule) {
    var top = topRule(path), key = path.join("."), item, sub;
    if (!top || (rule === "additionalProperties" && path.length === 1)) {
      return problem(key, "", key, R.unknown_message);
    }
    if (path.length === 1) return problem(key, top.section, top.label, top.messages[rule]);
    item = top.item_name + " " + (path[1] + 1);
    if (path.length === 2) return problem(key, top.section, "", top.messages[rule], item);
    sub = has(top.fields, path[2]) ? top.fields[path[2]] : null;
    if (rule === "additionalProperties" || !sub) {
      return problem(key, top.section, String(path[2]), R.unknown_message, item);
    }
    return problem(key, top.section, sub.label, sub.messages[rule], item);
  }
  function orderKey(path) {
    var place = function (names, name) {
      var i = names.indexOf(name);
      return i < 0 ? [names.length, String(name)] : [i, ""];
    };
    var top = place(R.order, path[0]);
    if (path.length === 1) return top.concat([-1, -1, ""]);
    var sub = path.length === 3 ? place(R.fields[path[0]].order, path[2]) : [-1, ""];
    return top.concat([path[1]], sub);
  }
  function compare(a, b) {
    for (var i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
    return 0;
  }
  function localToday() {
    var d = new Date(), two = function (n) { return (n < 10 ? "0" : "") + n; };
    return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate());
  }

  /* Every problem with a submission, one per answer, in the form's order. */
  function validate(data, today) {
    if (!isObject(data)) return [problem("", "", "", R.file_messages.not_object)];
    // No prototype: an unknown key such as "__proto__" is then an ordinary key.
    var errors = [], chosen = Object.create(null);
    walk(R.schema, data, [], errors);
    function choose(path, rule, rank) {
      path = normalPath(path);
      var key = path.join(".");
      if (!has(chosen, key) || rank < chosen[key].rank) {
        chosen[key] = { rank: rank, path: path, problem: locate(path, rule) };
      }
    }
    errors.forEach(function (e) {
      var rule = ruleName(e[0], e[1]);
      if (rule !== "contains") choose(e[0], rule, R.priority.indexOf(rule));
    });
    var taken = Object.create(null);
    Object.keys(chosen).forEach(function (k) { taken[k] = true; });
    dateErrors(data, taken, today || localToday()).forEach(function (e) {
      choose(e[0], e[1], R.priority.indexOf(e[1]));
    });
    return Object.keys(chosen).map(function (k) { return chosen[k]; })
      .sort(function (a, b) { return compare(orderKey(a.path), orderKey(b.path)); })
      .map(function (c) { return c.problem; });
  }

  window.TRForm = { validate: validate };

  /* ---- The page: read and write answers ---- */

  var form = page.querySelector("[data-tr-form]");
  var summary = page.querySelector("[data-tr-summary]");
  var status = page.querySelector("[data-tr-status]");
  var opener = page.querySelector("[data-tr-open]");
  var title = document.title, unsaved = false;
  var byId = function (id) { return document.getElementById(id); };
  var inputs = function (name) { return [].slice.call(form.querySelectorAll("input[name='" + name + "']")); };
  var pad = function (s) { return /^[0-9]$/.test(s) ? "0" + s : s; };
  var PARTS = ["day", "month", "year"];

  function read(key, rule) {
    if (rule.type === "radios" || rule.type === "checkboxes") {
      var on = inputs(key).filter(function (e) { return e.checked; }).map(function (e) { return e.value; });
      return !on.length ? undefined : rule.type === "radios" ? on[0] : on;
    }
    if (rule.type === "date") {
      var p = PARTS.map(function (part) { return byId("f-" + key + "-" + part).value.trim(); });
      return p.join("") ? p[2] + "-" + pad(p[1]) + "-" + pad(p[0]) : undefined;
    }
    if (rule.type === "group") {
      var items = readItems(key).filter(function (item) { return Object.keys(item).length; });
      return items.length ? items : undefined;
    }
    return byId("f-" + key).value.trim() || undefined;
  }
  function readItems(id) {
    var rule = R.fields[id];
    return [].map.call(page.querySelectorAll("[data-tr-items='" + id + "'] > [data-tr-item]"), function (el, i) {
      var item = {};
      rule.order.forEach(function (sub) {
        var v = read(id + "-" + i + "-" + sub, rule.fields[sub]);
        if (v !== undefined) item[sub] = v;
      });
      return item;
    });
  }
  function write(key, rule, v) {
    var text = typeof v === "string" ? v : JSON.stringify(v);
    if (rule.type === "radios" || rule.type === "checkboxes") {
      var values = Array.isArray(v) ? v : [v];
      inputs(key).forEach(function (e) { e.checked = values.indexOf(e.value) >= 0; });
    } else if (rule.type === "date") {
      var m = /^([^-]*)-([^-]*)-([^-]*)$/.exec(text) || [text, text, "", ""];
      byId("f-" + key + "-year").value = m[1];
      byId("f-" + key + "-month").value = m[2];
      byId("f-" + key + "-day").value = m[3];
    } else if (rule.type === "group") {
      buildItems(key, Array.isArray(v) ? v.map(function (x) { return isObject(x) ? x : {}; }) : [{}]);
    } else {
      byId("f-" + key).value = text;
    }
  }
  function buildItems(id, items) {
    var rule = R.fields[id], box = page.querySelector("[data-tr-items='" + id + "']");
    var template = page.querySelector("[data-tr-template='" + id + "']").innerHTML;
    if (!items.length) items = [{}];
    box.innerHTML = items.map(function (_, i) {
      return template.replace(/__i__/g, i).replace(/__n__/g, i + 1);
    }).join("");
    items.forEach(function (item, i) {
      rule.order.forEach(function (sub) {
        if (has(item, sub)) write(id + "-" + i + "-" + sub, rule.fields[sub], item[sub]);
      });
    });
    [].forEach.call(box.querySelectorAll("[data-tr-remove]"), function (b) { b.hidden = items.length < 2; });
    page.querySelector("[data-tr-add='" + id + "']").hidden = items.length >= (R.schema.properties[id].maxItems || Infinity);
  }
  function compactGroups() {
    R.order.forEach(function (id) {
      if (R.fields[id].type === "group") {
        buildItems(id, readItems(id).filter(function (item) { return Object.keys(item).length; }));
      }
    });
  }

  /* Show the questions that apply and return the answers to them (answers to others are dropped). */
  function update() {
    var data = {};
    R.order.forEach(function (id) {
      var rule = R.fields[id], c = rule.show_if, shown = true;
      if (rule.type === "meta") return;
      if (c) {
        var v = data[c.field];
        shown = has(data, c.field) && (Array.isArray(v) ? v : [v]).some(function (x) {
          return c.values.indexOf(x) >= 0;
        });
        byId("q-" + id).hidden = !shown;
      }
      if (shown) {
        var answer = read(id, rule);
        if (answer !== undefined) data[id] = answer;
      }
    });
    return data;
  }
  function collect(state) {
    var data = { form: R.form, status: state }, answers = update();
    Object.keys(answers).forEach(function (k) { data[k] = answers[k]; });
    return data;
  }

  /* ---- Errors: the GOV.UK error summary and messages by each question ---- */

  function clearErrors() {
    [].forEach.call(page.querySelectorAll(".tr-field--error"), function (w) { w.classList.remove("tr-field--error"); });
    [].forEach.call(page.querySelectorAll(".tr-error-message"), function (e) { e.hidden = true; e.textContent = ""; });
    [].forEach.call(page.querySelectorAll("[aria-invalid]"), function (e) { e.removeAttribute("aria-invalid"); });
    [].forEach.call(page.querySelectorAll("[data-tr-describe]"), function (e) {
      var ids = (e.getAttribute("aria-describedby") || "").split(" ").filter(function (id) { return id && !/-error$/.test(id); });
      if (ids.length) e.setAttribute("aria-describedby", ids.join(" ")); else e.removeAttribute("aria-describedby");
    });
    summary.hidden = true;
    document.title = title;
  }
  function markField(p) {
    var key = p.field.split(".").join("-"), wrapper = byId("q-" + key);
    if (!p.field || !wrapper || wrapper.closest("[hidden]")) return null;
    var error = byId("f-" + key + "-error");
    var controls = ["", "-day", "-month", "-year"].map(function (s) { return byId("f-" + key + s); }).filter(Boolean);
    if (error) {
      var prefix = document.createElement("span");
      prefix.className = "tr-visually-hidden";
      prefix.textContent = T.error_prefix + " ";
      error.textContent = p.message;
      error.insertBefore(prefix, error.firstChild);
      error.hidden = false;
      wrapper.classList.add("tr-field--error");
      var described = wrapper.querySelector("[data-tr-describe]");
      if (described) {
        var ids = (described.getAttribute("aria-describedby") || "").split(" ").filter(Boolean).concat(error.id);
        described.setAttribute("aria-describedby", ids.join(" "));
      }
      controls.forEach(function (c) { c.setAttribute("aria-invalid", "true"); });
    }
    return controls[0] || wrapper.querySelector("input, textarea, button");
  }
  function showProblems(problems, intro) {
    clearErrors();
    var list = summary.querySelector("[data-tr-summary-list]"), lead = summary.querySelector("[data-tr-summary-intro]");
    list.textContent = "";
    lead.textContent = intro || "";
    lead.hidden = !intro;
    problems.forEach(function (p) {
      var li = document.createElement("li"), target = markField(p), words = intro ? p.text : p.message;
      if (target) {
        var a = document.createElement("a");
        a.href = "#" + target.id;
        a.textContent = words;
        li.appendChild(a);
      } else {
        li.textContent = words;
      }
      list.appendChild(li);
    });
    summary.hidden = false;
    document.title = T.title_prefix + title;
    summary.focus();
  }
  function say(words, file) {
    status.textContent = words.replace("{file}", file || "");
  }

  /* ---- Files: save, open; print; clear ---- */

  function save() {
    compactGroups();
    var data = collect("complete");
    var draft = validate(data).length > 0;
    var out = { form: R.form, status: draft ? "draft" : "complete", saved_at: new Date().toISOString() };
    Object.keys(data).forEach(function (k) { if (!has(out, k)) out[k] = data[k]; });
    var name = R.form + (draft ? "-draft-" : "-") + localToday() + ".json";
    var link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([JSON.stringify(out, null, 2) + "\n"], { type: "application/json" }));
    link.download = name;
    link.hidden = true;
    page.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
    unsaved = false;
    say(draft ? T.saved_draft : T.saved_complete, name);
  }
  function reset() {
    form.reset();
    R.order.forEach(function (id) { if (R.fields[id].type === "group") buildItems(id, [{}]); });
    update();
  }
  function open(file) {
    var fail = function (which) {
      say("");
      showProblems([problem("", "", "", R.file_messages[which])], T.file_problem.replace("{file}", file.name));
    };
    if (file.size > R.max_bytes) return fail("too_large");
    file.arrayBuffer().then(function (buffer) {
      var data;
      try {
        data = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(buffer));
      } catch (e) {
        return fail("not_json");
      }
      if (!isObject(data)) return fail("not_object");
      reset();
      R.order.forEach(function (id) {
        if (R.fields[id].type !== "meta" && has(data, id)) write(id, R.fields[id], data[id]);
      });
      update();
      unsaved = false;
      var problems = validate(data);
      if (problems.length) {
        say("");
        showProblems(problems, T.opened_problems.replace("{file}", file.name));
      } else {
        clearErrors();
        say(T.opened, file.name);
      }
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    compactGroups();
    var problems = validate(collect("complete"));
    if (problems.length) {
      say("");
      showProblems(problems);
    } else {
      clearErrors();
      say(T.checked_ok);
    }
  });
  form.addEventListener("input", function () { unsaved = true; update(); });
  form.addEventListener("change", function () { unsaved = true; update(); });
  form.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) return;
    if (button.hasAttribute("data-tr-save")) save();
    if (button.hasAttribute("data-tr-print")) window.print();
    if (button.hasAttribute("data-tr-clear") && window.confirm(T.confirm_clear)) {
      reset();
      clearErrors();
      unsaved = false;
      say(T.cleared);
    }
    var group = button.closest("[data-tr-items]") || button.parentNode.querySelector("[data-tr-items]");
    if (!group) return;
    var id = group.getAttribute("data-tr-items"), items = readItems(id);
    if (button.hasAttribute("data-tr-add")) {
      items.push({});
      buildItems(id, items);
      group.lastElementChild.querySelector("input, textarea").focus();
    } else if (button.hasAttribute("data-tr-remove")) {
      items.splice(+button.getAttribute("data-tr-remove"), 1);
      buildItems(id, items);
      page.querySelector("[data-tr-add='" + id + "']").focus();
    } else {
      return;
    }
    unsaved = true;
    update();
  });
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a"), target = link && byId(link.getAttribute("href").slice(1));
    if (!target) return;
    event.preventDefault();
    target.focus();
    target.closest(".tr-field").scrollIntoView();
  });
  opener.addEventListener("change", function () {
    if (opener.files.length) open(opener.files[0]);
    opener.value = "";
  });
  window.addEventListener("beforeunload", function (event) {
    if (unsaved) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  // Print the whole of each long answer, not just the rows a box shows on screen.
  window.addEventListener("beforeprint", function () {
    [].forEach.call(form.querySelectorAll("textarea"), function (t) { t.style.height = t.scrollHeight + 4 + "px"; });
  });
  window.addEventListener("afterprint", function () {
    [].forEach.call(form.querySelectorAll("textarea"), function (t) { t.style.height = ""; });
  });

  page.classList.add("tr-form--js");
  [].forEach.call(page.querySelectorAll("[data-tr-js]"), function (e) { e.hidden = false; });
  form.querySelector("[data-tr-check]").disabled = false;
  R.order.forEach(function (id) { if (R.fields[id].type === "group") buildItems(id, readItems(id)); });
  update();
})();
