// One server's views: operations, mocks (and their editor), scenarios,
// journal (and one entry), chart.
import { adminPath, call, query, single } from "./api.js";
import { buckets, draw } from "./chart.js";
import { h, fill, pretty, table, time } from "./dom.js";
import { MockEditor, problemsOf } from "./editor.js";
import { problemList } from "./notice.js";

const LISTING_KEYS = ["file", "scenario", "served", "problems"];
export const TABS = ["operations", "mocks", "scenarios", "journal", "chart"];

/** The hash of a view of ``server`` (null on a single server's UI). */
export function link(server, tab, arg) {
  const parts = single ? [] : ["s", encodeURIComponent(server)];
  if (tab) parts.push(tab);
  if (arg !== undefined) parts.push(encodeURIComponent(arg));
  return `#/${parts.join("/")}`;
}

const admin = (server, path) => adminPath(server, path);

export async function operations(main, view, server) {
  const [info, listing] = await Promise.all([call("GET", admin(server, "info")), call("GET", admin(server, "mocks"))]);
  const counts = new Map();
  for (const mock of listing.mocks) counts.set(mock.operation, (counts.get(mock.operation) || 0) + 1);
  const rows = info.operations.map((name) =>
    h("tr", {}, h("td", {}, name), h("td", {}, h("a", { href: link(server, "mocks", `~new:${name}`) }, `${counts.get(name) || 0} mock(s) · add`))),
  );
  fill(
    main,
    h("h2", {}, `Operations (${info.protocol})`),
    h("p", {}, `${info.active_mocks} active mock(s); scenario: ${info.active_scenario || "none"}`),
    info.mock_problems.length ? h("div", { class: "problem" }, h("h4", {}, "Mock files with problems"), h("ul", {}, info.mock_problems.map((text) => h("li", {}, text)))) : null,
    table(["Operation", "Mocks"], rows),
  );
}

export async function mocks(main, view, server) {
  const listing = await call("GET", admin(server, "mocks"));
  const rows = listing.mocks.map((mock) => {
    const remove = h("button", { type: "button", class: "danger", "data-delete": mock.id }, "Delete");
    remove.addEventListener("click", async () => {
      if (remove.dataset.armed !== "yes") {
        remove.dataset.armed = "yes";
        remove.textContent = "Really delete?";
        return;
      }
      try {
        await call("DELETE", admin(server, `mocks/${encodeURIComponent(mock.id)}`));
        view.notify(`deleted ${mock.id}`);
        await mocks(main, view, server);
      } catch (error) {
        view.fail(error);
      }
    });
    return h(
      "tr",
      { "data-mock": mock.id },
      h("td", {}, h("a", { href: link(server, "mocks", mock.id) }, mock.id)),
      h("td", {}, mock.operation),
      h("td", {}, mock.scenario || ""),
      h("td", {}, mock.file || ""),
      h("td", {}, mock.served === false ? "no" : "yes"),
      h("td", {}, remove),
    );
  });
  fill(
    main,
    h("div", { class: "bar" }, h("h2", {}, "Mocks"), h("a", { class: "button", href: link(server, "mocks", "~new:") }, "New mock")),
    listing.mocks.length ? table(["Id", "Operation", "Scenario", "File", "Served", ""], rows) : h("p", {}, "No mocks."),
  );
}

export async function editMock(main, view, server, id) {
  const creating = id.startsWith("~new:");
  let document;
  if (creating) {
    document = { operation: id.slice(5), response: { status: 200 } };
  } else {
    const found = await call("GET", admin(server, `mocks/${encodeURIComponent(id)}`));
    document = Object.fromEntries(Object.entries(found).filter(([key]) => !LISTING_KEYS.includes(key)));
  }
  const editor = new MockEditor(JSON.stringify(document, null, 2) + "\n");
  const save = h("button", { type: "button", id: "save-mock" }, creating ? "Create" : "Save");
  save.addEventListener("click", async () => {
    save.disabled = true;
    try {
      await saveMock(view, server, creating ? null : id, editor);
    } finally {
      save.disabled = false;
    }
  });
  fill(
    main,
    h("h2", {}, creating ? "New mock" : `Mock ${id}`),
    h("p", { class: "hint" }, "JSON, as in a mock file (docs/mocks.md). Problems are marked at their line."),
    editor.element,
    h("div", { class: "bar" }, save, h("a", { href: link(server, "mocks") }, "Back to the mocks")),
  );
}

