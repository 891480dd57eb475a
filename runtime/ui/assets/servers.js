// The orchestrator's views: its servers, and creating one from spec files.
import { call } from "./api.js";
import { h, fill, table } from "./dom.js";
import { problemList } from "./notice.js";

export async function serverList(main, view) {
  const body = h("tbody", { id: "server-rows" });
  fill(
    main,
    h("div", { class: "bar" }, h("h2", {}, "Servers"), h("a", { class: "button", href: "#/new", id: "new-server" }, "New server")),
    h("table", { class: "servers" }, h("thead", {}, h("tr", {}, ["Name", "Protocol", "Status", "Health", "URL", "Uptime", ""].map((name) => h("th", {}, name)))), body),
  );
  const refresh = async () => {
    const { servers } = await call("GET", "/servers");
    if (!view.current()) return;
    if (!servers.length) {
      fill(body, h("tr", {}, h("td", { colspan: 7 }, "No servers yet: create one from a spec.")));
      return;
    }
    fill(
      body,
      servers.map((server) =>
        h(
          "tr",
          { "data-server": server.name },
          h("td", {}, h("a", { href: `#/s/${encodeURIComponent(server.name)}` }, server.name)),
          h("td", {}, server.protocol || ""),
          h("td", {}, h("span", { class: `status ${server.status}` }, server.status)),
          h("td", {}, server.health || "–"),
          h("td", {}, server.url ? h("a", { href: server.url, rel: "noreferrer", target: "_blank" }, server.url) : ""),
          h("td", {}, server.uptime === null || server.uptime === undefined ? "" : `${Math.round(server.uptime)} s`),
          h("td", {}, lifecycleButtons(server, view, refresh)),
        ),
      ),
    );
  };
  await refresh();
  view.every(3000, refresh);
}

function lifecycleButtons(server, view, refresh) {
  const act = (action) => async () => {
    try {
      view.notify(`${action} ${server.name}…`);
      await call("POST", `/servers/${encodeURIComponent(server.name)}/${action}`);
      view.notify(`${server.name}: ${action} done`);
    } catch (error) {
      view.fail(error);
    }
    await refresh();
  };
  const running = server.status === "running";
  return [
    h("button", { type: "button", disabled: running, onclick: act("start") }, "Start"),
    h("button", { type: "button", disabled: !running, onclick: act("stop") }, "Stop"),
    h("button", { type: "button", onclick: act("restart") }, "Restart"),
  ];
}

export function createServer(main, view) {
  const name = h("input", { id: "server-name", name: "name", required: true, pattern: "[a-z0-9][a-z0-9\\-]{0,62}", placeholder: "pets" });
  const files = h("input", { id: "spec-files", name: "files", type: "file", multiple: true, required: true });
  const entry = h("input", { id: "spec-entry", name: "entry", placeholder: "openapi.yaml (when others are only referenced)" });
  const outcome = h("div", { id: "create-outcome" });
  const submit = h("button", { type: "submit", id: "create-server" }, "Create and start");
  const form = h(
    "form",
    { class: "stacked", id: "create-form" },
    h("label", {}, "Name", name),
    h("label", {}, "Spec files (OpenAPI, .proto, GraphQL SDL)", files),
    h("label", {}, "Entry files, comma-separated (optional)", entry),
    submit,
    outcome,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData();
    data.append("name", name.value.trim());
    for (const file of files.files) data.append("file", file, file.name);
    const entries = entry.value.split(",").map((part) => part.trim()).filter(Boolean);
    if (entries.length) data.append("options", JSON.stringify({ entry: entries }));
    submit.disabled = true;
    fill(outcome, h("p", {}, "Generating and starting the server…"));
    try {
      const created = await call("POST", "/servers", data);
      view.carry(`${created.name} is ${created.status}`);
      location.hash = `#/s/${encodeURIComponent(created.name)}`;
    } catch (error) {
      fill(outcome, problemList(error));
    } finally {
      submit.disabled = false;
    }
  });
  fill(main, h("h2", {}, "New server"), form);
}
