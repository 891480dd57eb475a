// A text editor for one mock file (a textarea with line numbers) that marks
// the lines its problems are at.
import { h, fill } from "./dom.js";

const LINE_HEIGHT = 18; // px, as style.css sets for the text and the line numbers

export class MockEditor {
  constructor(text) {
    this.gutter = h("div", { class: "gutter", "aria-hidden": "true" });
    this.area = h("textarea", {
      class: "code",
      id: "mock-text",
      spellcheck: "false",
      wrap: "off",
      "aria-label": "Mock definition (JSON)",
      oninput: () => this.renumber(),
      onscroll: () => {
        this.gutter.scrollTop = this.area.scrollTop;
      },
    });
    this.area.value = text;
    this.problems = h("ul", { class: "problems", id: "problems" });
    this.element = h("div", { class: "editor" }, h("div", { class: "panes" }, this.gutter, this.area), this.problems);
    this.marked = new Map();
    this.renumber();
  }

  get text() {
    return this.area.value;
  }

  renumber() {
    const count = this.area.value.split("\n").length;
    if (this.gutter.childElementCount !== count) {
      const lines = [];
      for (let line = 1; line <= count; line += 1) {
        lines.push(h("div", { class: "line-number", "data-line": line }, line));
      }
      fill(this.gutter, lines);
    }
    for (const [line, message] of this.marked) this.markLine(line, message);
  }

  markLine(line, message) {
    const number = this.gutter.querySelector(`[data-line="${line}"]`);
    if (number) {
      number.classList.add("error");
      number.title = message;
    }
  }

  /** Show ``problems`` ({line, column, message, level}); lines ≤ 0 are the file as a whole. */
  show(problems, heading) {
    this.clear();
    const items = problems.map((problem) => {
      const where = problem.line > 0 ? `line ${problem.line}, column ${problem.column}` : "the mock";
      if (problem.line > 0 && problem.level !== "warning") {
        const earlier = this.marked.get(problem.line);
        this.marked.set(problem.line, earlier ? `${earlier}\n${problem.message}` : problem.message);
      }
      return h(
        "li",
        {
          class: problem.level === "warning" ? "warning" : "error",
          "data-line": problem.line,
          onclick: () => this.select(problem.line),
        },
        h("strong", {}, where),
        ": ",
        problem.message,
      );
    });
    fill(this.problems, heading ? h("li", { class: "heading" }, heading) : null, items);
    this.renumber();
    const first = Math.min(...this.marked.keys());
    if (Number.isFinite(first)) this.area.scrollTop = Math.max(0, (first - 3) * LINE_HEIGHT);
  }

  clear() {
    this.marked.clear();
    for (const number of this.gutter.querySelectorAll(".error")) {
      number.classList.remove("error");
      number.removeAttribute("title");
    }
    fill(this.problems);
  }

  select(line) {
    if (line <= 0) return;
    const lines = this.area.value.split("\n");
    const start = lines.slice(0, line - 1).reduce((sum, text) => sum + text.length + 1, 0);
    this.area.focus();
    this.area.setSelectionRange(start, start + (lines[line - 1] || "").length);
  }
}

/** The problems of a 422 answer, with their places when the answer has them. */
export function problemsOf(error) {
  const document = error.document || {};
  if (Array.isArray(document.locations)) return document.locations;
  if (Array.isArray(document.problems)) {
    return document.problems.map((text) => ({ line: 0, column: 0, message: String(text) }));
  }
  return [{ line: 0, column: 0, message: error.message }];
}