async function saveMock(view, server, id, editor) {
  try {
    await call("POST", admin(server, "mocks/check"), { text: editor.text, format: "json" });
  } catch (error) {
    if (error.status === 422) {
      editor.show(problemsOf(error), "Not saved: the mock is not valid");
      return;
    }
    view.fail(error);
    return;
  }
  let document;
  try {
    document = JSON.parse(editor.text);
  } catch (error) {
    editor.show([{ line: 0, column: 0, message: `not JSON: ${error.message}` }], "Not saved");
    return;
  }
  try {
    const saved = id === null
      ? await call("POST", admin(server, "mocks"), document)
      : await call("PUT", admin(server, `mocks/${encodeURIComponent(id)}`), document);
    editor.show([], null);
    if (saved.id !== id) {
      view.carry(`saved ${saved.id}`);
      location.hash = link(server, "mocks", saved.id);
    } else {
      view.notify(`saved ${saved.id}`);
    }
  } catch (error) {
    if (error.status === 422) editor.show(problemsOf(error), "Not saved (lines of the mock's file)");
    else view.fail(error);
  }
}

export async function scenarios(main, view, server) {
  const listing = await call("GET", admin(server, "scenarios"));
  const choice = h(
    "select",
    { id: "scenario-choice" },
    h("option", { value: "" }, "(none: base mocks only)"),
    listing.scenarios.map((scenario) => h("option", { value: scenario.name, selected: scenario.name === listing.active }, scenario.name)),
  );
  const apply = h("button", { type: "button", id: "switch-scenario" }, "Switch");
  apply.addEventListener("click", async () => {
    try {
      const active = await call("PUT", admin(server, "scenarios/active"), { name: choice.value || null });
      view.notify(`active scenario: ${active.name || "none"}`);
      await scenarios(main, view, server);
    } catch (error) {
      view.fail(error);
    }
  });
  const rows = listing.scenarios.map((scenario) =>
    h("tr", { class: scenario.name === listing.active ? "active" : "" }, h("td", {}, scenario.name), h("td", {}, String((scenario.mocks || []).length)), h("td", {}, scenario.name === listing.active ? "active" : "")),
  );
  fill(
    main,
    h("h2", {}, "Scenarios"),
    h("p", { id: "active-scenario" }, `Active: ${listing.active || "none"}`),
    h("div", { class: "bar" }, choice, apply),
    listing.scenarios.length ? table(["Scenario", "Mocks", ""], rows) : h("p", {}, "No scenarios (folders under scenarios/)."),
  );
}

const filters = { method: "", path: "", status: "", operation: "", unmatched: false };

export async function journal(main, view, server) {
  const field = (name, placeholder) => h("input", { name, placeholder, value: filters[name], size: 12 });
  const form = h(
    "form",
    { class: "filters", id: "journal-filters" },
    field("method", "method"),
    field("path", "path regex"),
    field("status", "status"),
    field("operation", "operation"),
    h("label", {}, h("input", { type: "checkbox", name: "unmatched", checked: filters.unmatched }), " unmatched only"),
    h("button", { type: "submit" }, "Filter"),
  );
  const body = h("tbody", { id: "journal-rows" });
  const total = h("p", { id: "journal-total" });
  const refresh = async () => {
    const found = await call("GET", admin(server, "journal") + query({ ...filters, limit: 200 }));
    if (!view.current()) return;
    fill(total, `${found.total} request(s)` + (found.enabled === false ? " (the journal is off)" : ""));
    fill(
      body,
      found.entries.map((entry) =>
        h(
          "tr",
          { "data-entry": entry.id, class: entry.matched === false ? "unmatched" : "" },
          h("td", {}, h("a", { href: link(server, "journal", entry.id) }, time(entry.time))),
          h("td", {}, entry.method || ""),
          h("td", { class: "target" }, entry.target || ""),
          h("td", {}, entry.status || ""),
          h("td", {}, entry.operation || "–"),
          h("td", {}, entry.matched === false ? "no mock matched" : ""),
          h("td", { class: "number" }, entry.duration_ms === null ? "" : entry.duration_ms.toFixed(1)),
        ),
      ),
    );
  };
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    for (const name of ["method", "path", "status", "operation"]) filters[name] = String(data.get(name) || "").trim();
    filters.unmatched = data.get("unmatched") === "on";
    try {
      await refresh();
    } catch (error) {
      view.fail(error);
    }
  });
  fill(
    main,
    h("h2", {}, "Journal"),
    form,
    total,
    h("table", { class: "journal" }, h("thead", {}, h("tr", {}, ["Time (UTC)", "Method", "Target", "Status", "Operation", "", "ms"].map((name) => h("th", {}, name)))), body),
  );
  await refresh();
  view.every(3000, refresh);
}

