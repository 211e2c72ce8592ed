/* The eligibility checker, one question at a time on the same page.
 *
 * It reads the decision graph that generator/rules/eligibility.py compiles and
 * generator/render/checker_site.py publishes (embedded in the page as a JSON data block) and replays
 * answers from the first question exactly as the Python evaluator does.
 * Answers live only in this script's memory: nothing goes into the URL, storage or the network.
 * Each step's address is its static page's (checker/q/<id>/ or checker/outcome/<id>/), so a
 * reload or a shared link opens that page, which works without JavaScript; history entries carry
 * { step } and nothing else, so Back works without revealing an answer.
 * The Back link is the browser's Back (one history, one meaning), and once the answers have been
 * shown on an outcome, changing one returns to them unless the route now asks something new
 * (GOV.UK's "check answers" pattern).
 */
(() => {
  "use strict";

  const has = (object, key) => Object.hasOwn(object, key);

  function indexById(items) {
    const index = Object.create(null);
    items.forEach((item) => {
      index[item.id] = item;
    });
    return index;
  }

  /* Replay `answers` ({question id: option id}) from the first question; answers off that path
   * are ignored, and an answer that is no option of its question counts as none (as in
   * eligibility.py). */
  function evaluate(graph, answers) {
    const questions = indexById(graph.questions);
    const outcomes = indexById(graph.outcomes);
    const path = [];
    let current = graph.start;
    while (current in questions) {
      if (path.length > graph.questions.length) throw new Error(`the graph loops at ${current}`);
      const chosen = has(answers, current) ? answers[current] : null;
      const option = questions[current].options.filter((o) => o.id === chosen)[0];
      if (!option) return { outcome: null, path: path, nextQuestion: current };
      path.push([current, option.id]);
      current = option.next;
    }
    if (!(current in outcomes)) throw new Error(`the graph leads to an unknown node ${current}`);
    return { outcome: current, path: path, nextQuestion: null };
  }

  window.TRChecker = { evaluate: evaluate };

  /* Build an element: el("p", {class: "x"}, [child, "text"]). Text is always set as text. */
  function el(tag, attributes, children) {
    const node = document.createElement(tag);
    Object.keys(attributes || {}).forEach((name) => {
      const value = attributes[name];
      if (value === true) node.setAttribute(name, "");
      else if (value !== false && value != null) node.setAttribute(name, value);
    });
    (children || []).forEach((child) => {
      if (child == null) return;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, (whole, name) =>
      has(values, name) ? values[name] : whole,
    );
  }

  function readJson(selector) {
    return JSON.parse(document.querySelector(selector).textContent);
  }

  function Checker(root) {
    this.root = root;
    this.graph = readJson("[data-tr-graph]");
    this.text = readJson("[data-tr-text]");
    this.questions = indexById(this.graph.questions);
    this.outcomes = indexById(this.graph.outcomes);
    this.answers = Object.create(null);
    // Questions whose answers the practitioner has seen listed under "Your answers".
    this.confirmed = Object.create(null);
    this.startView = root.querySelector("[data-tr-start]");
    this.view = root.querySelector("[data-tr-view]");
    this.live = root.querySelector("[data-tr-live]");
    this.baseTitle = document.title;
    this.startHref = location.href;
    // Every link on the page made absolute first: each step's address is another path, and a
    // relative link would then lead somewhere else.
    // (The icon too: the browser fetches it again from the new address.)
    document.querySelectorAll("a[href], link[href]:not([rel=stylesheet])").forEach((a) => {
      if (!/^[a-z]+:|^#/i.test(a.getAttribute("href"))) a.setAttribute("href", a.href);
    });
    this.links = Object.create(null);
    const links = this.links;
    root.querySelectorAll("[data-tr-step-links] a[data-step]").forEach((a) => {
      links[a.getAttribute("data-step")] = a.getAttribute("href");
    });
  }

  Checker.prototype.questionHref = function (id) {
    return this.links[id] || this.startHref;
  };

  /* The address of a step: its static page's, the start page's before the first question. */
  Checker.prototype.hrefOf = function (step) {
    if (step == null || step < 0) return this.startHref;
    const result = evaluate(this.graph, this.answers);
    if (step < result.path.length) return this.questionHref(result.path[step][0]);
    return this.questionHref(result.nextQuestion || result.outcome);
  };

  /* Move to a step, adding a history entry that holds only the step number, at its address. */
  Checker.prototype.go = function (step) {
    history.pushState({ step: step }, "", this.hrefOf(step));
    this.show(step);
  };

  /* Show the start page (step null or below 0), the question at `step` on the current path, or
   * the outcome when the path has reached one. A step beyond what the answers reach shows the
   * furthest one they do. */
  Checker.prototype.show = function (requestedStep) {
    if (requestedStep == null || requestedStep < 0) return this.showStart();
    const result = evaluate(this.graph, this.answers);
    const last = result.path.length;
    const step = Math.min(requestedStep, last);
    if (requestedStep > last) history.replaceState({ step: step }, "", this.hrefOf(step));
    if (step < last) return this.showQuestion(step, result.path[step][0], false);
    if (result.nextQuestion) return this.showQuestion(step, result.nextQuestion, false);
    return this.showOutcome(step, result);
  };

  Checker.prototype.showStart = function () {
    this.view.hidden = true;
    this.view.replaceChildren();
    this.startView.hidden = false;
    document.title = this.baseTitle;
    const heading = this.startView.querySelector("h1");
    if (heading && this.started) heading.focus();
  };

  Checker.prototype.render = function (children, title) {
    this.started = true;
    this.startView.hidden = true;
    // Drop the parts a view leaves out (null): replaceChildren would write them as the text "null".
    this.view.replaceChildren.apply(this.view, children.filter(Boolean));
    this.view.hidden = false;
    document.title = `${title} – ${this.baseTitle}`;
    window.scrollTo(0, 0);
  };

  /* A view shown by this script always sits on a history entry it pushed, after the entry of the
   * view before it, so the Back link is the browser's Back: pushing step - 1 instead would leave
   * the browser's Back to jump forward again. The href is the static page, for a new tab. */
  Checker.prototype.backLink = function (step, href) {
    const link = el("a", { class: "govuk-back-link", href: href }, [this.text.back]);
    link.addEventListener("click", (event) => {
      event.preventDefault();
      if (history.state && typeof history.state.step === "number") history.back();
      else this.go(step - 1);
    });
    return link;
  };

  /* Where Continue leads: back to the answers when every question on the route they now take has
   * already been seen there; otherwise the next question. */
  Checker.prototype.nextStep = function (step) {
    const result = evaluate(this.graph, this.answers);
    const confirmed = this.confirmed;
    const seen = result.outcome && result.path.every((pair) => confirmed[pair[0]]);
    return seen ? result.path.length : step + 1;
  };

  Checker.prototype.showQuestion = function (step, id, withError) {
    const text = this.text;
    const question = this.questions[id];
    const prefix = `tr-q-${id}`;
    const errorId = `${prefix}-error`;
    const hintId = `${prefix}-hint`;
    const describedBy = [question.hint ? hintId : null, withError ? errorId : null].filter(Boolean);
    const heading = el("h1", { class: "govuk-fieldset__heading", tabindex: "-1" }, [question.text]);
    const radios = question.options.map((option, index) => {
      const inputId = `${prefix}-${index}`;
      return el("div", { class: "govuk-radios__item" }, [
        el("input", {
          class: "govuk-radios__input",
          id: inputId,
          name: prefix,
          type: "radio",
          value: option.id,
          checked: this.answers[id] === option.id,
        }),
        el("label", { class: "govuk-label govuk-radios__label", for: inputId }, [option.label]),
      ]);
    });
    let summary = null;
    if (withError) {
      const summaryLink = el("a", { href: `#${prefix}-0` }, [text.error_message]);
      summaryLink.addEventListener("click", (event) => {
        // Focus the first radio without a hash in the URL (and without a history entry).
        event.preventDefault();
        const first = document.getElementById(`${prefix}-0`);
        first.scrollIntoView({ block: "center" });
        first.focus();
      });
      summary = el("div", { class: "govuk-error-summary", tabindex: "-1" }, [
        el("div", { role: "alert" }, [
          el("h2", { class: "govuk-error-summary__title" }, [text.error_title]),
          el("div", { class: "govuk-error-summary__body" }, [
            el("ul", { class: "govuk-list govuk-error-summary__list" }, [
              el("li", {}, [summaryLink]),
            ]),
          ]),
        ]),
      ]);
    }
    const form = el("form", { novalidate: true, "data-tr-question": id }, [
      el("div", { class: `govuk-form-group${withError ? " govuk-form-group--error" : ""}` }, [
        el(
          "fieldset",
          {
            class: "govuk-fieldset",
            "aria-describedby": describedBy.length ? describedBy.join(" ") : null,
          },
          [
            el("legend", { class: "govuk-fieldset__legend govuk-fieldset__legend--l" }, [heading]),
            question.hint ? el("div", { class: "govuk-hint", id: hintId }, [question.hint]) : null,
            withError
              ? el("p", { class: "govuk-error-message", id: errorId }, [
                  el("span", { class: "govuk-visually-hidden" }, [`${text.error_prefix} `]),
                  text.error_message,
                ])
              : null,
            el("div", { class: "govuk-radios" }, radios),
          ],
        ),
      ]),
      el("button", { type: "submit", class: "govuk-button" }, [text.continue]),
    ]);
    form.addEventListener("submit", (event) => {
      // First, so that a failure below can never let the browser put the answer in a URL.
      event.preventDefault();
      const chosen = form.querySelector("input:checked");
      if (!chosen) return this.showQuestion(step, id, true);
      this.answers[id] = chosen.value;
      this.go(this.nextStep(step));
    });
    const back =
      step > 0
        ? this.backLink(
            step,
            this.questionHref(evaluate(this.graph, this.answers).path[step - 1][0]),
          )
        : this.backLink(0, this.startHref);
    this.render([back, summary, form], (withError ? `${text.error_prefix} ` : "") + question.text);
    (summary || heading).focus();
  };

  Checker.prototype.startLink = function () {
    return this.startView.querySelector("[data-tr-start-link]");
  };

  Checker.prototype.showOutcome = function (step, result) {
    const text = this.text;
    const outcome = this.outcomes[result.outcome];
    const lastStep = result.path[result.path.length - 1];
    const heading = el("h1", { class: "tr-outcome__title", tabindex: "-1" }, [outcome.title]);
    const body = el("div", { class: "tr-outcome__body" });
    body.innerHTML = outcome.body_html; // compiled from the editors' Markdown at build time
    // Its links lead from the start page (checker/), not from this step's address.
    body.querySelectorAll("a[href]").forEach((a) => {
      const href = a.getAttribute("href");
      if (!/^[a-z]+:|^#/i.test(href)) a.setAttribute("href", new URL(href, this.startHref).href);
    });
    const next = this.root.querySelector(`[data-tr-next="${outcome.id}"]`);
    const rows = result.path.map((pair, index) => {
      const question = this.questions[pair[0]];
      this.confirmed[pair[0]] = true;
      const change = el("a", { class: "govuk-link", href: this.questionHref(pair[0]) }, [
        text.change,
        el("span", { class: "govuk-visually-hidden" }, [
          ` ${fill(text.change_hidden, { question: question.text })}`,
        ]),
      ]);
      change.addEventListener("click", (event) => {
        event.preventDefault();
        this.go(index);
      });
      return el("div", { class: "govuk-summary-list__row" }, [
        el("dt", { class: "govuk-summary-list__key" }, [question.text]),
        el("dd", { class: "govuk-summary-list__value" }, [this.labelOf(pair[0], pair[1])]),
        el("dd", { class: "govuk-summary-list__actions" }, [change]),
      ]);
    });
    const printButton = el(
      "button",
      {
        type: "button",
        class: "govuk-button govuk-button--secondary tr-no-print",
      },
      [text.print],
    );
    printButton.addEventListener("click", () => {
      window.print();
    });
    const again = el(
      "a",
      {
        class: "govuk-link tr-no-print",
        href: this.startHref,
      },
      [text.start_again],
    );
    again.addEventListener("click", (event) => {
      event.preventDefault();
      this.answers = Object.create(null);
      this.confirmed = Object.create(null);
      this.go(0);
    });
    const today = new Date().toLocaleDateString(document.documentElement.lang || undefined, {
      day: "numeric",
      month: "long",
      year: "numeric",
    });
    this.render(
      [
        this.backLink(step, this.questionHref(lastStep[0])),
        el("div", { class: `tr-outcome tr-outcome--${outcome.result}` }, [
          el("p", { class: "tr-outcome__result" }, [
            el("strong", { class: `govuk-tag tr-tag--${outcome.result}` }, [
              text.results[outcome.result],
            ]),
          ]),
          heading,
          body,
        ]),
        next ? el("h2", {}, [text.next_steps]) : null,
        next ? next.firstElementChild.cloneNode(true) : null,
        // One list of the answers, each with its Change link (GOV.UK's summary list).
        el("h2", {}, [text.your_answers]),
        el("dl", { class: "govuk-summary-list" }, rows),
        el("p", { class: "tr-print-date" }, [fill(text.checked_on, { date: today })]),
        el("div", { class: "govuk-button-group" }, [printButton, again]),
      ],
      outcome.title,
    );
    heading.focus();
    // Also announce through a live region, for screen readers that do not read a focused heading.
    this.live.textContent = "";
    window.setTimeout(() => {
      this.live.textContent = outcome.title;
    }, 50);
  };

  Checker.prototype.labelOf = function (questionId, optionId) {
    const options = this.questions[questionId].options;
    return options.filter((o) => o.id === optionId)[0].label;
  };

  let checker = null;

  function init() {
    const root = document.querySelector("[data-tr-checker]");
    if (!root || root.hasAttribute("data-tr-ready")) return;
    root.setAttribute("data-tr-ready", "");
    checker = new Checker(root);
    checker.startLink().addEventListener("click", (event) => {
      event.preventDefault();
      checker.go(0);
    });
    // Answers do not survive a reload, so a restored step means nothing: begin at the start page.
    if (history.state && history.state.step != null) history.replaceState(null, "");
    checker.show(null);
  }

  window.addEventListener("popstate", (event) => {
    if (!checker || !document.body.contains(checker.root)) return;
    checker.show(event.state && typeof event.state.step === "number" ? event.state.step : null);
  });

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
  // With Material's instant navigation a page swap does not reload scripts: follow its document$.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  }
})();
