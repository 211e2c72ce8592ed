/* The referral form page. Its rules and messages come from the page (data-tr-rules, written by
   generator/submission.py): answers are checked with the same schema, steps and words as
   `python -m generator validate`. Answers stay in this page: nothing is sent or stored. */
(() => {
  "use strict";
  // The form is the element just before this script: found that way, and every element looked up
  // inside it, text elsewhere on the page cannot stand in for it (DOM clobbering).
  const page = document.currentScript && document.currentScript.previousElementSibling;
  if (!page || !page.hasAttribute("data-tr-form-page")) return;
  const R = JSON.parse(page.dataset.trRules);
  const T = JSON.parse(page.dataset.trText);
  const has = (o, k) => Object.prototype.hasOwnProperty.call(o, k);
  const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
  const kindOf = (v) => (Array.isArray(v) ? "array" : v === null ? "null" : typeof v);
  const all = (selector, root = page) => [...root.querySelectorAll(selector)];
  const byId = (id) => page.querySelector(`[id='${id}']`);
  const make = (tag, properties = {}) => Object.assign(document.createElement(tag), properties);
  const regex = {};
  const test = (pattern, v) => (regex[pattern] ||= new RegExp(pattern, "u")).test(v);

  /* ---- The JSON Schema keywords generator/form_schema.py writes (its KEYWORDS), as jsonschema
     reports them: [path, keyword], one per missing or unknown key ---- */

  function walk(s, v, path, out) {
    const fail = (keyword, at = path) => out.push([at, keyword]);
    if (s === true) return;
    if (s === false) return fail("false");
    if (has(s, "type") && kindOf(v) !== s.type) fail("type");
    if (has(s, "enum") && !s.enum.includes(v)) fail("enum");
    if (has(s, "const") && v !== s.const) fail("const");
    if (typeof v === "string") {
      // Length in code points, as JSON Schema (and Python) count them.
      if (has(s, "maxLength") && [...v].length > s.maxLength) fail("maxLength");
      if (has(s, "pattern") && !test(s.pattern, v)) fail("pattern");
      // `not pattern`: characters a text answer must not contain (form_schema.INVISIBLE_PATTERN).
      if (has(s, "not") && passes(s.not, v)) fail("invisible");
    }
    if (Array.isArray(v)) {
      const texts = v.map((x) => JSON.stringify(x));
      if (has(s, "minItems") && v.length < s.minItems) fail("minItems");
      if (has(s, "maxItems") && v.length > s.maxItems) fail("maxItems");
      if (s.uniqueItems && new Set(texts).size < v.length) fail("uniqueItems");
      if (has(s, "items")) v.forEach((x, i) => walk(s.items, x, [...path, i], out));
      if (has(s, "contains") && !v.some((x) => passes(s.contains, x))) fail("contains");
    }
    if (isObject(v)) {
      (s.required || []).forEach((k) => has(v, k) || fail("required", [...path, k]));
      const props = s.properties || {};
      Object.keys(v).forEach((k) => {
        if (has(props, k)) walk(props[k], v[k], [...path, k], out);
        else if (s.additionalProperties === false) fail("additionalProperties", [...path, k]);
      });
      if (has(s, "not") && passes(s.not, v)) s.not.required.forEach((k) => fail("not", [...path, k]));
    }
    (s.allOf || []).forEach((sub) => walk(sub, v, path, out));
    if (has(s, "if")) {
      const branch = passes(s.if, v) ? s.then : s.else;
      if (branch !== undefined) walk(branch, v, path, out);
    }
  }
  const passes = (s, v) => { const out = []; walk(s, v, [], out); return !out.length; };
  // As generator/submission.py: no half of a UTF-16 pair ("\ud800"), nothing nested too deep.
  const wellFormed = (v, depth = 0) => depth <= R.max_depth && (typeof v === "string" ? !/[\ud800-\udfff]/u.test(v)
    : Array.isArray(v) ? v.every((x) => wellFormed(x, depth + 1))
      : !isObject(v) || Object.entries(v).every(([k, x]) => wellFormed(k, depth + 1) && wellFormed(x, depth + 1)));

  /* ---- The rules no schema can state: real dates, not in the future, the age limit ---- */

  function realDate(v) {
    if (typeof v !== "string" || !test(R.date_pattern, v)) return null;
    const [y, m, d] = [v.slice(0, 4), v.slice(5, 7), v.slice(8, 10)].map(Number);
    const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
    const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
    return y >= 1 && days && d >= 1 && d <= days ? [y, m, d] : null;
  }

  function dateErrors(data, taken, today) {
    const out = [];
    const check = (path, rule, v, answers) => {
      const key = path.join(".");
      if (rule.type !== "date" || taken[key] || typeof v !== "string") return;
      const day = realDate(v);
      const limit = rule.age_limit;
      let problem = !day ? "date" : rule.not_in_future && v > today ? "future" : null;
      if (day && !problem && limit) {
        const onValue = answers[limit.on_field];
        const on = has(answers, limit.on_field) && realDate(onValue);
        if (on && !taken[[...path.slice(0, -1), limit.on_field].join(".")]) {
          const age = on[0] - day[0] - (on[1] < day[1] || (on[1] === day[1] && on[2] < day[2]) ? 1 : 0);
          problem = v > onValue ? "age_order" : age > limit.max_age ? "age" : null;
        }
      }
      if (problem) { out.push([path, problem]); taken[key] = true; }
    };
    R.order.forEach((id) => {
      const rule = R.fields[id];
      if (!has(data, id)) return;
      if (rule.type !== "group") return check([id], rule, data[id], data);
      (Array.isArray(data[id]) ? data[id] : []).forEach((item, i) => {
        if (isObject(item)) rule.order.forEach((sub) => has(item, sub) && check([id, i, sub], rule.fields[sub], item[sub], item));
      });
    });
    return out;
  }

  /* ---- Problems, worded and ordered as generator/submission.py does ---- */

  function problem(field, section, label, message, item = "") {
    const where = [section, item, label].filter(Boolean).join(" > ");
    return { field, section, item, label, message, text: where ? `${where}: ${message}` : message };
  }
  const topRule = (path) => (has(R.fields, path[0]) ? R.fields[path[0]] : null);

  function locate(path, rule) {
    const top = topRule(path), key = path.join(".");
    if (!top || (rule === "additionalProperties" && path.length === 1)) return problem(key, "", key, R.unknown_message);
    if (path.length === 1) return problem(key, top.section, top.label, top.messages[rule]);
    const item = `${top.item_name} ${path[1] + 1}`;
    if (path.length === 2) return problem(key, top.section, "", top.messages[rule], item);
    const sub = has(top.fields, path[2]) ? top.fields[path[2]] : null;
    if (rule === "additionalProperties" || !sub) return problem(key, top.section, String(path[2]), R.unknown_message, item);
    return problem(key, top.section, sub.label, sub.messages[rule], item);
  }

  function orderKey(path) {
    const place = (names, name) => (names.includes(name) ? [names.indexOf(name), ""] : [names.length, String(name)]);
    const top = place(R.order, path[0]);
    if (path.length === 1) return [...top, -1, -1, ""];
    return [...top, path[1], ...(path.length === 3 ? place(R.fields[path[0]].order, path[2]) : [-1, ""])];
  }
  const compare = (a, b) => { for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1; return 0; };
  const two = (n) => String(n).padStart(2, "0");
  const localToday = (d = new Date()) => `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;

  /* Every problem with a submission, one per answer, in the form's order. */
  function validate(data, today = localToday()) {
    if (!isObject(data)) return [problem("", "", "", R.file_messages.not_object)];
    // No prototype: an unknown key such as "__proto__" stays an ordinary key.
    const chosen = Object.create(null), errors = [];
    const choose = (path, rule) => {
      const top = topRule(path);
      if (top && top.type === "checkboxes") path = path.slice(0, 1);
      if (top && top.type === "group" && path.length === 2 && rule === "type") rule = "item_type";
      const key = path.join("."), rank = R.priority.indexOf(rule);
      if (!(key in chosen) || rank < chosen[key].rank) chosen[key] = { rank, path, problem: locate(path, rule) };
    };
    walk(R.schema, data, [], errors);
    errors.forEach(([path, keyword]) => keyword !== "contains" && choose(path, keyword));
    const taken = Object.create(null);
    Object.keys(chosen).forEach((k) => { taken[k] = true; });
    dateErrors(data, taken, today).forEach(([path, rule]) => choose(path, rule));
    return Object.values(chosen).sort((a, b) => compare(orderKey(a.path), orderKey(b.path))).map((c) => c.problem);
  }

  window.TRForm = { validate };

  /* ---- The page: read and write answers ---- */

  const form = page.querySelector("[data-tr-form]");
  const summary = page.querySelector("[data-tr-summary]");
  const status = page.querySelector("[data-tr-status]");
  const opened = page.querySelector("[data-tr-opened]");
  const opener = page.querySelector("[data-tr-open]");
  const asking = page.querySelector("[data-tr-confirm]");
  const title = document.title;
  const PARTS = ["day", "month", "year"];
  const choices = (name) => all(`input[name='${name}']`, form);
  const pad = (s) => (/^[0-9]$/.test(s) ? "0" + s : s);
  let unsaved = false;

  function read(key, rule) {
    if (rule.type === "radios" || rule.type === "checkboxes") {
      const on = choices(key).filter((e) => e.checked).map((e) => e.value);
      return !on.length ? undefined : rule.type === "radios" ? on[0] : on;
    }
    if (rule.type === "date") {
      const [d, m, y] = PARTS.map((part) => byId(`f-${key}-${part}`).value.trim());
      return d + m + y ? `${y}-${pad(m)}-${pad(d)}` : undefined;
    }
    if (rule.type === "group") {
      const items = readItems(key).filter((item) => Object.keys(item).length);
      return items.length ? items : undefined;
    }
    return byId(`f-${key}`).value.trim() || undefined;
  }

  const itemsBox = (id) => page.querySelector(`[data-tr-items='${id}']`);
  const addButton = (id) => page.querySelector(`[data-tr-add='${id}']`);

  function readItems(id) {
    const rule = R.fields[id];
    return all(`[data-tr-items='${id}'] > [data-tr-item]`).map((el, i) => {
      const item = {};
      rule.order.forEach((sub) => {
        const v = read(`${id}-${i}-${sub}`, rule.fields[sub]);
        if (v !== undefined) item[sub] = v;
      });
      return item;
    });
  }

  function write(key, rule, v) {
    const text = typeof v === "string" ? v : JSON.stringify(v);
    if (rule.type === "radios" || rule.type === "checkboxes") {
      const values = Array.isArray(v) ? v : [v];
      choices(key).forEach((e) => { e.checked = values.includes(e.value); });
    } else if (rule.type === "date") {
      // Not a date? Keep it whole in the year box, so the answer is not lost.
      const [, y, m, d] = /^([^-]*)-([^-]*)-([^-]*)$/.exec(text) || [text, text, "", ""];
      [d, m, y].forEach((value, i) => { byId(`f-${key}-${PARTS[i]}`).value = value; });
    } else if (rule.type === "group") {
      buildItems(key, Array.isArray(v) ? v.map((x) => (isObject(x) ? x : {})) : []);
    } else {
      byId(`f-${key}`).value = text;
    }
  }

  /* Draw a group's items afresh from its <template>, numbered in order. */
  function buildItems(id, items) {
    const rule = R.fields[id], box = itemsBox(id);
    const template = page.querySelector(`[data-tr-template='${id}']`).innerHTML;
    if (!items.length) items = [{}];
    box.innerHTML = items.map((_, i) => template.replace(/__i__/g, i).replace(/__n__/g, i + 1)).join("");
    items.forEach((item, i) => rule.order.forEach((sub) => {
      if (has(item, sub)) write(`${id}-${i}-${sub}`, rule.fields[sub], item[sub]);
    }));
    all("[data-tr-remove]", box).forEach((b) => { b.hidden = items.length < 2; });
    addButton(id).hidden = items.length >= (R.schema.properties[id].maxItems || Infinity);
  }
  const groups = () => R.order.filter((id) => R.fields[id].type === "group");
  const compactGroups = () => groups().forEach((id) => buildItems(id, readItems(id).filter((x) => Object.keys(x).length)));

  /* Show the questions that apply; return the answers to them (answers to the others are dropped). */
  function update() {
    const data = {};
    R.order.forEach((id) => {
      const rule = R.fields[id], c = rule.show_if;
      if (rule.type === "meta") return;
      const shown = !c || (has(data, c.field) && [].concat(data[c.field]).some((x) => c.values.includes(x)));
      if (c) byId(`q-${id}`).hidden = !shown;
      const answer = shown ? read(id, rule) : undefined;
      if (answer !== undefined) data[id] = answer;
    });
    return data;
  }
  const collect = (state) => ({ form: R.form, status: state, ...update() });

  /* ---- Errors: the GOV.UK error summary, and the message by each question ---- */

  const describedBy = (e) => (e.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
  const describe = (e, ids) => (ids.length ? e.setAttribute("aria-describedby", ids.join(" ")) : e.removeAttribute("aria-describedby"));

  function clearErrors() {
    all(".tr-field--error").forEach((w) => w.classList.remove("tr-field--error"));
    all(".tr-error-message").forEach((e) => { e.hidden = true; e.textContent = ""; });
    all("[aria-invalid]").forEach((e) => e.removeAttribute("aria-invalid"));
    all("[data-tr-describe]").forEach((e) => {
      describe(e, describedBy(e).filter((id) => !id.endsWith("-error")));
    });
    summary.hidden = true;
    document.title = title;
  }

  /* Mark a question as wrong; return the control the summary links to (none if it is not shown). */
  function markField(p) {
    const key = p.field.split(".").join("-"), wrapper = p.field && byId(`q-${key}`);
    if (!wrapper || wrapper.closest("[hidden]")) return null;
    const error = byId(`f-${key}-error`);
    const controls = ["", "-day", "-month", "-year"].map((s) => byId(`f-${key}${s}`)).filter(Boolean);
    if (error) {
      const prefix = make("span", { className: "tr-visually-hidden", textContent: T.error_prefix + " " });
      error.replaceChildren(prefix, p.message);
      error.hidden = false;
      wrapper.classList.add("tr-field--error");
      const described = wrapper.querySelector("[data-tr-describe]");
      describe(described, [...describedBy(described), error.id]);
      controls.forEach((c) => c.setAttribute("aria-invalid", "true"));
    }
    return controls[0] || wrapper.querySelector("input, textarea");
  }

  /* List the problems; from a file, each reads "Section > Label: message", as the command prints it. */
  function showProblems(problems, intro = "") {
    clearErrors();
    const list = summary.querySelector("[data-tr-summary-list]"), lead = summary.querySelector("[data-tr-summary-intro]");
    lead.textContent = intro;
    lead.hidden = !intro;
    list.replaceChildren(...problems.map((p) => {
      const li = make("li"), target = markField(p), words = intro ? p.text : p.message;
      if (!target) li.textContent = words;
      else li.appendChild(make("a", { href: `#${target.id}`, textContent: words }));
      return li;
    }));
    summary.hidden = false;
    document.title = T.title_prefix + title;
    summary.focus({ preventScroll: true });
    reveal(summary);
  }
  /* Put a message in a status region: by the buttons (`status`) or by the file opener (`opened`). */
  const say = (words, file = "", region = status) => {
    [status, opened].forEach((r) => { r.textContent = ""; });
    region.textContent = words.replace("{file}", file);
    // Seen where the button that caused it is, even when that button sat at the window's edge.
    if (words) region.scrollIntoView({ block: "nearest", behavior: "instant" });
  };
  /* Scroll an element to the top of the window, below Material's sticky header and its "Back to top"
     button (their heights are in the element's scroll-margin-top, referral-form.css). */
  const reveal = (e) => e.scrollIntoView({ block: "start", behavior: "instant" });

  /* ---- Files: save and open; print; clear ---- */

  function save() {
    compactGroups();
    const data = collect("complete");
    const draft = validate(data).length > 0;
    const out = { ...data, status: draft ? "draft" : "complete", saved_at: new Date().toISOString() };
    const name = `${R.form}${draft ? "-draft" : ""}-${localToday()}.json`;
    const blob = new Blob([JSON.stringify(out, null, 2) + "\n"], { type: "application/json" });
    const link = make("a", { href: URL.createObjectURL(blob), download: name, hidden: true });
    page.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
    unsaved = false;
    say(`${draft ? T.saved_draft : T.saved_complete} ${T.saved_notice}`.trim(), name);
  }

  function reset() {
    form.reset();
    groups().forEach((id) => buildItems(id, []));
    update();
  }

  /* Read a file; refuse it, with nothing on the page changed, unless it is a saved file of this
     form; ask first if it would replace answers on the page (an empty draft too). */
  async function open(file) {
    const fail = (message) => {
      say("");
      showProblems([problem("", "", "", message)], T.file_problem.replace("{file}", file.name));
    };
    if (file.size > R.max_bytes) return fail(R.file_messages.too_large);
    let data;
    try {
      data = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(await file.arrayBuffer()));
      if (!wellFormed(data)) throw new SyntaxError("not plain JSON");
    } catch (e) {
      return fail(R.file_messages.not_json);
    }
    if (!isObject(data)) return fail(R.file_messages.not_object);
    if (typeof data.form !== "string") return fail(T.no_form_id);
    if (data.form !== R.form) return fail(T.other_form);
    if (Object.keys(update()).length) ask(file.name, data);
    else replaceAnswers(file.name, data);
  }

  function replaceAnswers(name, data) {
    reset();
    R.order.forEach((id) => R.fields[id].type !== "meta" && has(data, id) && write(id, R.fields[id], data[id]));
    update();
    unsaved = false; // the page now holds what the file holds; the next change arms the warning again
    const problems = validate(data);
    say(problems.length ? "" : T.opened, name, opened);
    if (problems.length) showProblems(problems, T.opened_problems.replace("{file}", name));
    else { clearErrors(); opener.focus(); }
  }

  /* The question before a file replaces answers: GOV.UK warning text and two buttons. */
  let pending = null;
  function ask(name, data) {
    pending = { name, data };
    asking.querySelector("[data-tr-confirm-words]").textContent = T.confirm_open.replace("{file}", name);
    say("", "", opened);
    asking.hidden = false;
    asking.focus({ preventScroll: true });
    asking.scrollIntoView({ block: "nearest", behavior: "instant" });
  }
  function answer(replace) {
    const { name, data } = pending;
    pending = null;
    asking.hidden = true;
    if (replace) return replaceAnswers(name, data);
    say(T.kept, name, opened);
    opener.focus();
  }

  /* ---- The printout: each question and its whole answer as text, as in the filled-referral PDF ---- */

  const labelOf = (id) => page.querySelector(`label[for='${id}']`).textContent.trim();
  const questionOf = (wrapper) => wrapper.querySelector(".tr-label, .tr-legend").textContent.trim();
  const missing = (words) => [make("span", { className: "tr-printout__missing", textContent: words })];
  const printDate = (v) => {
    const [y, m, d] = v.split("-").map(Number), day = new Date(Date.UTC(y, m - 1, d));
    const real = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(v) && day.getUTCDate() === d && day.getUTCMonth() === m - 1;
    const style = { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" };
    return real ? day.toLocaleDateString(document.documentElement.lang || "en-GB", style) : v;
  };

  /* The answer to one question as nodes; `rule` is its entry in the rules table. */
  function printedAnswer(key, rule, wrapper) {
    if (wrapper.hidden) return missing(T.not_applicable);
    if (rule.type === "group") {
      const items = all(`[data-tr-items='${key}'] > [data-tr-item]`).map((item, i) => [item, i])
        .filter(([, i]) => rule.order.some((sub) => read(`${key}-${i}-${sub}`, rule.fields[sub]) !== undefined));
      if (!items.length) return missing(T.not_answered);
      return items.map(([item, i], n) => {
        const box = make("div", { className: "tr-printout__item" }), list = make("dl");
        const name = item.querySelector(".tr-item__title").textContent.trim().replace(/[0-9]+$/, n + 1);
        rule.order.forEach((sub) => {
          const at = `${key}-${i}-${sub}`;
          list.append(printedRow(byId(`q-${at}`), printedAnswer(at, rule.fields[sub], byId(`q-${at}`))));
        });
        box.append(make("p", { className: "tr-printout__item-name", textContent: name }), list);
        return box;
      });
    }
    const v = read(key, rule);
    if (v === undefined) return missing(T.not_answered);
    if (rule.type === "checkboxes") {
      const list = make("ul");
      v.forEach((x) => list.append(make("li", { textContent: labelOf(`f-${key}-${x}`) })));
      return [list];
    }
    const words = rule.type === "radios" ? labelOf(`f-${key}-${v}`) : rule.type === "date" ? printDate(v) : v;
    return [make("span", { className: "tr-printout__text", textContent: words })];
  }
  function printedRow(wrapper, answerNodes) {
    const row = make("div", { className: "tr-printout__row" }), dd = make("dd");
    dd.append(...answerNodes);
    row.append(make("dt", { textContent: questionOf(wrapper) }), dd);
    return row;
  }

  /* Before printing: a form with answers prints as questions and answers; an empty one as it is, boxes
     to fill in by hand. */
  function buildPrintout() {
    const box = page.querySelector("[data-tr-printout]");
    const filled = Object.keys(update()).length > 0;
    page.classList.toggle("tr-form--printout", filled);
    box.replaceChildren(...(!filled ? [] : all(".tr-section", form).map((section) => {
      const part = make("section", { className: "tr-printout__section" }), list = make("dl");
      all(":scope > .tr-field", section).forEach((wrapper) => {
        const id = wrapper.id.slice(2);
        list.append(printedRow(wrapper, printedAnswer(id, R.fields[id], wrapper)));
      });
      part.append(make("h2", { textContent: section.querySelector(".tr-section__title").textContent }), list);
      return part;
    })));
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    compactGroups();
    const problems = validate(collect("complete"));
    say(problems.length ? "" : T.checked_ok);
    if (problems.length) showProblems(problems);
    else clearErrors();
  });
  const edited = () => { unsaved = true; update(); };
  form.addEventListener("input", edited);
  form.addEventListener("change", edited);
  form.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    if (button.hasAttribute("data-tr-save")) save();
    if (button.hasAttribute("data-tr-print")) window.print();
    if (button.hasAttribute("data-tr-clear") && window.confirm(T.confirm_clear)) {
      reset();
      clearErrors();
      unsaved = false;
      say(T.cleared);
    }
    const add = button.dataset.trAdd, remove = button.dataset.trRemove;
    const id = add || (remove && button.closest("[data-tr-items]").dataset.trItems);
    if (!id) return;
    const items = readItems(id);
    if (add) items.push({});
    else items.splice(Number(remove), 1);
    buildItems(id, items);
    // Focus the new item's first question; after a removal, the Add button.
    (add ? itemsBox(id).lastElementChild.querySelector("input, textarea") : addButton(id)).focus();
    edited();
  });
  summary.addEventListener("click", (event) => {
    const link = event.target.closest("a"), target = link && byId(link.getAttribute("href").slice(1));
    if (!target) return;
    event.preventDefault();
    target.focus({ preventScroll: true });
    reveal(target.closest(".tr-field"));
  });
  opener.addEventListener("change", () => {
    if (opener.files.length) open(opener.files[0]);
    opener.value = "";
  });
  asking.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (button && pending) answer(button.hasAttribute("data-tr-replace"));
  });
  asking.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && pending) { event.preventDefault(); answer(false); }
  });
  window.addEventListener("beforeunload", (event) => {
    if (unsaved) { event.preventDefault(); event.returnValue = ""; }
  });
  // Chromium fires beforeprint for Ctrl+P, window.print() and its own PDF output alike.
  window.addEventListener("beforeprint", buildPrintout);

  page.classList.add("tr-form--js");
  all("[data-tr-js]").forEach((e) => { e.hidden = false; });
  form.querySelector("[data-tr-check]").disabled = false;
  groups().forEach((id) => buildItems(id, readItems(id)));
  update();
})();