export async function entry(main, view, server, id) {
  const found = await call("GET", admin(server, `journal/${encodeURIComponent(id)}`));
  const near = Array.isArray(found.near_miss) && found.near_miss.length
    ? h(
        "div",
        { class: "near-miss", id: "near-miss" },
        h("h3", {}, "Near-miss report: the closest mocks, and the condition each failed"),
        table(
          ["Mock", "File:line", "Conditions passed", "Failed"],
          found.near_miss.map((miss) =>
            h("tr", {}, h("td", {}, String(miss.mock)), h("td", {}, `${miss.file}:${miss.line}`), h("td", {}, `${miss.passed} of ${miss.of}`), h("td", {}, typeof miss.failed === "string" ? miss.failed : JSON.stringify(miss.failed))),
          ),
        ),
      )
    : h("p", { id: "near-miss" }, found.matched === false ? "No mock matched, and none came close." : "A mock answered this request.");
  fill(
    main,
    h("h2", {}, `Request ${found.id}`),
    h("p", { class: "summary" }, `${found.method || ""} ${found.target || ""} → ${found.status} · ${found.operation || "no operation"} · ${time(found.time)} UTC · ${found.duration_ms === null ? "" : found.duration_ms.toFixed(1) + " ms"}`),
    near,
    h("h3", {}, "Request"),
    pretty(found.request),
    h("h3", {}, "Response"),
    pretty(found.response),
    h("a", { href: link(server, "journal") }, "Back to the journal"),
  );
}

const WINDOW_SECONDS = 120;
const STEP_SECONDS = 5;

export async function chart(main, view, server) {
  const canvas = h("canvas", { id: "chart", width: 720, height: 340, "data-total": "0", role: "img", "aria-label": "requests per second and latency percentiles" });
  const summary = h("p", { id: "chart-summary" }, "…");
  fill(main, h("h2", {}, `Requests/s and latency, last ${WINDOW_SECONDS / 60} minutes`), canvas, summary);
  const info = await call("GET", admin(server, "info"));
  const skew = info.time - Date.now() / 1000;
  const refresh = async () => {
    const now = Date.now() / 1000 + skew;
    const found = await call("GET", admin(server, "journal") + query({ since: (now - WINDOW_SECONDS).toFixed(3), limit: 10000 }));
    if (!view.current()) return;
    const points = buckets(found.entries, now, WINDOW_SECONDS, STEP_SECONDS);
    draw(canvas, points);
    const durations = found.entries.map((entry) => entry.duration_ms).sort((a, b) => a - b);
    const pick = (p) => (durations.length ? durations[Math.max(1, Math.ceil((p / 100) * durations.length)) - 1].toFixed(1) : "–");
    canvas.dataset.total = String(found.entries.length);
    fill(summary, `${found.entries.length} request(s) · p50 ${pick(50)} ms · p95 ${pick(95)} ms · p99 ${pick(99)} ms · ${STEP_SECONDS} s buckets, updated every 2 s`);
  };
  await refresh();
  view.every(2000, refresh);
}
