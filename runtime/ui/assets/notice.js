// Showing what went wrong: the problem's detail and the lists it carries.
import { h } from "./dom.js";

export function problemList(error) {
  const document = error.document || {};
  const lists = [];
  for (const [name, value] of Object.entries(document)) {
    if (name === "locations") continue;
    if (name === "log_tail" && value) {
      lists.push(h("h4", {}, "last lines of its log"), h("pre", {}, Array.isArray(value) ? value.join("\n") : String(value)));
      continue;
    }
    if (Array.isArray(value) && value.length) {
      lists.push(h("h4", {}, name.replace(/_/g, " ")), h("ul", {}, value.map((item) => h("li", {}, typeof item === "string" ? item : JSON.stringify(item)))));
    }
  }
  return h("div", { class: "problem", role: "alert" }, h("p", {}, h("strong", {}, `${error.status || ""} `), error.message), lists);
}
