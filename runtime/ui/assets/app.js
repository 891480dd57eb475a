// The router: the part of the location after # picks a view; the token form
// keeps the token in this tab's sessionStorage.
import { ApiError, setToken, single, token } from "./api.js";
import { h, fill } from "./dom.js";
import { createServer, serverList } from "./servers.js";
import { TABS, chart, editMock, entry, journal, link, mocks, operations, scenarios } from "./server.js";

const main = document.getElementById("main");
const tabs = document.getElementById("tabs");
const where = document.getElementById("where");
const notice = document.getElementById("notice");
let generation = 0;
let timers = [];
let carried = "";

function parse(hash) {
  const parts = hash.replace(/^#\/?/, "").split("/").filter(Boolean).map(decodeURIComponent);
  if (single) return { server: null, tab: parts[0] || "operations", arg: parts[1] };
  if (!parts.length) return { view: "servers" };
  if (parts[0] === "new") return { view: "new" };
  if (parts[0] === "s" && parts[1]) return { server: parts[1], tab: parts[2] || "operations", arg: parts[3] };
  return { view: "servers" };
}

function makeView(mine) {
  return {
    current: () => mine === generation,
    every(milliseconds, refresh) {
      const timer = setInterval(async () => {
        if (mine !== generation) return clearInterval(timer);
        try {
          await refresh();
        } catch (error) {
          this.fail(error);
        }
      }, milliseconds);
      timers.push(timer);
    },
    notify(text) {
      notice.className = "";
      fill(notice, text);
    },
    /** Say ``text`` on the next view (after a change of location). */
    carry(text) {
      carried = text;
    },
    fail(error) {
      notice.className = "failed";
      if (error instanceof ApiError && error.status === 401) {
        fill(notice, "The API needs a token: enter it above and press Use.");
      } else {
        fill(notice, error.message || String(error));
      }
      return error;
    },
  };
}

async function route() {
  generation += 1;
  for (const timer of timers) clearInterval(timer);
  timers = [];
  const view = makeView(generation);
  const place = parse(location.hash);
  fill(notice, carried);
  carried = "";
  notice.className = "";
  if (place.server === undefined) {
    fill(tabs);
    fill(where, "servers");
  } else {
    fill(where, single ? "this server" : h("span", {}, "server ", h("strong", { id: "server-title" }, place.server)));
    fill(tabs, TABS.map((tab) => h("a", { href: link(place.server, tab), class: tab === place.tab ? "current" : "", "data-tab": tab }, tab)));
  }
  try {
    if (place.view === "servers") await serverList(main, view);
    else if (place.view === "new") createServer(main, view);
    else if (place.tab === "mocks" && place.arg !== undefined) await editMock(main, view, place.server, place.arg);
    else if (place.tab === "mocks") await mocks(main, view, place.server);
    else if (place.tab === "scenarios") await scenarios(main, view, place.server);
    else if (place.tab === "journal" && place.arg !== undefined) await entry(main, view, place.server, place.arg);
    else if (place.tab === "journal") await journal(main, view, place.server);
    else if (place.tab === "chart") await chart(main, view, place.server);
    else await operations(main, view, place.server);
  } catch (error) {
    if (view.current()) {
      fill(main, h("p", { class: "empty" }, "This view could not be loaded."));
      view.fail(error);
    }
  }
}

const form = document.getElementById("token-form");
const field = document.getElementById("token");
field.value = token();
form.addEventListener("submit", (event) => {
  event.preventDefault();
  setToken(field.value.trim());
  route();
});
document.getElementById("forget").addEventListener("click", () => {
  setToken("");
  field.value = "";
  route();
});
window.addEventListener("hashchange", route);
route();
