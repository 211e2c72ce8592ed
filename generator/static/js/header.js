/* The header's menu and search for the keyboard, on every page. The theme opens its drawer and its
 * search with labels for two hidden checkboxes (#__drawer, #__search): a pointer can use them, Tab
 * cannot reach them. Here each label gives way to a real button beside it (partials/header.html).
 * Without JavaScript the labels stay.
 */
(() => {
  "use strict";

  const drawer = document.getElementById("__drawer");
  const search = document.getElementById("__search");
  const drawerPanel = document.querySelector(".md-sidebar--primary");
  const query = document.querySelector(".md-search__input"); // Material's search field
  const dialogButton = document.querySelector(".md-search__button"); // Zensical's search dialog
  const buttons = {};
  let returnTo = null; // the button whose search is open

  const shown = (element) => element && element.offsetParent !== null;
  const firstLink = () =>
    [...(drawerPanel?.querySelectorAll("a[href]") || [])].find((a) => a.getClientRects().length);

  const upgrade = (toggle, open) => {
    const button = document.querySelector(`.md-header [data-tr-toggle="${toggle?.id}"]`);
    const label = document.querySelector(`.md-header label[for="${toggle?.id}"]`);
    if (!toggle || !button || !label) return;
    button.addEventListener("click", () => open(button));
    label.hidden = true;
    button.hidden = false;
    buttons[toggle.id] = button;
  };
  // A button that opens and closes a checkbox's panel says whether it is open.
  const tracking = (toggle, button) => {
    const say = () => button.setAttribute("aria-expanded", String(toggle.checked));
    toggle.addEventListener("change", say);
    say();
  };

  upgrade(drawer, () => {
    drawer.click(); // the theme listens for the checkbox's change
    if (drawer.checked) firstLink()?.focus();
  });
  if (buttons.__drawer) tracking(drawer, buttons.__drawer);
  if (query) {
    upgrade(search, (button) => {
      search.click();
      if (search.checked) {
        returnTo = button;
        query.focus();
      }
    });
    if (buttons.__search) tracking(search, buttons.__search);
  } else if (dialogButton) {
    // Zensical's own search is a dialog its button opens, wherever that button is shown.
    upgrade(search, (button) => {
      returnTo = button;
      dialogButton.click();
    });
    buttons.__search?.removeAttribute("aria-expanded");
    buttons.__search?.setAttribute("aria-haspopup", "dialog");
  }

  // Escape closes the menu and gives the focus back to its button. Escape closes a search too (the
  // theme's own doing, which lets the focus go): the focus goes back to the button that opened it.
  let escaping = false;
  const giveBack = () => {
    if (escaping && document.activeElement === document.body && shown(returnTo)) returnTo.focus();
    if (document.activeElement !== document.body) escaping = false;
  };
  // Listened for as the key goes down to its target (capture): a search dialog may keep it.
  window.addEventListener(
    "keydown",
    (event) => {
      if (event.key !== "Escape") return;
      escaping = returnTo !== null;
      if (drawer?.checked && shown(buttons.__drawer)) {
        drawer.click();
        buttons.__drawer.focus();
      }
    },
    true,
  );
  window.addEventListener(
    "keyup",
    (event) => {
      if (event.key === "Escape") giveBack();
    },
    true,
  );
  document.addEventListener("focusout", (event) => {
    if (!event.relatedTarget) queueMicrotask(giveBack); // once the focus has gone
  });
  // The open menu covers the page: once the focus leaves it, it closes, so that nothing focused
  // is hidden behind it.
  document.addEventListener("focusin", (event) => {
    const inside = drawerPanel?.contains(event.target) || event.target === buttons.__drawer;
    if (drawer?.checked && !inside && shown(buttons.__drawer)) drawer.click();
    // Focus gone on from the search (Tab, say): nothing to give back on a later Escape.
    const inSearch = event.target.closest?.(".md-search") || event.target.shadowRoot;
    if (!inSearch && event.target !== returnTo) returnTo = null;
  });
})();
