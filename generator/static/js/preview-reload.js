/* The live preview's reload (`python -m generator serve` only; never in a published site).
 * The file's name says which build its page is from: reload-<build>.js. The preview server says
 * at /__preview/build which build it serves now; once that is another, the page reloads.
 */
(() => {
  const built = /reload-(\w+)\.js$/.exec(document.currentScript?.src || "")?.[1];
  if (!built) return;
  const ask = async () => {
    try {
      const response = await fetch("/__preview/build", { cache: "no-store" });
      if (response.ok && (await response.text()).trim() !== built) {
        window.location.reload();
        return;
      }
    } catch {
      // The server is restarting or stopped: ask again.
    }
    window.setTimeout(ask, 1000);
  };
  window.setTimeout(ask, 1000);
})();
